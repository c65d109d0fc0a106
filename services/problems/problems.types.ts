export type { Page } from "../../lib/page";

import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";
import { LANGUAGE_IDS, VERDICTS } from "../judge/judge.contract";

export { LANGUAGE_IDS };

export const PROBLEM_STATUSES = ["draft", "published"] as const;
export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export const CHECKER_KINDS = ["tokens", "exact", "floats", "lines-unordered", "custom"] as const;
/** all-or-nothing: AC or 0 (ICPC); partial: the share of tests (or the batches' points) passed. */
export const SCORINGS = ["all-or-nothing", "partial"] as const;
export const SUBMISSION_STATUSES = ["queued", "compiling", "running", "done"] as const;

/** A learner's program: 64 KiB, like Codeforces. */
export const MAX_SOURCE_BYTES = 64 * 1024;
export const MAX_TESTS = 200;
/** One test's input or output through the JSON API; larger tests come as an archive. */
export const MAX_TEST_CHARS = 8 * 1024 * 1024;
export const MAX_BATCHES = 50;
export const MAX_TAGS = 5;

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

const id = { type: "uuid" } as const;
const count = { type: "number", integer: true, min: 0 } as const;
const title = { type: "string", min: 3, max: 200 } as const;
const statement = { type: "string", min: 1, max: 50_000 } as const;
const testText = { type: "string", max: MAX_TEST_CHARS } as const;
const language = { type: "enum", values: LANGUAGE_IDS } as const;
const verdict = { type: "enum", values: VERDICTS } as const;
const tag = { type: "string", min: 1, max: 32 } as const;

const limits = {
	/** CPU time per test. */
	timeLimitMs: { type: "number", integer: true, min: 100, max: 10_000, default: 1000 },
	memoryLimitMb: { type: "number", integer: true, min: 16, max: 512, default: 256 },
	outputLimitKb: { type: "number", integer: true, min: 1, max: 16 * 1024, default: 1024 }
} as const;

/** How output is compared; a custom checker is a program (testlib's exit codes) run in the sandbox. */
export const checkerSchema = {
	$$strict: true,
	kind: { type: "enum", values: CHECKER_KINDS },
	/** floats: the tolerance, absolute or relative (a token passes within either). */
	absolute: { type: "number", min: 0, max: 1, optional: true },
	relative: { type: "number", min: 0, max: 1, optional: true },
	/** custom: the checker's language and source. */
	language: { ...language, optional: true },
	source: { type: "string", min: 1, max: MAX_SOURCE_BYTES, optional: true }
} as const;
export type CheckerSpec = Infer<typeof checkerSchema>;

/** A batch (subtask) scores its points only if every one of its tests passes. */
const batchSchema = { $$strict: true, points: { type: "number", integer: true, min: 1, max: 1000 } } as const;

const sampleSchema = { $$strict: true, input: testText, output: testText } as const;

/** A problem as a reader sees it: samples shown, hidden tests counted, never a custom checker's source. */
export const problemViewSchema = {
	$$strict: true,
	id,
	title,
	statement,
	/** The statement's Markdown rendered (sanitised HTML). */
	statementHtml: { type: "string" },
	status: { type: "enum", values: PROBLEM_STATUSES },
	authorId: id,
	...limits,
	checker: { type: "enum", values: CHECKER_KINDS },
	scoring: { type: "enum", values: SCORINGS },
	batches: { type: "array", items: { type: "object", props: batchSchema } },
	tags: { type: "array", max: MAX_TAGS, items: tag },
	difficulty: { type: "enum", values: DIFFICULTIES },
	samples: { type: "array", items: { type: "object", props: sampleSchema } },
	testCount: count,
	solvedCount: count,
	/** Whether the caller has solved it (false when anonymous). */
	solved: { type: "boolean" },
	publishedAt: { ...isoDateTime, nullable: true },
	createdAt: isoDateTime,
	updatedAt: isoDateTime
} as const;
export type ProblemView = Infer<typeof problemViewSchema>;

/** One test as the API takes it; samples are shown to readers, pretests judged first in a contest. */
export const testSchema = {
	$$strict: true,
	input: testText,
	output: testText,
	sample: { type: "boolean", default: false },
	pretest: { type: "boolean", default: false },
	/** The batch (index into `batches`) the test belongs to. */
	batch: { type: "number", integer: true, min: 0, max: MAX_BATCHES - 1, optional: true }
} as const;
export type ProblemTest = Infer<typeof testSchema>;

