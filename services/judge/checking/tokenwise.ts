import type { CheckResult } from "./checker.types";
import { shown, trimMessage } from "./messages";
import { TokenCursor } from "./token-cursor";

/** Why two tokens differ, or `null` when they match. */
export type TokenJudge = (expected: TokenCursor, actual: TokenCursor) => string | null;

/**
 * Compares the answer and the output token by token: the first pair the judge refuses, or a missing or
 * extra token, is a wrong answer. Places in messages are the contestant's output's.
 */
export function compareTokenwise(expected: string, actual: string, judge: TokenJudge): CheckResult {
	const want = new TokenCursor(expected);
	const got = new TokenCursor(actual);
	for (;;) {
		const hasWant = want.next();
		const hasGot = got.next();
		if (!hasWant && !hasGot) return { verdict: "AC" };
		if (!hasGot) {
			return wrong(`after ${got.count} tokens: expected ${shown(want.token())}, found end of output`);
		}
		if (!hasWant) return wrong(`${placeOf(got)}: expected end of output, found ${shown(got.token())}`);
		const difference = judge(want, got);
		if (difference !== null) return wrong(`${placeOf(got)}: ${difference}`);
	}
}

const placeOf = (cursor: TokenCursor) => `line ${cursor.line}, token ${cursor.placeOnLine}`;
const wrong = (message: string): CheckResult => ({ verdict: "WA", message: trimMessage(message) });

/** The usual difference: "expected 5, found 4". */
export const expectedButFound = (expected: TokenCursor, actual: TokenCursor): string =>
	`expected ${shown(expected.token())}, found ${shown(actual.token())}`;
