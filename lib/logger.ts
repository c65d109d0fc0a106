import type { LoggerConfig } from "moleculer";
import { pino, type Logger } from "pino";
import { currentRequestContext } from "./request-context";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

/**
 * Moleculer logs like console (`logger.error("msg", err, {extra})`), but pino reads extra
 * arguments as format values and drops them. This adapter moves errors and objects into pino's
 * merging object, so an error's message and stack reach the JSON line.
 */
function consoleStyle(logger: Logger) {
	return Object.fromEntries(
		LEVELS.map(level => [
			level,
			(...args: unknown[]) => {
				const merge: Record<string, unknown> = {};
				const words: string[] = [];
				for (const arg of args) {
					if (arg instanceof Error) merge.err = arg;
					else if (arg && typeof arg === "object") Object.assign(merge, arg);
					else if (arg !== undefined) words.push(String(arg));
				}
				logger[level](merge, words.join(" "));
			}
		])
	);
}

/** JSON lines through pino; every line written while serving a request carries its id. */
export function loggerOptions(level: string): LoggerConfig {
	const root = pino({
		level: "trace", // each child gets Moleculer's level for its module
		base: undefined,
		timestamp: pino.stdTimeFunctions.isoTime,
		serializers: { err: pino.stdSerializers.err },
		mixin: () => {
			const context = currentRequestContext();
			return context ? { requestId: context.requestId } : {};
		}
	});
	return {
		type: "Pino",
		options: {
			level,
			createLogger: (childLevel: string, bindings: Record<string, unknown>) =>
				consoleStyle(root.child(bindings, { level: childLevel }))
		}
	} as LoggerConfig;
}
