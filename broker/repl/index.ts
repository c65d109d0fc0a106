import type { ServiceBroker } from "moleculer";
import REPL from "moleculer-repl";
import { cacheClearCommand } from "./cache-clear";
import { clusterCommand } from "./cluster";
import type { ReplCommand } from "./command";
import { createAdminCommand } from "./create-admin";
import { deadLettersCommand } from "./dead-letters";
import { outboxCommand } from "./outbox";

/** The operators' commands, beside Moleculer's own (`help` lists them all). */
export const REPL_COMMANDS: ReplCommand[] = [clusterCommand, outboxCommand, deadLettersCommand, cacheClearCommand, createAdminCommand];

export const REPL_PROMPT = "codelearn $";

/** Opens the Moleculer REPL on this process' terminal, with the operators' commands. */
export function startRepl(broker: ServiceBroker) {
	return REPL(broker, {
		delimiter: REPL_PROMPT,
		// moleculer-repl's typings make every optional key of a command mandatory.
		customCommands: REPL_COMMANDS as unknown as Parameters<typeof REPL>[1]["customCommands"]
	});
}
