import type { CheckResult } from "./checker.types";
import { quoted, trimMessage } from "./messages";

/**
 * Byte-equal texts after two allowances: CRLF line endings read as LF (a program on any system may write
 * either), and at most one final newline is ignored ("5" equals "5\n", but "5\n\n" does not). Spaces,
 * tabs and empty lines count.
 */
export function checkExact(expected: string, actual: string): CheckResult {
	const want = normalised(expected);
	const got = normalised(actual);
	if (want === got) return { verdict: "AC" };
	return { verdict: "WA", message: trimMessage(firstDifference(want, got)) };
}

function normalised(text: string): string {
	const lf = text.replaceAll("\r\n", "\n");
	return lf.endsWith("\n") ? lf.slice(0, -1) : lf;
}

/** Where the texts first differ, as "line 2, column 5: expected "x", found "y"". */
function firstDifference(want: string, got: string): string {
	let i = 0;
	while (i < want.length && i < got.length && want.charCodeAt(i) === got.charCodeAt(i)) i++;
	const lineStart = i === 0 ? 0 : want.lastIndexOf("\n", i - 1) + 1;
	let line = 1;
	for (let k = want.indexOf("\n"); k !== -1 && k < lineStart; k = want.indexOf("\n", k + 1)) line++;
	return `line ${line}, column ${i - lineStart + 1}: expected ${rest(want, i)}, found ${rest(got, i)}`;
}

/** The rest of the line from `i`, quoted, or what ends it there. */
function rest(text: string, i: number): string {
	if (i >= text.length) return "end of output";
	const lineEnd = text.indexOf("\n", i);
	if (lineEnd === i) return "end of line";
	return quoted(text.slice(i, lineEnd === -1 ? text.length : lineEnd));
}
