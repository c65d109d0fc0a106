import type { RunOutcome } from "../sandbox/sandbox.types";

/**
 * A test's verdict: accepted, wrong answer, time / memory / output limit exceeded, runtime error,
 * compilation error, internal error (the judge or a checker failed, not the contestant).
 */
export const VERDICTS = ["AC", "WA", "TLE", "MLE", "OLE", "RE", "CE", "IE"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What a checker may answer: it judges an output the program produced, or fails itself. */
export type CheckVerdict = Extract<Verdict, "AC" | "WA" | "IE">;

/** A run that did not end normally has its verdict already; `null`: it did, the checker decides. */
const VERDICT_OF_OUTCOME: Readonly<Record<RunOutcome, Verdict | null>> = {
	ok: null,
	"time-limit": "TLE",
	"memory-limit": "MLE",
	"output-limit": "OLE",
	"runtime-error": "RE"
};

/** The verdict a run earns before any checker looks at it; `null` when its output goes to the checker. */
export function verdictOfRun(outcome: RunOutcome): Verdict | null {
	return VERDICT_OF_OUTCOME[outcome];
}
