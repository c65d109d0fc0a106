import { RankOrder } from "../../../lib/rank-order";
import type { BoardRead, BoardStore, Entry, Placed, Placement, PlayerRow } from "./store";

/** The one-process store: per board its scores in rank order, beside the players' rows. */
export class MemoryBoardStore implements BoardStore {
	private readonly boards = new Map<string, RankOrder>();
	private readonly completed = new Set<string>();
	private readonly rows = new Map<string, PlayerRow>();

	private placed(board: RankOrder, entry: Entry): Placed {
		return { userId: entry.userId, rank: board.higherThan(entry.score) + 1, row: this.rows.get(entry.userId) ?? null };
	}

	private set(name: string, userId: string, score: number | null) {
		let board = this.boards.get(name);
		if (!board && score === null) return;
		if (!board) this.boards.set(name, (board = new RankOrder()));
		board.set(userId, score);
	}

	async read(name: string, offset: number, limit: number, callerId?: string): Promise<BoardRead | null> {
		if (!this.completed.has(name)) return null;
		const board = this.boards.get(name) ?? new RankOrder();
		const score = callerId === undefined ? undefined : board.scoreOf(callerId);
		return {
			total: board.size,
			rows: board.slice(offset, limit).map(e => this.placed(board, e)),
			me: score === undefined ? null : this.placed(board, { userId: callerId!, score })
		};
	}

	async apply(rows: ReadonlyMap<string, PlayerRow | null>, placements: readonly Placement[]) {
		for (const [userId, row] of rows) {
			if (row) this.rows.set(userId, { ...row });
			else this.rows.delete(userId);
		}
		for (const p of placements) if (p.score === null || this.completed.has(p.board)) this.set(p.board, p.userId, p.score);
	}

	async replace(name: string, entries: readonly Entry[], rows: ReadonlyMap<string, PlayerRow>) {
		this.boards.set(name, RankOrder.of(entries));
		for (const [userId, row] of rows) this.rows.set(userId, { ...row });
		this.completed.add(name);
	}

	async complete(name: string) {
		return this.completed.has(name);
	}

	async drop(names: readonly string[]) {
		for (const name of names) {
			this.boards.delete(name);
			this.completed.delete(name);
		}
	}

	async close() {}
}
