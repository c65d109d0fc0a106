import type { ServiceBroker } from "moleculer";
import { call, type ConsumingService, isConsumingService } from "../../services/contracts";
import { columns, guarded, print, type ReplCommand } from "./command";

const DEFAULT_LIMIT = 20;
const ERROR_WIDTH = 60;

/** The consumers some node up runs: those whose consumer contract's `deadLetters` action is available. */
function consumingServices(broker: ServiceBroker): ConsumingService[] {
	return broker.registry
		.getActionList({ onlyAvailable: true, skipInternal: true })
		.filter(a => a.name.endsWith(".deadLetters"))
		.map(a => a.name.slice(0, -".deadLetters".length))
		.filter(isConsumingService)
		.sort();
}

function shorten(text: string, width: number): string {
	const line = text.replace(/\s+/g, " ");
	return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * Lists a consuming service's dead letters (`<service>.deadLetters`), or re-drives them all or
 * the given ids (`<service>.redriveDeadLetters`): they are retried from the first attempt. Both
 * are the consumer contract's (lib/contracts/consumer.ts), called through the typed `call`.
 */
export const deadLettersCommand: ReplCommand = {
	command: "dead-letters <service>",
	description: "List a consuming service's dead letters; --redrive retries all of them, or the ids given",
	options: [
		{ option: "--redrive [ids]", description: "re-drive every dead letter, or these event ids (comma-separated)" },
		{ option: "--limit <n>", description: `how many to list (default ${DEFAULT_LIMIT})` }
	],
	action: guarded(async (broker, args) => {
		const service = String(args.service);
		const consumers = consumingServices(broker);
		if (!isConsumingService(service) || !consumers.includes(service)) {
			print(
				`>> '${service}' has no dead letters to show: no node up runs it as an event consumer (consumers up: ${consumers.join(", ") || "none"})`
			);
			return;
		}
		const redrive = args.options.redrive;
		if (redrive) {
			const eventIds =
				typeof redrive === "string"
					? redrive
							.split(",")
							.map(id => id.trim())
							.filter(Boolean)
					: undefined;
			const { redriven } = await call(broker, `${service}.redriveDeadLetters`, eventIds ? { eventIds } : {});
			print(`>> Re-drove ${redriven} dead letter(s) of ${service}: they are retried from the first attempt`);
			return;
		}
		const limit = args.options.limit === undefined ? DEFAULT_LIMIT : Number(args.options.limit);
		const letters = await call(broker, `${service}.deadLetters`, { limit });
		if (!letters.length) {
			print(`>> No dead letters in ${service}`);
			return;
		}
		print(
			`>> ${letters.length} dead letter(s) in ${service}${letters.length === limit ? ` (the first ${limit}; --limit for more)` : ""}:`
		);
		print(
			columns([
				["Event id", "Type", "Attempts", "Failed at", "Last error"],
				...letters.map(l => [l.eventId, l.type, String(l.attempts), l.failedAt, shorten(l.lastError, ERROR_WIDTH)])
			])
		);
		print(`Re-drive: dead-letters ${service} --redrive            (all)`);
		print(`          dead-letters ${service} --redrive <id>,<id>  (some)`);
	})
};
