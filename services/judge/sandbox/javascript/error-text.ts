/**
 * Error text shown to learners, in Node's words where it can be: a compile error with the line and a caret, an
 * uncaught asynchronous error by its stack (without the frames of the sandbox or of the host beyond the isolate).
 */
import { cutUtf8, TEXT_KEEP_BYTES } from "./text-limits";

/** What V8 in isolated-vm appends to a syntax error's message: `[main.js:3:5]`. */
const POSITION = / \[main\.js:(\d+):(\d+)\]$/;
const SHOWN_LINE_CHARS = 200;
/** The frame isolated-vm puts between the isolate's frames and the host's. */
const BOUNDARY = "<isolated-vm boundary>";
const NOT_AN_ERROR = "An object was thrown from supplied code within isolated-vm";

function errorParts(err: unknown): { name: string; message: string; stack: string } {
	if (err instanceof Error) return { name: err.name, message: err.message, stack: typeof err.stack === "string" ? err.stack : "" };
	return { name: "Error", message: String(err), stack: "" };
}

/** `main.js:2`, the line, a caret under the column, then `SyntaxError: …`, as Node prints it. */
export function compileErrorText(err: unknown, source: string): string {
	const { name, message } = errorParts(err);
	const position = POSITION.exec(message);
	if (position === null) return cutUtf8(`${name}: ${message}`, TEXT_KEEP_BYTES);
	const lineNumber = Number(position[1]);
	const column = Math.max(0, Number(position[2]) - 1);
	const line = source.split(/\r\n|\n|\r/)[lineNumber - 1] ?? "";
	const start = Math.max(0, column - SHOWN_LINE_CHARS / 2);
	const shown = line.slice(start, start + SHOWN_LINE_CHARS);
	const caret = `${" ".repeat(column - start)}^`;
	const text = `main.js:${lineNumber}\n${shown}\n${caret}\n\n${name}: ${message.slice(0, position.index)}`;
	return cutUtf8(text, TEXT_KEEP_BYTES);
}

/**
 * An error that left the isolate outside the prelude's reach (an unhandled rejection after the program's last
 * synchronous step): its message and the program's own frames, never the sandbox's or the host's.
 */
export function uncaughtErrorText(err: unknown): string {
	if (!(err instanceof Error)) return `Uncaught ${String(err)}`;
	if (err.message.startsWith(NOT_AN_ERROR)) return "Uncaught (in promise) a value that is not an Error";
	const lines: string[] = [];
	let inFrames = false;
	for (const line of (err.stack ?? `${err.name}: ${err.message}`).split("\n")) {
		if (line.includes(BOUNDARY)) break;
		inFrames ||= line.startsWith("    at ");
		if (!inFrames || line.includes("main.js:")) lines.push(line);
	}
	return lines.join("\n");
}
