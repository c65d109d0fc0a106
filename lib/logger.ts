import type { LoggerConfig } from "moleculer";
import { type DestinationStream, pino, type Logger } from "pino";
import { PinoPretty } from "pino-pretty";
import { currentRequestContext } from "./request-context";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

/** `pretty`: readable lines for a person at a terminal; `json`: one object a line, for collectors and tests. */
export type LogFormat = "pretty" | "json";

export interface LogOutput {
	format: LogFormat;
	/** Where lines go: stdout unless given (tests capture them). */
	destination?: NodeJS.WritableStream;
	/** Pretty lines only; by default when the terminal supports colour (NO_COLOR and FORCE_COLOR count). */
	colorize?: boolean;
}

/** Moleculer's bindings, shown as `node/MODULE` at the head of a pretty line instead of as fields. */
const SHOWN_IN_HEAD = ["nodeID", "ns", "mod", "svc", "ver", "requestId"];

/**
 * Pretty lines formatted in this thread and written synchronously: a transport's worker thread
 * would lose the last lines when the process exits right after them (a failed start-up, say).
 */
function prettyStream(output: LogOutput): DestinationStream {
	return PinoPretty({
		sync: true,
		destination: output.destination ?? 1,
		...(output.colorize === undefined ? {} : { colorize: output.colorize }),
		translateTime: "SYS:HH:MM:ss.l",
		ignore: SHOWN_IN_HEAD.join(","),
		messageFormat: (log, messageKey, _levelLabel, { colors }) => {
			const head = `${String(log.nodeID)}/${String(log.mod).toUpperCase()}`;
			const request = log.requestId ? ` [${String(log.requestId)}]` : "";
			return `${colors.gray(`${head}${request}:`)} ${String(log[messageKey])}`;
		}
	});
}

/**
 * Moleculer logs like console (`logger.error("msg", err, {extra})`), but pino reads extra
 * arguments as format values and drops them. This adapter moves errors and objects into pino's
 * merging object, so an error's message and stack reach the line.
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

/** Lines through pino, JSON or pretty; every line written while serving a request carries its id. */
export function loggerOptions(level: string, output: LogOutput = { format: "json" }): LoggerConfig {
	const destination = output.format === "pretty" ? prettyStream(output) : output.destination;
	const root = pino(
		{
			level: "trace", // each child gets Moleculer's level for its module
			base: undefined,
			timestamp: pino.stdTimeFunctions.isoTime,
			serializers: { err: pino.stdSerializers.err },
			mixin: () => {
				const context = currentRequestContext();
				return context ? { requestId: context.requestId } : {};
			}
		},
		destination
	);
	return {
		type: "Pino",
		options: {
			level,
			createLogger: (childLevel: string, bindings: Record<string, unknown>) =>
				consoleStyle(root.child(bindings, { level: childLevel }))
		}
	} as LoggerConfig;
}
