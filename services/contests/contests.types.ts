export type { Page } from "../../lib/page";

export const SCORINGS = ["icpc", "points"] as const;
export type Scoring = (typeof SCORINGS)[number];
export const STATUSES = ["upcoming", "running", "ended"] as const;
export type ContestStatus = (typeof STATUSES)[number];
export const VERDICTS = ["accepted", "wrong"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const MIN_DURATION_MS = 5 * 60_000;
export const MAX_DURATION_MS = 14 * 24 * 3600_000;
/** ICPC: each wrong try before the first accepted answer costs this many minutes. */
export const WRONG_TRY_PENALTY_MIN = 20;

/** A contest as anyone who may see it sees it; `myRegistration` is the caller's. */
export interface ContestView {
	id: string;
	title: string;
	description: string;
	startsAt: string;
	endsAt: string;
	status: ContestStatus;
	scoring: Scoring;
	groupId: string | null;
	freezeMinutes: number | null;
	organiserId: string;
	problemCount: number;
	participantCount: number;
	registered: boolean;
	createdAt: string;
	updatedAt: string;
}

/** A problem as participants see it: never its answer, in any form. */
export interface ProblemView {
	id: string;
	position: number;
	title: string;
	statement: string;
	statementHtml: string;
	points: number;
	caseSensitive: boolean;
}

export interface SubmissionView {
	id: string;
	problemId: string;
	verdict: Verdict;
	/** Whether it counted: the first accepted answer of a problem does, later ones are recorded only. */
	scored: boolean;
	submittedAt: string;
}

export interface ProblemResult {
	solved: boolean;
	/** Wrong answers before the first accepted one (all of them while unsolved). */
	wrongTries: number;
	/** Minutes from the start to the first accepted answer. */
	solvedAtMinute: number | null;
}

export interface LeaderboardRow {
	rank: number;
	userId: string;
	solved: number;
	/** icpc only */
	penalty?: number;
	/** points only */
	points?: number;
	problems: Record<string, ProblemResult>;
}

export interface Leaderboard {
	rows: LeaderboardRow[];
	total: number;
	page: number;
	pageSize: number;
	totalPages: number;
	/** The caller's own row (live, even during a freeze), if they take part. */
	me: LeaderboardRow | null;
	/** Set while the standings shown are those at the freeze. */
	frozenAt: string | null;
}

// --- Action params ---

const id = { type: "uuid" } as const;
const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;
const title = { type: "string", trim: true, min: 3, max: 200 } as const;
const description = { type: "string", max: 20_000 } as const;
const instant = { type: "date", convert: true } as const;
const freezeMinutes = { type: "number", integer: true, min: 1, max: 14 * 24 * 60, convert: true, nullable: true } as const;

export interface CreateContestParams {
	title: string;
	description?: string;
	startsAt: Date;
	endsAt: Date;
	scoring: Scoring;
	groupId?: string;
	freezeMinutes?: number | null;
}
export const createContestParams = {
	$$strict: true,
	title,
	description: { ...description, optional: true, default: "" },
	startsAt: instant,
	endsAt: instant,
	scoring: { type: "enum", values: SCORINGS },
	groupId: { ...id, optional: true },
	freezeMinutes: { ...freezeMinutes, optional: true }
};

export interface UpdateContestParams {
	id: string;
	title?: string;
	description?: string;
	startsAt?: Date;
	endsAt?: Date;
	freezeMinutes?: number | null;
}
export const updateContestParams = {
	$$strict: true,
	id,
	title: { ...title, optional: true },
	description: { ...description, optional: true },
	startsAt: { ...instant, optional: true },
	endsAt: { ...instant, optional: true },
	freezeMinutes: { ...freezeMinutes, optional: true }
};

export interface ListContestsParams {
	status?: ContestStatus;
	group?: string;
	page: number;
	pageSize: number;
}
export const listContestsParams = {
	$$strict: true,
	status: { type: "enum", values: STATUSES, optional: true },
	group: { ...id, optional: true },
	page,
	pageSize
};

export interface ContestParams {
	id: string;
}
export const contestParams = { $$strict: true, id };

export interface AddProblemParams {
	id: string;
	title: string;
	statement: string;
	points: number;
	answer: string;
	caseSensitive?: boolean;
}
export const addProblemParams = {
	$$strict: true,
	id,
	title,
	statement: { type: "string", min: 1, max: 50_000 },
	points: { type: "number", integer: true, min: 1, max: 10_000, convert: true, default: 1 },
	answer: { type: "string", trim: true, min: 1, max: 1000 },
	caseSensitive: { type: "boolean", optional: true, default: false }
};

export interface SubmitParams {
	id: string;
	problemId: string;
	answer: string;
}
export const submitParams = { $$strict: true, id, problemId: id, answer: { type: "string", min: 1, max: 1000 } };

export interface LeaderboardParams {
	id: string;
	page: number;
	pageSize: number;
}
export const leaderboardParams = { $$strict: true, id, page, pageSize };

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
	/** The podium and the rest of the top ten. */
	top: { userId: string; rank: number; solved: number; penalty?: number; points?: number }[];
}