/** One test's result; the input, expected and actual output only for a sample. */
export const testResultSchema = {
	$$strict: true,
	verdict,
	timeMs: count,
	memoryKb: count,
	input: { ...testText, optional: true },
	expected: { ...testText, optional: true },
	actual: { ...testText, optional: true },
	/** The checker's or the runtime's word on a failure (never a hidden test's data). */
	message: { type: "string", max: 1000, optional: true }
} as const;
export type TestResult = Infer<typeof testResultSchema>;

/** A submission as its author sees it. */
export const submissionViewSchema = {
	$$strict: true,
	id,
	problemId: id,
	userId: id,
	language,
	status: { type: "enum", values: SUBMISSION_STATUSES },
	verdict: { ...verdict, nullable: true },
	/**
	 * The verdict on the pretests alone, known as soon as they are judged (they run first, so a contest shows it
	 * before the other tests end); null until then, and for a problem without pretests.
	 */
	pretestVerdict: { ...verdict, nullable: true },
	/** 0–100 (or the batches' points); null until judged. */
	score: { ...count, nullable: true },
	/** While running: the test being judged and how many there are. */
	progress: { type: "object", props: { $$strict: true, test: count, of: count }, nullable: true },
	tests: { type: "array", items: { type: "object", props: testResultSchema } },
	/** CE: the compiler's message, trimmed. */
	compileMessage: { type: "string", max: 4096, nullable: true },
	createdAt: isoDateTime,
	judgedAt: { ...isoDateTime, nullable: true }
} as const;
export type SubmissionView = Infer<typeof submissionViewSchema>;

export const problemPageSchema = pageSchema(problemViewSchema);
export const submissionPageSchema = pageSchema(submissionViewSchema);

// --- Actions' parameters ---

export const createProblemParams = {
	$$strict: true,
	title,
	statement,
	...limits,
	checker: { type: "object", props: checkerSchema, default: { kind: "tokens" } },
	scoring: { type: "enum", values: SCORINGS, default: "all-or-nothing" },
	batches: { type: "array", max: MAX_BATCHES, items: { type: "object", props: batchSchema }, default: [] },
	tags: { type: "array", max: MAX_TAGS, items: tag, default: [] },
	difficulty: { type: "enum", values: DIFFICULTIES, default: "medium" },
	tests: { type: "array", min: 1, max: MAX_TESTS, items: { type: "object", props: testSchema } }
} as const;
export type CreateProblemParams = Infer<typeof createProblemParams>;

export const problemParams = { $$strict: true, id } as const;
export type ProblemParams = Infer<typeof problemParams>;

export const listProblemsParams = {
	$$strict: true,
	tag: { ...tag, optional: true },
	difficulty: { type: "enum", values: DIFFICULTIES, optional: true },
	page: { type: "number", integer: true, min: 1, max: 10_000, default: 1, convert: true },
	pageSize: { type: "number", integer: true, min: 1, max: 100, default: 20, convert: true }
} as const;
export type ListProblemsParams = Infer<typeof listProblemsParams>;

export const submitParams = {
	$$strict: true,
	id,
	language,
	source: { type: "string", min: 1, max: MAX_SOURCE_BYTES }
} as const;
export type SubmitParams = Infer<typeof submitParams>;

export const submissionParams = { $$strict: true, id } as const;
export type SubmissionParams = Infer<typeof submissionParams>;

export const mySubmissionsParams = {
	$$strict: true,
	id,
	page: { type: "number", integer: true, min: 1, max: 10_000, default: 1, convert: true },
	pageSize: { type: "number", integer: true, min: 1, max: 100, default: 20, convert: true }
} as const;
export type MySubmissionsParams = Infer<typeof mySubmissionsParams>;

export const rejudgedSchema = { $$strict: true, requeued: { type: "number", integer: true, min: 0 } } as const;
export type Rejudged = Infer<typeof rejudgedSchema>;

export const submittedSchema = { $$strict: true, id, status: { type: "equal", value: "queued", strict: true } } as const;
export type Submitted = Infer<typeof submittedSchema>;
