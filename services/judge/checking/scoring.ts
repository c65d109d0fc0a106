import type { Verdict } from "./verdicts";

/**
 * How a problem without batches scores: all-or-nothing (100 when every test passes, else 0; ICPC's rule
 * and the default), or partial (100 × the share of tests passed, rounded down; a test a custom checker
 * gave partial credit counts for that share).
 */
export const SCORING_MODES = ["all-or-nothing", "partial"] as const;
export type ScoringMode = (typeof SCORING_MODES)[number];
export const DEFAULT_SCORING: ScoringMode = "all-or-nothing";
/** The score of a problem without batches when every test passes. */
export const FULL_SCORE = 100;

export interface TestSpec {
	sample: boolean;
	pretest: boolean;
	/** The batch the test belongs to: an index into the problem's `batches`, from 0. */
	batch?: number;
}

/**
 * A problem's tests as scoring sees them, in judging order. With batches, each batch scores its points only
 * when all its tests pass (the scoring mode is then not used); a test in no batch (a sample, usually)
 * counts for the verdict only; a batch without tests counts for nothing, neither score nor maximum.
 */
export interface ProblemTests {
	tests: readonly TestSpec[];
	batches?: readonly { points: number }[];
	scoring?: ScoringMode;
}

/** One test's outcome: its verdict, and the share a custom checker gave when it gave partial credit. */
export interface TestOutcome {
	verdict: Verdict;
	points?: number;
}

export interface SubmissionResult {
	/** The verdict of the first test, in order, that did not pass; AC when all did. */
	verdict: Verdict;
	score: number;
	/** What passing every counted test would score: 100 without batches, the counted batches' points with. */
	maxScore: number;
	/** Counted tests that passed, and counted tests. */
	accepted: number;
	total: number;
}

/**
 * The submission's result over all tests. `outcomes[i]` is test i's; a test left unjudged after a failure
 * (judging stopped, see shouldContinue) counts as not passed. An unjudged test before any failure means
 * judging is incomplete: that is the caller's bug, and throws.
 */
export function resultOf(problem: ProblemTests, outcomes: readonly (TestOutcome | undefined)[]): SubmissionResult {
	return resultOver(problem, () => true, outcomes);
}

/** The result on the pretests only, as a contest shows it before the full tests run: the problem as if it had only them. */
export function pretestResultOf(problem: ProblemTests, outcomes: readonly (TestOutcome | undefined)[]): SubmissionResult {
	return resultOver(problem, test => test.pretest, outcomes);
}

/** Judging may stop at the first failure only when one failure already decides everything: all-or-nothing, without batches. */
export function stopsAtFirstFailure(problem: ProblemTests): boolean {
	return (problem.scoring ?? DEFAULT_SCORING) === "all-or-nothing" && !hasBatches(problem);
}

/** Whether the judge should run the next test after this outcome. */
export function shouldContinue(problem: ProblemTests, outcome: TestOutcome): boolean {
	return outcome.verdict === "AC" || !stopsAtFirstFailure(problem);
}

const hasBatches = (problem: ProblemTests): boolean => (problem.batches?.length ?? 0) > 0;

/** Rounding slack, so a sum of shares such as 0.1 + 0.2 is not floored a point below its value. */
const SHARE_SLACK = 1e-9;

function resultOver(
	problem: ProblemTests,
	counted: (test: TestSpec) => boolean,
	outcomes: readonly (TestOutcome | undefined)[]
): SubmissionResult {
	assertBatchesExist(problem);
	let verdict: Verdict = "AC";
	let accepted = 0;
	let total = 0;
	let share = 0;
	const batchTests = new Map<number, { all: number; passed: number }>();
	problem.tests.forEach((test, index) => {
		if (!counted(test)) return;
		const outcome = outcomes[index];
		if (outcome === undefined && verdict === "AC") {
			throw new Error(`Test ${index + 1} has no outcome yet no test before it failed: judging is incomplete`);
		}
		const passed = outcome?.verdict === "AC";
		if (!passed && verdict === "AC") verdict = outcome?.verdict ?? "IE";
		total++;
		if (passed) accepted++;
		share += passed ? 1 : Math.min(1, Math.max(0, outcome?.points ?? 0));
		if (test.batch !== undefined) {
			const batch = batchTests.get(test.batch) ?? { all: 0, passed: 0 };
			batch.all++;
			if (passed) batch.passed++;
			batchTests.set(test.batch, batch);
		}
	});
	if (hasBatches(problem)) return { verdict, accepted, total, ...batchScore(problem, batchTests) };
	if (total === 0) return { verdict, accepted, total, score: 0, maxScore: 0 };
	const partial = (problem.scoring ?? DEFAULT_SCORING) === "partial";
	const score = accepted === total ? FULL_SCORE : partial ? Math.floor((FULL_SCORE * share) / total + SHARE_SLACK) : 0;
	return { verdict, accepted, total, score, maxScore: FULL_SCORE };
}

function batchScore(problem: ProblemTests, batchTests: Map<number, { all: number; passed: number }>): { score: number; maxScore: number } {
	const batches = problem.batches ?? [];
	let score = 0;
	let maxScore = 0;
	for (const [index, { all, passed }] of batchTests) {
		maxScore += batches[index].points;
		if (passed === all) score += batches[index].points;
	}
	return { score, maxScore };
}

/** A test naming a batch the problem lacks is a problem saved inconsistently: scoring it would silently drop points. */
function assertBatchesExist(problem: ProblemTests): void {
	const count = problem.batches?.length ?? 0;
	problem.tests.forEach((test, index) => {
		if (test.batch === undefined || (Number.isInteger(test.batch) && test.batch >= 0 && test.batch < count)) return;
		throw new RangeError(`Test ${index + 1} names batch ${test.batch}, but the problem has ${count} batches`);
	});
}
