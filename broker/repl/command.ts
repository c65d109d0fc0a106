import type { Errors, ServiceBroker } from "moleculer";

/** What moleculer-repl hands a custom command: positional arguments by name, flags in `options`. */
export interface ReplArgs {
	options: Record<string, unknown>;
	rawCommand: string;
	[argument: string]: unknown;
}

/** A custom command in moleculer-repl's format (`REPL(broker, { customCommands })`). */
export interface ReplCommand {
	command: string;
	description: string;
	alias?: string[];
	options?: { option: string; description: string }[];
	action(broker: ServiceBroker, args: ReplArgs): Promise<void>;
}

/** The REPL's output: stdout, as moleculer-repl's own commands write. */
export function print(text = ""): void {
	process.stdout.write(`${text}\n`);
}

/** Rows as aligned columns, the first row being the header. */
export function columns(rows: string[][], indent = "  "): string {
	const widths = rows[0].map((_, i) => Math.max(...rows.map(row => (row[i] ?? "").length)));
	return rows
		.map(
			row =>
				indent +
				row
					.map((cell, i) => cell.padEnd(widths[i]))
					.join("  ")
					.trimEnd()
		)
		.join("\n");
}

/** An error as one line for an operator (a validation error lists what was wrong). */
export function describeError(err: unknown): string {
	const e = err as Errors.MoleculerError;
	const details = Array.isArray(e.data) ? e.data.map((d: { message?: string }) => d.message).filter(Boolean) : [];
	return [e.message ?? String(err), ...details].join(": ");
}

/** The command's action, with failures printed instead of thrown at the REPL. */
export function guarded(action: ReplCommand["action"]): ReplCommand["action"] {
	return async (broker, args) => {
		try {
			await action(broker, args);
		} catch (err) {
			print(`>> ERROR: ${describeError(err)}`);
		}
	};
}
