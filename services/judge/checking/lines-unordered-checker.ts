import type { CheckResult } from "./checker.types";
import { quoted, trimMessage } from "./messages";
import { isSpace } from "./token-cursor";

/**
 * The same lines in any order: the multisets of lines, each trimmed of ASCII whitespace (which drops
 * CRs), empty lines left out, are equal. Spacing inside a line counts. Both sides are sorted and walked
 * together: on hundreds of thousands of distinct lines a sort is several times faster than counting in a Map.
 */
export function checkLinesUnordered(expected: string, actual: string): CheckResult {
	const want = trimmedLines(expected).sort();
	const got = trimmedLines(actual).sort();
	// Sorted, equal multisets are equal lists; at the first difference the smaller line is the one short on its side.
	let k = 0;
	while (k < want.length && k < got.length && want[k] === got[k]) k++;
	if (k === want.length && k === got.length) return { verdict: "AC" };
	if (k < want.length && (k === got.length || want[k] < got[k])) return wrong(`missing line ${quoted(want[k])}`);
	return extra(actual, got[k], k > 0 && want[k - 1] === got[k]);
}

const wrong = (message: string): CheckResult => ({ verdict: "WA", message: trimMessage(message) });

function extra(actual: string, line: string, inAnswer: boolean): CheckResult {
	const place = `line ${lineNumberOf(actual, line)}: ${quoted(line)}`;
	return wrong(inAnswer ? `${place} is there more times than in the answer` : `${place} is not in the answer`);
}

/** Each line trimmed, the empty ones left out. */
function trimmedLines(text: string): string[] {
	const lines: string[] = [];
	forEachTrimmedLine(text, line => {
		lines.push(line);
		return true;
	});
	return lines;
}

/** Where a trimmed line first appears (from 1), for the message. */
function lineNumberOf(text: string, wanted: string): number {
	let found = 0;
	forEachTrimmedLine(text, (line, number) => {
		found = number;
		return line !== wanted;
	});
	return found;
}

/** Calls `visit` with each trimmed non-empty line and its number (from 1) while it returns true. */
function forEachTrimmedLine(text: string, visit: (line: string, number: number) => boolean): void {
	let number = 0;
	for (let start = 0; start <= text.length;) {
		const newline = text.indexOf("\n", start);
		const end = newline === -1 ? text.length : newline;
		number++;
		let from = start;
		let to = end;
		while (from < to && isSpace(text.charCodeAt(from))) from++;
		while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
		if (from < to && !visit(text.slice(from, to), number)) return;
		start = end + 1;
	}
}
