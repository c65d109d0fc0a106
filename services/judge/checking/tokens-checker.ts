import type { CheckResult } from "./checker.types";
import { compareTokenwise, expectedButFound } from "./tokenwise";

/** The default checker: the whitespace-separated tokens are equal, however they are spaced or split into lines. */
export function checkTokens(expected: string, actual: string): CheckResult {
	return compareTokenwise(expected, actual, (want, got) => (want.sameTokenAs(got) ? null : expectedButFound(want, got)));
}
