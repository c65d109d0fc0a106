import { RankOrder } from "../../../lib/rank-order";
import type { Kept, LeaderboardStore, Placement } from "./store";

/** Above this many entries at once (a rebuild), one sort beats inserting them one by one. */
const BULK = 64;

interface Board {
	rank: RankOrder;
	standings: Map<string, Kept>;
}

/** The one-process store: a board is its scores in rank order beside the standings. */
export class MemoryLeaderboardStore implements LeaderboardStore {
	private readonly boards = new Map<string, Board>();
	/** Versions of the complete boards, drawn from one counter so that none ever comes back. */
	private readonly complete = new Map<string, string>();
	private versions = 0;
	/** Removals and drops so far. */
	private departures = 0;

	private board(name: string): Board {
		let board = this.boards.get(name);
		if (!board) {
			board = { rank: new RankOrder(), standings: new Map() };
			this.boards.set(name, board);
		}
		return board;
	}

	async raise(name: string, placements: Placement[]) {
		if (!placements.length) return;
		const board = this.board(name);
		const raised = placements.filter(p => p.score > (board.rank.scoreOf(p.userId) ?? -Infinity));
		if (raised.length > BULK) {
			const scores = new Map(board.rank.slice(0, board.rank.size).map(e => [e.userId, e.score]));
			for (const p of raised) scores.set(p.userId, Math.max(p.score, scores.get(p.userId) ?? -Infinity));
			board.rank = RankOrder.of([...scores].map(([userId, score]) => ({ userId, score })));
		} else {
			for (const p of raised) board.rank.set(p.userId, Math.max(p.score, board.rank.scoreOf(p.userId) ?? -Infinity));
		}
		for (const { userId, attempts, standing } of placements) {
			if (attempts >= (board.standings.get(userId)?.attempts ?? -1)) board.standings.set(userId, { attempts, standing });
		}
		this.bump(name);
	}

	async remove(name: string, userId: string) {
		const board = this.boards.get(name);
		if (board) {
			board.rank.set(userId, null);
			board.standings.delete(userId);
		}
		this.bump(name);
		this.departures++;
	}

	async range(name: string, offset: number, limit: number) {
		return this.boards.get(name)?.rank.slice(offset, limit) ?? [];
	}

	async higherThan(name: string, score: number) {
		return this.boards.get(name)?.rank.higherThan(score) ?? 0;
	}

	async size(name: string) {
		return this.boards.get(name)?.rank.size ?? 0;
	}

	async standings(name: string, userIds: string[]) {
		const board = this.boards.get(name);
		const found = new Map<string, Kept>();
		for (const userId of userIds) {
			const kept = board?.standings.get(userId);
			if (kept) found.set(userId, kept);
		}
		return found;
	}

	async version(name: string) {
		return this.complete.get(name) ?? null;
	}

	async epoch() {
		return String(this.departures);
	}

	async rebuild(name: string, placements: Placement[], epoch: string) {
		if (epoch !== String(this.departures)) return false;
		await this.raise(name, placements);
		this.complete.set(name, String(++this.versions));
		return true;
	}

	private bump(name: string) {
		if (this.complete.has(name)) this.complete.set(name, String(++this.versions));
	}

	async drop(name: string) {
		this.boards.delete(name);
		this.complete.delete(name);
		this.departures++;
	}

	async close() {}
}
