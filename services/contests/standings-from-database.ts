import { SharedReads } from "../../lib/shared-reads";
import { boardRow, renderPage } from "./board-rows";
import { type ContestPlacements, freezeAt, type RankedPlacement } from "./contest-placements";
import type { ContestModel } from "./contests.model";
import type { Leaderboard, LeaderboardRow } from "./contests.types";
import type { Rosters } from "./team-store";

/**
 * The leaderboard read straight from PostgreSQL, for when the board store cannot answer (Redis
 * away): the same rows, ranks and order as the store's pages. A read recomputes every
 * competitor's standing from their submissions: slower than the store on a large contest, never
 * wrong. Reads of a board at the same time share one recomputation (lib/shared-reads.ts).
 */
export class DatabaseStandings {
	private readonly boards = new SharedReads<RankedPlacement[]>();

	constructor(
		private readonly placements: ContestPlacements,
		private readonly rosters: Rosters
	) {}

	private board(contest: ContestModel, frozen: boolean): Promise<RankedPlacement[]> {
		return this.boards.read(`${contest.id}:${frozen}`, () => this.placements.board(contest, frozen ? freezeAt(contest)! : undefined));
	}

	/** As Standings.page: a page of the board shown (`frozen`: at the freeze) and the caller's own live row, ranked against it. */
	async page(contest: ContestModel, page: number, pageSize: number, callerId: string | undefined, frozen: boolean): Promise<Leaderboard> {
		const board = await this.board(contest, frozen);
		const entries = board.slice((page - 1) * pageSize, page * pageSize);
		const teams = contest.teamMaxSize
			? await this.rosters.refs(
					contest.id,
					entries.map(e => e.userId)
				)
			: null;
		const shown = renderPage(
			contest,
			{
				entries,
				total: board.length,
				ranks: new Map(entries.map(e => [e.score, e.rank])),
				standings: new Map(entries.map(e => [e.userId, e])),
				teams
			},
			page,
			pageSize,
			frozen
		);
		return callerId ? { ...shown, me: await this.ownRow(contest, callerId, board, frozen) } : shown;
	}

	/** The competitor's live standing (null if they do not take part), ranked among `board`. */
	private async ownRow(contest: ContestModel, userId: string, board: RankedPlacement[], frozen: boolean): Promise<LeaderboardRow | null> {
		const live = frozen ? (await this.placements.of(contest, { userIds: [userId] }))[0] : board.find(p => p.userId === userId);
		if (!live) return null;
		const team = contest.teamMaxSize ? (await this.rosters.refs(contest.id, [userId])).get(userId) : undefined;
		if (contest.teamMaxSize && !team) return null;
		const rank = 1 + board.filter(p => p.score > live.score).length;
		return boardRow(contest, userId, rank, live.standing, team);
	}

	/** As Standings.ranks: every participant's rank, live or at the freeze; in a team contest each member's, their team's. */
	async ranks(contest: ContestModel, frozen: boolean): Promise<{ userId: string; rank: number }[]> {
		const [board, members] = await Promise.all([
			this.board(contest, frozen),
			contest.teamMaxSize ? this.rosters.members(contest.id) : null
		]);
		return board.flatMap(p => (members ? (members.get(p.userId) ?? []) : [p.userId]).map(userId => ({ userId, rank: p.rank })));
	}
}
