export type { Page } from "../../lib/page";

import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";
import { LANGUAGE_IDS } from "../judge/judge.contract";
import { createProblemParams } from "../problems/problems.contract";
import { teamRefSchema, teamsParam, teamsSettingSchema } from "./teams.types";

export const SCORINGS = ["icpc", "points"] as const;
export type Scoring = (typeof SCORINGS)[number];
export const STATUSES = ["upcoming", "running", "ended"] as const;
export type ContestStatus = (typeof STATUSES)[number];
export const VERDICTS = ["accepted", "wrong"] as const;
/** An answer problem is judged by its answer; a code problem by the judge, running the program on hidden tests. */
export const PROBLEM_KINDS = ["answer", "code"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const MIN_DURATION_MS = 5 * 60_000;
export const MAX_DURATION_MS = 14 * 24 * 3600_000;
/** ICPC: each wrong try before the first accepted answer costs this many minutes. */
export const WRONG_TRY_PENALTY_MIN = 20;

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

const id = { type: "uuid" } as const;
const count = { type: "number", integer: true, min: 0 } as const;
const title = { type: "string", min: 3, max: 200 } as const;
const description = { type: "string", max: 20_000 } as const;
const statement = { type: "string", min: 1, max: 50_000 } as const;
const points = { type: "number", integer: true, min: 1, max: 10_000 } as const;
const freezeMinutes = { type: "number", integer: true, min: 1, max: 14 * 24 * 60, nullable: true } as const;
const verdict = { type: "enum", values: VERDICTS } as const;

/** A contest as anyone who may see it sees it; `registered`: whether the caller takes part. */
export const contestViewSchema = {
	$$strict: true,
	id,
	title,
	description,
	startsAt: isoDateTime,
	endsAt: isoDateTime,
	status: { type: "enum", values: STATUSES },
	scoring: { type: "enum", values: SCORINGS },
	/** Whether the end changes participants' ratings (docs/contests.md); fixed from the start on. */
	rated: { type: "boolean" },
	/** Team contests only: teams of at most `maxSize` compete (docs/contests.md); fixed from the start on. */
	teams: { type: "object", props: teamsSettingSchema, optional: true },
	groupId: { ...id, nullable: true },
	freezeMinutes,
	organiserId: id,
	problemCount: count,
	participantCount: count,
	registered: { type: "boolean" },
	/** When the organiser released its code problems to the practice archive (`POST /contests/:id/archive`). */
	archivedAt: { ...isoDateTime, nullable: true },
	createdAt: isoDateTime,
	updatedAt: isoDateTime
} as const;
export type ContestView = Infer<typeof contestViewSchema>;

const sample = { type: "string", max: 1_000_000 } as const;

/** A code problem's judging as participants see it: limits, the checker's kind, the sample tests. */
export const codeViewSchema = {
	$$strict: true,
	/** The judge's problem (its tests are uploaded there by the organiser: PUT /api/problems/:id/tests). */
	problemId: id,
	timeLimitMs: { type: "number", integer: true, min: 1 },
	memoryLimitMb: { type: "number", integer: true, min: 1 },
	outputLimitKb: { type: "number", integer: true, min: 1 },
	checker: { type: "string", max: 32 },
	samples: { type: "array", items: { type: "object", props: { $$strict: true, input: sample, output: sample } } }
} as const;
export type CodeView = Infer<typeof codeViewSchema>;

/** A problem as participants see it: never its answer, nor a hidden test, in any form. */
export const problemViewSchema = {
	$$strict: true,
	id,
	position: { type: "number", integer: true, min: 1 },
	kind: { type: "enum", values: PROBLEM_KINDS },
	title,
	statement,
	/** The statement's Markdown rendered (sanitised HTML). */
	statementHtml: { type: "string" },
	points,
	caseSensitive: { type: "boolean" },
	/** Set for a code problem. */
	code: { type: "object", props: codeViewSchema, nullable: true }
} as const;
export type ProblemView = Infer<typeof problemViewSchema>;

export const submissionViewSchema = {
	$$strict: true,
	id,
	problemId: id,
	verdict,
	/** Whether it counted: the first accepted answer of a problem does, later ones are recorded only. */
	scored: { type: "boolean" },
	submittedAt: isoDateTime,
	/** Team contests only: the member who submitted for the team (null once their account is gone). */
	submittedBy: { ...id, nullable: true, optional: true }
} as const;
export type SubmissionView = Infer<typeof submissionViewSchema>;

export const problemResultSchema = {
	$$strict: true,
	solved: { type: "boolean" },
	/** Wrong answers before the first accepted one (all of them while unsolved). */
	wrongTries: count,
	/** Minutes from the start to the first accepted answer. */
	solvedAtMinute: { ...count, nullable: true }
} as const;
export type ProblemResult = Infer<typeof problemResultSchema>;

export const leaderboardRowSchema = {
	$$strict: true,
	rank: { type: "number", integer: true, min: 1 },
	/** Individual contests: who competes. */
	userId: { ...id, optional: true },
	/** Team contests: the team that competes. */
	team: { type: "object", props: teamRefSchema, optional: true },
	solved: count,
	/** icpc only */
	penalty: { ...count, optional: true },
	/** points only */
	points: { ...count, optional: true },
	/** By problem id: the problems the participant tried. */
	problems: { type: "record", key: id, value: { type: "object", props: problemResultSchema } }
} as const;
export type LeaderboardRow = Infer<typeof leaderboardRowSchema>;

/**
 * `GET /contests/:id/leaderboard`: a page of rows, with the caller's own row and the freeze.
 * An anonymous reader gets a cached, frozen page (services/contests/page-cache.ts): its shape is
 * this one, as rendered, never rebuilt for the answer.
 */
export const leaderboardSchema = {
	...pageSchema(leaderboardRowSchema),
	/** The caller's own row (live, even during a freeze), if they take part. */
	me: { type: "object", props: leaderboardRowSchema, nullable: true },
	/** Set while the standings shown are those at the freeze. */
	frozenAt: { ...isoDateTime, nullable: true }
} as const;
export type Leaderboard = Infer<typeof leaderboardSchema>;

/** `POST /contests/:id/register`. */
export const registrationSchema = {
	$$strict: true,
	contestId: id,
	userId: id,
	registered: { type: "equal", value: true, strict: true }
} as const;
export type Registration = Infer<typeof registrationSchema>;

/** `contests.ranks`: a participant's rank on the board anyone sees. */
export const rankSchema = { $$strict: true, userId: id, rank: { type: "number", integer: true, min: 1 } } as const;
export type Rank = Infer<typeof rankSchema>;

export const contestPageSchema = pageSchema(contestViewSchema);
export const problemsResponse = { $$root: true, type: "array", items: { type: "object", props: problemViewSchema } } as const;
export const submissionsResponse = { $$root: true, type: "array", items: { type: "object", props: submissionViewSchema } } as const;
export const ranksResponse = { $$root: true, type: "array", items: { type: "object", props: rankSchema } } as const;
/** No body at all (204). */
export const NO_CONTENT = null;

// --- Action params ---

const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;
const instant = { type: "date", convert: true } as const;
const titleParam = { ...title, trim: true } as const;
const freezeMinutesParam = { ...freezeMinutes, convert: true } as const;

export const createContestParams = {
	$$strict: true,
	title: titleParam,
	description: { ...description, optional: true, default: "" },
	startsAt: instant,
	endsAt: instant,
	scoring: contestViewSchema.scoring,
	rated: { ...contestViewSchema.rated, optional: true, default: false },
	teams: teamsParam,
	groupId: { ...id, optional: true },
	freezeMinutes: { ...freezeMinutesParam, optional: true }
} as const;
export type CreateContestParams = Infer<typeof createContestParams>;

export const updateContestParams = {
	$$strict: true,
	id,
	title: { ...titleParam, optional: true },
	description: { ...description, optional: true },
	startsAt: { ...instant, optional: true },
	endsAt: { ...instant, optional: true },
	freezeMinutes: { ...freezeMinutesParam, optional: true },
	rated: { ...contestViewSchema.rated, optional: true },
	teams: teamsParam
} as const;
export type UpdateContestParams = Infer<typeof updateContestParams>;

export const listContestsParams = {
	$$strict: true,
	status: { ...contestViewSchema.status, optional: true },
	group: { ...id, optional: true },
	page,
	pageSize
} as const;
export type ListContestsParams = Infer<typeof listContestsParams>;

export const contestParams = { $$strict: true, id } as const;
export type ContestParams = Infer<typeof contestParams>;

/** What a code problem takes besides title and statement: the judge's own problem fields (problems.contract). */
const { timeLimitMs, memoryLimitMb, outputLimitKb, checker, scoring, batches, tests } = createProblemParams;

export const addProblemParams = {
	$$strict: true,
	id,
	kind: { type: "enum", values: PROBLEM_KINDS, default: "answer" },
	title: titleParam,
	statement,
	points: { ...points, convert: true, default: 1 },
	/** answer problems */
	answer: { type: "string", trim: true, min: 1, max: 1000, optional: true },
	caseSensitive: { type: "boolean", optional: true, default: false },
	/** code problems: limits, checker, scoring, batches and tests, as `POST /api/problems` takes them */
	timeLimitMs,
	memoryLimitMb,
	outputLimitKb,
	checker,
	scoring,
	batches,
	tests: { ...tests, optional: true }
} as const;
export type AddProblemParams = Infer<typeof addProblemParams>;

export const submitParams = { $$strict: true, id, problemId: id, answer: { type: "string", min: 1, max: 1000 } } as const;
export type SubmitParams = Infer<typeof submitParams>;

/** A program for a code problem: the same body as `POST /api/problems/:id/submissions`. */
export const submitCodeParams = {
	$$strict: true,
	id,
	problemId: id,
	language: { type: "enum", values: LANGUAGE_IDS },
	source: { type: "string", min: 1, max: 64 * 1024 }
} as const;
export type SubmitCodeParams = Infer<typeof submitCodeParams>;

/** `202`: the judge has the program; its verdict reaches the board, the stream and /api/submissions/:id. */
export const queuedCodeSchema = { $$strict: true, id, status: { type: "equal", value: "queued", strict: true } } as const;
export type QueuedCode = Infer<typeof queuedCodeSchema>;

export const requeuedSchema = { $$strict: true, requeued: { type: "number", integer: true, min: 0 } } as const;
export type Requeued = Infer<typeof requeuedSchema>;

export const leaderboardParams = { $$strict: true, id, page, pageSize } as const;
export type LeaderboardParams = Infer<typeof leaderboardParams>;

// --- Events (the ids the notification service needs; never an answer) ---

export interface ContestEventBase {
	contestId: string;
	title: string;
	groupId: string | null;
	organiserId: string;
}
export interface ContestCreatedEvent extends ContestEventBase {
	startsAt: string;
	endsAt: string;
	scoring: Scoring;
}
export interface ContestEndedEvent extends ContestEventBase {
	participantCount: number;
	/** The podium and the rest of the top ten; in a team contest each member of the top ten teams, with its team. */
	top: { userId: string; teamId?: string; rank: number; solved: number; penalty?: number; points?: number }[];
	/** Whether the end changes participants' ratings (the rankings service rates `standings`). */
	rated: boolean;
	/**
	 * The final standings (the live board at the end, never the frozen one), recomputed from
	 * PostgreSQL in the ending transaction: every participant with at least one counted
	 * submission, 1-based, equal scores sharing a rank (1, 1, 3) as on the board (docs/contests.md).
	 * In a team contest, each member of each such team, with the team's rank and id.
	 */
	standings: { userId: string; rank: number; teamId?: string }[];
}
