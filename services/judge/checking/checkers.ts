import type { CheckInput, Checker, CheckResult } from "./checker.types";
import { checkExact } from "./exact-checker";
import { checkFloats } from "./floats-checker";
import { checkLinesUnordered } from "./lines-unordered-checker";
import { checkTokens } from "./tokens-checker";

/**
 * Judges one output with a built-in checker: pure, linear in the texts' length. A custom checker is a
 * program: the judge prepares it and calls runCustomChecker; here it is an internal error.
 */
export function check(checker: Checker, { expected, actual }: CheckInput): CheckResult {
	switch (checker.kind) {
		case "tokens":
			return checkTokens(expected, actual);
		case "exact":
			return checkExact(expected, actual);
		case "floats":
			return checkFloats(expected, actual, checker);
		case "lines-unordered":
			return checkLinesUnordered(expected, actual);
		case "custom":
			return { verdict: "IE", message: "a custom checker runs in the sandbox (runCustomChecker), not in check()" };
		default:
			return { verdict: "IE", message: `unknown checker ${JSON.stringify((checker as { kind: unknown }).kind)}` };
	}
}
