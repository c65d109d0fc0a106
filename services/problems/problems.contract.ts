/**
 * The problems service's contract: problems with hidden tests, submissions and their verdicts, the
 * practice archive. The judge calls the internal actions below; other services import this file,
 * never the service's other files.
 */
import type { ActionSpec, ErrorSpec, UploadSpec } from "../../lib/contracts";
import { eventTypes } from "../../lib/contracts";
import type { LanguageId, Verdict } from "../judge/judge.contract";
import type {
	CheckerSpec,
	CreateProblemParams,
	ListProblemsParams,
	MySubmissionsParams,
	Page,
	ProblemParams,
	ProblemTest,
	ProblemView,
	Rejudged,
	SubmissionParams,
	SubmissionView,
	Submitted,
	SubmitParams,
	TestResult
} from "./problems.types";
import { MAX_TESTS, testSchema } from "./problems.types";

export type { CheckerSpec, CreateProblemParams, ProblemTest, ProblemView, SubmissionView, TestResult } from "./problems.types";
export { createProblemParams } from "./problems.types";

/** What the judge needs of a problem besides its tests; `testsVersion` names the tests it must judge with. */
export interface JudgingSpec {
	problemId: string;
	testsVersion: number;
	timeLimitMs: number;
	memoryLimitMb: number;
	outputLimitKb: number;
	checker: CheckerSpec;
	scoring: "all-or-nothing" | "partial";
	batches: { points: number }[];
}

/** `problems.claimSubmission`: judge it (this attempt is the fencing token of every report), or leave it. */
export type Claim =
	| {
			state: "judge";
			attempt: number;
			submission: { id: string; userId: string; language: LanguageId; source: string };
			problem: JudgingSpec;
	  }
	| { state: "done" };

export interface ProgressParams {
	submissionId: string;
	attempt: number;
	status: "compiling" | "running";
	test?: number;
	of?: number;
	pretestVerdict?: Verdict;
}

export interface JudgedParams {
	submissionId: string;
	attempt: number;
	verdict: Verdict;
	score: number;
	tests: TestResult[];
	compileMessage: string | null;
	/** The verdict on the pretests alone; null when the problem has none (or the program did not compile). */
	pretestVerdict: Verdict | null;
}

/** The JSON form of an upload: the JSON API's tests, except that a sample is a pretest unless it says `pretest: false`. */
const testsJson = {
	$$strict: true,
	tests: {
		type: "array",
		min: 1,
		max: MAX_TESTS,
		items: { type: "object", props: { ...testSchema, pretest: { type: "boolean", optional: true } } }
	}
} as const;

/**
 * Tests are uploaded raw (a zip, or JSON of `{tests: [...]}`), not through the JSON API and its
 * body limit: the gateway streams this route's body to `problems.replaceTests`, refusing more bytes,
 * and documents it from this declaration.
 */
export const TESTS_UPLOAD = {
	under: "/problems",
	route: "PUT /:id/tests",
	action: "problems.replaceTests",
	maxBytes: 32 * 1024 * 1024,
	media: { "application/zip": null, "application/json": testsJson },
	description:
		"The author replaces the problem's tests (its tests version moves on). A zip of `<name>.in` files with their `<name>.out` " +
		"(or `.ans`) answers, samples in a `samples/` folder and pretests in `pretests/`, in natural order of their names; or JSON " +
		"`{tests: [...]}`. Told apart by their first bytes, not by Content-Type. At most 200 tests, 8 MiB a file and 64 MiB in all " +
		"once inflated; the Content-Length is required."
} as const satisfies UploadSpec;

/** `problems.createForContest`: a code problem of a contest, written by its organiser. */
export type ContestProblemParams = CreateProblemParams & { contestId: string; authorId: string };

/** `problems.submitForContest`: a participant's program, after the contests service checked they may submit. */
export interface ContestSubmissionParams {
	problemId: string;
	contestId: string;
	userId: string;
	language: LanguageId;
	source: string;
}

export interface ProblemsActions {
	"problems.create": ActionSpec<CreateProblemParams, ProblemView>;
	"problems.list": ActionSpec<ListProblemsParams, Page<ProblemView>>;
	"problems.get": ActionSpec<ProblemParams, ProblemView>;
	"problems.publish": ActionSpec<ProblemParams, ProblemView>;
	/** Through the gateway's upload route (TESTS_UPLOAD), the body as the call's stream. */
	"problems.replaceTests": ActionSpec<ProblemParams, ProblemView>;
	"problems.rejudge": ActionSpec<ProblemParams, Rejudged>;
	"problems.submit": ActionSpec<SubmitParams, Submitted>;
	/** Contests: a code problem for a contest, out of the archive. */
	"problems.createForContest": ActionSpec<ContestProblemParams, ProblemView>;
	/** Contests: a participant's program (the contest's rules checked by the caller). */
	"problems.submitForContest": ActionSpec<ContestSubmissionParams, { id: string }>;
	"problems.submission": ActionSpec<SubmissionParams, SubmissionView>;
	"problems.mySubmissions": ActionSpec<MySubmissionsParams, Page<SubmissionView>>;
	/** The judge: takes a queued submission (again, after a crash: the attempt grows; past the last one it ends as IE). */
	"problems.claimSubmission": ActionSpec<{ submissionId: string }, Claim>;
	/** The judge: a problem's tests at the version a claim named (TESTS_CHANGED if they changed since). */
	"problems.judgeTests": ActionSpec<{ problemId: string; version: number }, { tests: ProblemTest[] }>;
	/** The judge: compiling, or running test k of n (ignored from an attempt that is no longer current). */
	"problems.reportProgress": ActionSpec<ProgressParams, { current: boolean }>;
	/** The judge: the verdict; recorded once, from the current attempt only. */
	"problems.recordVerdict": ActionSpec<JudgedParams, { recorded: boolean }>;
}

/** The errors callers of the internal actions may see. */
export const PROBLEMS_ERRORS = {
	/** `problems.judgeTests`: the tests changed after the claim; the judge claims again. */
	TESTS_CHANGED: { code: 409, type: "TESTS_CHANGED" }
} as const satisfies Record<string, ErrorSpec>;

export interface ProblemEventBase {
	problemId: string;
	title: string;
	authorId: string;
}
export type ProblemCreatedEvent = ProblemEventBase;
export type ProblemPublishedEvent = ProblemEventBase;

export interface SubmissionEventBase {
	submissionId: string;
	problemId: string;
	userId: string;
	language: LanguageId;
}
export type SubmissionQueuedEvent = SubmissionEventBase;
export interface SubmissionJudgedEvent extends SubmissionEventBase {
	verdict: Verdict;
	score: number;
	/** The user's first accepted submission of this problem: the archive's solved count moved. */
	firstSolve: boolean;
	/** Set for a contest's submission: the contest's board counts it. */
	contestId: string | null;
	/** 1, or more after rejudges: a consumer keeps the verdict of the highest judgement. */
	judgement: number;
	/** When it was submitted (a board orders attempts by it, not by when they were judged). */
	submittedAt: string;
}

/** The domain events problems produces: event type → payload. Never a source, a test or a checker. */
export interface ProblemsEvents {
	"problem.created": ProblemCreatedEvent;
	"problem.published": ProblemPublishedEvent;
	"submission.queued": SubmissionQueuedEvent;
	"submission.judged": SubmissionJudgedEvent;
}

export const PROBLEMS_EVENT_TYPES = eventTypes<ProblemsEvents>({
	"problem.created": true,
	"problem.published": true,
	"submission.queued": true,
	"submission.judged": true
});
