import type { Page } from "../../api/types";
import type { Sample } from "../problems/types";

/** The contests' shapes as the API answers them (/api/openapi.json: contests.*). */
export type ContestStatus = "upcoming" | "running" | "ended";
export const STATUSES: ContestStatus[] = ["running", "upcoming", "ended"];
export type Scoring = "icpc" | "points";

export interface Contest {
	id: string;
	title: string;
	description: string;
	startsAt: string;
	endsAt: string;
	status: ContestStatus;
	scoring: Scoring;
	rated: boolean;
	/** Only on a team contest: how many members a team may have. */
	teams?: { maxSize: number };
	groupId: string | null;
	freezeMinutes: number | null;
	organiserId: string;
	problemCount: number;
	participantCount: number;
	registered: boolean;
	archivedAt: string | null;
	createdAt: string;
}

export interface ContestProblem {
	id: string;
	position: number;
	kind: "answer" | "code";
	title: string;
	statement: string;
	statementHtml: string;
	points: number;
	caseSensitive: boolean;
	code: {
		problemId: string;
		timeLimitMs: number;
		memoryLimitMb: number;
		outputLimitKb: number;
		checker: string;
		samples: Sample[];
	} | null;
}

export interface ProblemCell {
	solved: boolean;
	wrongTries: number;
	solvedAtMinute: number | null;
}

export interface TeamView {
	id: string;
	name: string;
	members: { userId: string }[];
}

export interface BoardRow {
	rank: number;
	/** A person's row; a team contest's rows have `team` instead. */
	userId?: string;
	team?: TeamView;
	solved: number;
	penalty?: number;
	points?: number;
	problems: Record<string, ProblemCell>;
}

export interface Leaderboard extends Page<BoardRow> {
	/** The caller's own row (their team's), live even during a freeze. */
	me: BoardRow | null;
	/** Set while the standings shown are those at the freeze. */
	frozenAt: string | null;
}

export interface ContestSubmission {
	id: string;
	problemId: string;
	verdict: "accepted" | "wrong";
	scored: boolean;
	submittedAt: string;
	submittedBy?: string | null;
}

export interface Team extends TeamView {
	groupId: string;
	registeredAt: string;
}

/** A problem's letter, as contests name them: A, B, … */
export const letterOf = (position: number) => (position <= 26 ? String.fromCharCode(64 + position) : `P${position}`);
