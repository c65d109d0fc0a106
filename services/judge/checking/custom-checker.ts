import type { PreparedProgram, RunLimits, RunResult } from "../sandbox/sandbox.types";
import type { CheckInput, CheckResult } from "./checker.types";
import { isDecimalNumber } from "./floats-checker";
import { trimMessage } from "./messages";
import { TokenCursor } from "./token-cursor";

/** The files a custom checker reads, named as its arguments give them: testlib's order, input, output, answer. */
export const CHECKER_FILES = { input: "input.txt", output: "output.txt", answer: "answer.txt" } as const;
export const CHECKER_ARGS: readonly string[] = [CHECKER_FILES.input, CHECKER_FILES.output, CHECKER_FILES.answer];

/**
 * Runs a prepared checker program on one test: the test's input, the contestant's output and the answer
 * as files, their names as arguments. A sandbox that fails to run it (the promise rejects) is the
 * judge's fault and propagates, as it would for the contestant's own run.
 */
export async function runCustomChecker(
	program: PreparedProgram,
	{ input, expected, actual }: CheckInput,
	limits: RunLimits
): Promise<CheckResult> {
	const files = { [CHECKER_FILES.input]: input, [CHECKER_FILES.output]: actual, [CHECKER_FILES.answer]: expected };
	return verdictOfChecker(await program.run({ stdin: "", files, args: CHECKER_ARGS }, limits));
}

const LIMIT_MESSAGES: Readonly<Record<string, string>> = {
	"time-limit": "the checker exceeded its time limit",
	"memory-limit": "the checker exceeded its memory limit",
	"output-limit": "the checker wrote too much output"
};

/**
 * testlib's exit codes: 0 ok → AC; 1 wrong answer and 2 presentation error → WA; 3 the checker's own
 * failure → IE; 7 points → a share of the test (see pointsOf); 8, testlib's "unexpected eof" when built
 * with ENABLE_UNEXPECTED_EOF, means the contestant's output ended early → WA. Any other exit, a signal or
 * a limit is the checker's failure → IE. The message is the first non-empty line of its stderr (of its
 * stdout when stderr is empty).
 */
export function verdictOfChecker(run: RunResult): CheckResult {
	const said = firstLine(run.stderr) ?? firstLine(run.stdout);
	const failed = (why: string): CheckResult => ({ verdict: "IE", message: trimMessage(said ? `${why}: ${said}` : why) });
	const limit = LIMIT_MESSAGES[run.outcome];
	if (limit) return failed(limit);
	if (run.signal !== null) return failed(`the checker was ended by ${run.signal}`);
	const judged = (verdict: CheckResult["verdict"]): CheckResult => (said ? { verdict, message: trimMessage(said) } : { verdict });
	switch (run.exitCode) {
		case 0:
			return judged("AC");
		case 1:
		case 2:
		case 8:
			return judged("WA");
		case 3:
			return failed("the checker failed");
		case 7:
			return partial(run, said);
		default:
			return failed(`the checker exited with code ${run.exitCode}`);
	}
}

/** A checker's partial credit: AC when it gave the whole test, else WA with the share it gave. */
function partial(run: RunResult, said: string | null): CheckResult {
	const points = pointsOf(run.stderr) ?? pointsOf(run.stdout);
	if (points === null || points < 0 || points > 1) {
		const why =
			points === null ? "the checker gave points (exit code 7) but no number" : `the checker gave ${points} points, outside 0..1`;
		return { verdict: "IE", message: trimMessage(said ? `${why}: ${said}` : why) };
	}
	const verdict = points === 1 ? "AC" : "WA";
	return said ? { verdict, message: trimMessage(said), points } : { verdict, points };
}

/**
 * The points of testlib's quitp, which writes "points <value> <message>" as the first line of stderr: the
 * first number of the first non-empty line, after an optional leading word "points". The value is the
 * share of the test earned, from 0 to 1.
 */
export function pointsOf(text: string): number | null {
	const line = firstLine(text);
	if (line === null) return null;
	const cursor = new TokenCursor(line);
	cursor.next();
	if (cursor.token() === "points" && !cursor.next()) return null;
	if (!isDecimalNumber(line, cursor.start, cursor.end)) return null;
	const value = Number(cursor.token());
	return Number.isFinite(value) ? value : null;
}

/** The first line with something on it, trimmed, or null. */
function firstLine(text: string): string | null {
	for (let start = 0; start < text.length;) {
		const newline = text.indexOf("\n", start);
		const end = newline === -1 ? text.length : newline;
		const line = text.slice(start, end).trim();
		if (line) return line;
		start = end + 1;
	}
	return null;
}
