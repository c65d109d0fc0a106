import type { CheckVerdict } from "./verdicts";

/**
 * How a test's output is judged: data stored with the problem (validated where it is written).
 * - tokens: the whitespace-separated tokens are equal (the default);
 * - exact: the text is equal, up to line endings and one final newline;
 * - floats: token by token, numbers within an absolute or a relative error, other tokens equal;
 * - lines-unordered: the same lines in any order;
 * - custom: a testlib-style checker program the organiser wrote, run in the sandbox.
 */
export type Checker =
	| { kind: "tokens" }
	| { kind: "exact" }
	| { kind: "floats"; absolute?: number; relative?: number }
	| { kind: "lines-unordered" }
	| { kind: "custom"; language: string; source: string };

export type CheckerKind = Checker["kind"];
export const CHECKER_KINDS = ["tokens", "exact", "floats", "lines-unordered", "custom"] as const satisfies readonly CheckerKind[];
export const DEFAULT_CHECKER: Checker = { kind: "tokens" };

/** One test's texts: its input, the organiser's answer, the contestant's output. */
export interface CheckInput {
	input: string;
	expected: string;
	actual: string;
}

export interface CheckResult {
	verdict: CheckVerdict;
	/** Why, for people: where the output differs, or what the checker said (at most 200 characters). */
	message?: string;
	/** The share of the test earned (0 to 1) when a custom checker gives partial credit; its verdict is then WA. */
	points?: number;
}
