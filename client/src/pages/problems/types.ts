/** The judge's shapes as the API answers them (/api/openapi.json: problems.*, judge.languages). */
export const LANGUAGE_IDS = ["javascript", "python", "c", "cpp"] as const;
export type LanguageId = (typeof LANGUAGE_IDS)[number];

export type Verdict = "AC" | "WA" | "TLE" | "MLE" | "OLE" | "RE" | "CE" | "IE";

export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const CHECKERS = ["tokens", "exact", "floats", "lines-unordered"] as const;
export type CheckerKind = (typeof CHECKERS)[number] | "custom";

export interface Language {
	id: LanguageId;
	name: string;
	version: string;
	available: boolean;
	reason?: string;
}

export interface Sample {
	input: string;
	output: string;
}

export interface Problem {
	id: string;
	title: string;
	statement: string;
	statementHtml: string;
	status: "draft" | "published";
	authorId: string;
	timeLimitMs?: number;
	memoryLimitMb?: number;
	outputLimitKb?: number;
	checker: CheckerKind;
	scoring: "all-or-nothing" | "partial";
	tags: string[];
	difficulty: Difficulty;
	samples: Sample[];
	testCount: number;
	solvedCount: number;
	solved: boolean;
	publishedAt: string | null;
	createdAt: string;
}

export interface TestResult {
	verdict: Verdict;
	timeMs: number;
	memoryKb: number;
	/** Sample tests only: what the program was given, what was expected and what it printed. */
	input?: string;
	expected?: string;
	actual?: string;
	message?: string;
}

export type SubmissionStatus = "queued" | "compiling" | "running" | "done";

export interface Submission {
	id: string;
	problemId: string;
	userId: string;
	language: LanguageId;
	status: SubmissionStatus;
	verdict: Verdict | null;
	pretestVerdict: Verdict | null;
	score: number | null;
	progress: { test: number; of: number } | null;
	tests: TestResult[];
	compileMessage: string | null;
	createdAt: string;
	judgedAt: string | null;
}

/** One `submission` event of the stream: the judge's progress on one of the caller's submissions. */
export interface JudgeProgress {
	submissionId: string;
	status: "compiling" | "running" | "done";
	test?: number;
	of?: number;
	pretestVerdict?: Verdict;
	verdict?: Verdict;
	score?: number;
}

/** A test as an author writes it (POST /api/problems, PUT /api/problems/:id/tests, a contest's code problem). */
export interface TestDraft {
	input: string;
	output: string;
	sample: boolean;
}
