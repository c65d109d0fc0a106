import type { BoardRead, BoardStore, Entry, Placed, Placement, PlayerRow } from "./store";

/** Whether `a` ranks before `b`: higher score first, ties by user id descending, as Redis's ZREVRANGE. */
const before = (a: Entry, b: Entry) => a.score > b.score || (a.score === b.score && a.userId > b.userId);

interface Board {
	scores: Map<string, number>;
	/** The entries in rank order, kept sorted on every change: reads never sort. */
	ordered: Entry[];
}

/** The one-process store: per board a map of scores beside an array kept in rank order. */
export class MemoryBoardStore implements BoardStore {
	private readonly boards = new Map<string, Board>();
	private readonly completed = new Set<string>();
	private readonly rows = new Map<string, PlayerRow>();

	/** How many entries lead the rank order while `leads` holds of them (it holds of a prefix). */
	private count(board: Board, leads: (e: Entry) => boolean): number {
		let lo = 0;
		let hi = board.ordered.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (leads(board.ordered[mid])) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	private placed(board: Board, entry: Entry): Placed {
		return { userId: entry.userId, rank: this.count(board, e => e.score > entry.score) + 1, row: this.rows.get(entry.userId) ?? null };
	}

	private set(name: string, userId: string, score: number | null) {
		let board = this.boards.get(name);
		const old = board?.scores.get(userId);
		if (board && old !== undefined) {
			if (old === score) return;
			board.ordered.splice(
				this.count(board, e => before(e, { userId, score: old })),
				1
			);
			board.scores.delete(userId);
		}
		if (score === null) return;
		if (!board) this.boards.set(name, (board = { scores: new Map(), ordered: [] }));
		const entry = { userId, score };
		board.ordered.splice(
			this.count(board, e => before(e, entry)),
			0,
			entry
		);
		board.scores.set(userId, score);
	}

	async read(name: string, offset: number, limit: number, callerId?: string): Promise<BoardRead | null> {
		if (!this.completed.has(name)) return null;
		const board = this.boards.get(name) ?? { scores: new Map(), ordered: [] };
		const score = callerId === undefined ? undefined : board.scores.get(callerId);
		return {
			total: board.ordered.length,
			rows: board.ordered.slice(offset, offset + limit).map(e => this.placed(board, e)),
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
		const ordered = entries.map(e => ({ ...e })).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
		this.boards.set(name, { scores: new Map(ordered.map(e => [e.userId, e.score])), ordered });
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
