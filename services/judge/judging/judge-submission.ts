import type { JudgingSpec, ProblemTest, TestResult } from "../../problems/problems.contract";
import type { Checker, CheckResult } from "../checking/checker.types";
import { check } from "../checking/checkers";
import { runCustomChecker } from "../checking/custom-checker";
import { pretestResultOf, resultOf, shouldContinue, type TestOutcome } from "../checking/scoring";
import { verdictOfRun, type Verdict } from "../checking/verdicts";
import type { PreparedProgram, PrepareResult, RunLimits, RunResult } from "../sandbox/sandbox.types";

/** What a sample test shows of its texts: enough to see the mistake, never megabytes. */
const SHOWN_CHARS = 4096;
/** A custom checker's own limits: it reads three texts and compares them. */
const CHECKER_LIMITS: RunLimits = { timeMs: 5000, memoryMb: 256, outputBytes: 64 * 1024 };

export interface Judgement {
	verdict: Verdict;
	score: number;
	tests: TestResult[];
	compileMessage: string | null;
	pretestVerdict: Verdict | null;
}

export interface Progress {
	status: "compiling" | "running";
	/** The test about to run, from 1, and how many there are. */
	test?: number;
	of?: number;
	/** Set once, when the last pretest is judged and other tests follow. */
	pretestVerdict?: Verdict;
}

export interface JudgeJob {
	source: string;
	problem: JudgingSpec;
	tests: readonly ProblemTest[];
	/** The submission's language's runtime, its time limit scaled for the language. */
	prepare(source: string, limits: RunLimits): Promise<PrepareResult>;
	/** The custom checker's runtime, when the problem has one. */
	prepareChecker?(source: string, limits: RunLimits): Promise<PrepareResult>;
	timeMultiplier: number;
	/** Called before compiling, before each test, and with the pretests' verdict once they are judged. */
	progress(report: Progress): void;
}

/**
 * How many pretests lead the tests: the problems service stores them first, so their verdict is known, and shown,
 * before the other tests run. Zero when a pretest comes after another test (there is then no early verdict).
 */
function leadingPretests(tests: readonly ProblemTest[]): number {
	const count = tests.filter(test => test.pretest).length;
	return tests.slice(0, count).every(test => test.pretest) ? count : 0;
}

const shown = (text: string) => (text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text);

/** How a run failed, in words that carry nothing of the test: an exit code or a signal, never the program's output. */
const failureOf = (run: RunResult): string | undefined =>
	run.signal ?? (run.exitCode !== null && run.exitCode !== 0 ? `exit code ${run.exitCode}` : undefined);

/**
 * Judges one submission: compile (or load), run the tests in order, each in a fresh sandbox, check
 * each output, and score. A sandbox that fails (rather than the program) throws: the judge service
 * lets another attempt take the submission instead of giving a verdict the program did not earn.
 */
export async function judgeSubmission(job: JudgeJob): Promise<Judgement> {
	const { problem, tests } = job;
	const limits: RunLimits = {
		timeMs: Math.round(problem.timeLimitMs * job.timeMultiplier),
		memoryMb: problem.memoryLimitMb,
		outputBytes: problem.outputLimitKb * 1024
	};
	job.progress({ status: "compiling" });
	const prepared = await job.prepare(job.source, limits);
	if (!prepared.ok) return { verdict: "CE", score: 0, tests: [], compileMessage: prepared.compileError, pretestVerdict: null };
	const checker = problem.checker as Checker;
	const scored = { tests, batches: problem.batches, scoring: problem.scoring };
	let checkerProgram: PreparedProgram | undefined;
	try {
		if (checker.kind === "custom") {
			const compiled = await job.prepareChecker!(checker.source, CHECKER_LIMITS);
			if (!compiled.ok)
				return {
					verdict: "IE",
					score: 0,
					tests: [],
					compileMessage: `The checker did not compile: ${compiled.compileError}`,
					pretestVerdict: null
				};
			checkerProgram = compiled.program;
		}
		const results: TestResult[] = [];
		const outcomes: TestOutcome[] = [];
		const pretests = leadingPretests(tests);
		for (const [i, test] of tests.entries()) {
			if (i === pretests && i > 0)
				job.progress({
					status: "running",
					test: i + 1,
					of: tests.length,
					pretestVerdict: pretestResultOf(scored, outcomes).verdict
				});
			else job.progress({ status: "running", test: i + 1, of: tests.length });
			const run = await prepared.program.run({ stdin: test.input }, limits);
			const early = verdictOfRun(run.outcome);
			const checked: CheckResult = early
				? { verdict: "AC", message: undefined }
				: checkerProgram
					? await runCustomChecker(
							checkerProgram,
							{ input: test.input, expected: test.output, actual: run.stdout },
							CHECKER_LIMITS
						)
					: check(checker, { input: test.input, expected: test.output, actual: run.stdout });
			const verdict = early ?? checked.verdict;
			// A hidden test's data never reaches the participant: not its text, not a checker's quote of it, not the program's echo of it.
			const message = test.sample
				? early === "RE"
					? run.stderr || failureOf(run)
					: checked.message
				: early === "RE"
					? failureOf(run)
					: undefined;
			outcomes.push({ verdict, ...(checked.points === undefined ? {} : { points: checked.points }) });
			results.push({
				verdict,
				timeMs: Math.round(run.timeMs),
				memoryKb: Math.round(run.memoryKb),
				...(message ? { message: message.slice(0, 1000) } : {}),
				...(test.sample ? { input: shown(test.input), expected: shown(test.output), actual: shown(run.stdout) } : {})
			});
			if (!shouldContinue(scored, outcomes[i])) break;
		}
		const result = resultOf(scored, outcomes);
		const pretestVerdict = pretests > 0 ? pretestResultOf(scored, outcomes).verdict : null;
		return { verdict: result.verdict, score: result.score, tests: results, compileMessage: null, pretestVerdict };
	} finally {
		await prepared.program.dispose();
		await checkerProgram?.dispose();
	}
}
