import { freezeAt } from "./contest-placements";
import type { ContestModel } from "./contests.model";
import type { Leaderboard, LeaderboardRow } from "./contests.types";
import type { Entry, Kept } from "./leaderboard/store";
import type { Standing } from "./scoring";
import type { TeamRef } from "./teams.types";

/** What a page of a board shows, wherever it was read from (the board store, or PostgreSQL). */
export interface PageContent {
	entries: Entry[];
	total: number;
	/** Rank by score. */
	ranks: Map<number, number>;
	standings: Map<string, Kept>;
	/** Team contests: the page's teams. */
	teams: Map<string, TeamRef> | null;
}

/** A board row: the user's, or in a team contest the team's (`team`: its name and members, which the caller found). */
export function boardRow(contest: ContestModel, competitorId: string, rank: number, s: Standing, team?: TeamRef): LeaderboardRow {
	const key = contest.scoring === "icpc" ? { penalty: s.penalty } : { points: s.points };
	return { rank, ...(team ? { team } : { userId: competitorId }), solved: s.solved, ...key, problems: s.problems };
}

/** A page of ranked rows (`me` left null), `frozen`: the board at the freeze. */
export function renderPage(
	contest: ContestModel,
	{ entries, total, ranks, standings, teams }: PageContent,
	page: number,
	pageSize: number,
	frozen: boolean
): Leaderboard {
	// A team withdrawn a moment ago may still be on the board: it has no row.
	const rows = entries
		.filter(e => standings.has(e.userId) && (!teams || teams.has(e.userId)))
		.map(e => boardRow(contest, e.userId, ranks.get(e.score)!, standings.get(e.userId)!.standing, teams?.get(e.userId)));
	return {
		rows,
		total,
		page,
		pageSize,
		totalPages: Math.ceil(total / pageSize),
		me: null,
		frozenAt: frozen ? freezeAt(contest)!.toISOString() : null
	};
}
