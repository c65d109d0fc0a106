import type { Transaction } from "sequelize";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { Leaderboard, LeaderboardRow } from "./contests.types";
import type { LeaderboardStore } from "./leaderboard-store";
import { type Standing, scoreOf, standingOf } from "./scoring";

/** When a contest's standings freeze for non-organisers, if they do. */
export function freezeAt(contest: ContestModel): Date | null {
	return contest.freezeMinutes ? new Date(contest.endsAt.getTime() - contest.freezeMinutes * 60_000) : null;
}

/**
 * The leaderboard of a contest: each participant's standing recomputed from their submission
 * history and kept in a sorted store. A board not marked complete (new, or Redis flushed or
 * restarted) is rebuilt from PostgreSQL first. The frozen board holds the
 * standings as they were at the freeze.
 */
export class Standings {
	/** Rebuilds in progress on this node: readers of a cold board wait for one, not start their own. */
	private readonly rebuilding = new Map<string, Promise<void>>();
	/** Points per problem of started contests: problems are fixed from the start on. */
	private readonly points = new Map<string, Map<string, number>>();

	constructor(
		private readonly store: ContestStore,
		private readonly boards: LeaderboardStore
	) {}

	private board(contest: ContestModel, frozen: boolean) {
		return frozen ? `${contest.id}:frozen` : contest.id;
	}

	private async standingsOf(contest: ContestModel, opts: { userIds?: string[]; before?: Date }, transaction?: Transaction): Promise<Map<string, Standing>> {
		let points = this.points.get(contest.id);
		if (!points) {
			points = new Map((await this.store.problems(contest.id, transaction)).map(p => [p.id, p.points]));
			if (contest.startedEventAt) this.points.set(contest.id, points);
		}
		const histories = await this.store.histories(contest.id, opts, transaction);
		return new Map([...histories].map(([userId, attempts]) => [userId, standingOf(attempts, contest.startsAt, points)]));
	}

	/** After a registration or submission of this user: their live standing, recomputed. */
	async refresh(contest: ContestModel, userId: string): Promise<void> {
		const board = await this.ensure(contest, false);
		const standing = (await this.standingsOf(contest, { userIds: [userId] })).get(userId);
		if (standing) await this.boards.raise(board, [{ userId, score: scoreOf(contest.scoring, standing) }]);
	}

	async remove(contest: ContestModel, userId: string): Promise<void> {
		await Promise.all([this.boards.remove(this.board(contest, false), userId), this.boards.remove(this.board(contest, true), userId)]);
	}

	async drop(contestId: string): Promise<void> {
		await Promise.all([this.boards.drop(contestId), this.boards.drop(`${contestId}:frozen`)]);
	}

	private async ensure(contest: ContestModel, frozen: boolean, transaction?: Transaction): Promise<string> {
		const board = this.board(contest, frozen);
		if (await this.boards.isComplete(board)) return board;
		const rebuild = async () => {
			const standings = await this.standingsOf(contest, { before: frozen ? freezeAt(contest)! : undefined }, transaction);
			await this.boards.raise(board, [...standings].map(([userId, s]) => ({ userId, score: scoreOf(contest.scoring, s) })));
			await this.boards.markComplete(board);
		};
		// Inside a transaction it rebuilds on its own: waiting for a rebuild that needs another
		// connection while holding one could deadlock the embedded engine's single connection.
		if (transaction) {
			await rebuild();
			return board;
		}
		let running = this.rebuilding.get(board);
		if (!running) {
			running = rebuild().finally(() => this.rebuilding.delete(board));
			this.rebuilding.set(board, running);
		}
		await running;
		return board;
	}

	/** A page of ranked rows, and the caller's own live row if they take part. */
	async page(contest: ContestModel, page: number, pageSize: number, callerId: string | undefined, frozen: boolean, transaction?: Transaction): Promise<Leaderboard> {
		const board = await this.ensure(contest, frozen, transaction);
		const [entries, total] = await Promise.all([this.boards.range(board, (page - 1) * pageSize, pageSize), this.boards.size(board)]);
		const scores = [...new Set(entries.map(e => e.score))];
		const higher = await Promise.all(scores.map(score => this.boards.higherThan(board, score)));
		const ranks = new Map(scores.map((score, i) => [score, higher[i] + 1]));
		const details = await this.standingsOf(contest, { userIds: entries.map(e => e.userId), before: frozen ? freezeAt(contest)! : undefined }, transaction);
		const rows = entries.filter(e => details.has(e.userId)).map(e => this.row(contest, e.userId, ranks.get(e.score)!, details.get(e.userId)!));
		return {
			rows,
			total,
			page,
			pageSize,
			totalPages: Math.ceil(total / pageSize),
			me: callerId ? await this.ownRow(contest, callerId) : null,
			frozenAt: frozen ? freezeAt(contest)!.toISOString() : null
		};
	}

	/** The participant's live standing and live rank. */
	private async ownRow(contest: ContestModel, userId: string): Promise<LeaderboardRow | null> {
		const standing = (await this.standingsOf(contest, { userIds: [userId] })).get(userId);
		if (!standing) return null;
		const board = await this.ensure(contest, false);
		return this.row(contest, userId, (await this.boards.higherThan(board, scoreOf(contest.scoring, standing))) + 1, standing);
	}

	/** The final standings' top ten (for `contest.ended`, inside its transaction). */
	async top(contest: ContestModel, transaction: Transaction, count = 10): Promise<LeaderboardRow[]> {
		return (await this.page(contest, 1, count, undefined, false, transaction)).rows;
	}

	private row(contest: ContestModel, userId: string, rank: number, s: Standing): LeaderboardRow {
		const key = contest.scoring === "icpc" ? { penalty: s.penalty } : { points: s.points };
		return { rank, userId, solved: s.solved, ...key, problems: s.problems };
	}
}
