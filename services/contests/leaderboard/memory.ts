import type { Entry, Kept, LeaderboardStore, Placement } from "./store";

/** Above this many entries at once (a rebuild), one sort beats inserting them one by one. */
const BULK = 64;

/** Whether `a` ranks before `b`: higher score first, ties by user id descending, as Redis's ZREVRANGE. */
const before = (a: Entry, b: Entry) => a.score > b.score || (a.score === b.score && a.userId > b.userId);

interface Board {
	scores: Map<string, number>;
	/** The entries in rank order, kept sorted on every change: reads never sort. */
	ordered: Entry[];
	standings: Map<string, Kept>;
}

/** The one-process store: a board is a map of scores beside an array kept in rank order. */
export class MemoryLeaderboardStore implements LeaderboardStore {
	private readonly boards = new Map<string, Board>();
	/** Versions of the complete boards, drawn from one counter so that none ever comes back. */
	private readonly complete = new Map<string, string>();
	private versions = 0;

	private board(name: string): Board {
		let board = this.boards.get(name);
		if (!board) {
			board = { scores: new Map(), ordered: [], standings: new Map() };
			this.boards.set(name, board);
		}
		return board;
	}

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

	/** Where `entry` is, or would go, in the rank order. */
	private position(board: Board, entry: Entry): number {
		return this.count(board, e => before(e, entry));
	}

	private unlink(board: Board, userId: string) {
		const score = board.scores.get(userId);
		if (score === undefined) return;
		board.ordered.splice(this.position(board, { userId, score }), 1);
		board.scores.delete(userId);
	}

	async raise(name: string, placements: Placement[]) {
		if (!placements.length) return;
		const board = this.board(name);
		const higher = (p: Placement) => p.score > (board.scores.get(p.userId) ?? -Infinity);
		if (placements.length > BULK) {
			for (const p of placements) if (higher(p)) board.scores.set(p.userId, p.score);
			board.ordered = [...board.scores].map(([userId, score]) => ({ userId, score }));
			board.ordered.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
		} else {
			for (const p of placements) {
				if (!higher(p)) continue;
				this.unlink(board, p.userId);
				const entry = { userId: p.userId, score: p.score };
				board.ordered.splice(this.position(board, entry), 0, entry);
				board.scores.set(p.userId, p.score);
			}
		}
		for (const { userId, attempts, standing } of placements) {
			if (attempts >= (board.standings.get(userId)?.attempts ?? -1)) board.standings.set(userId, { attempts, standing });
		}
		this.bump(name);
	}

	async remove(name: string, userId: string) {
		const board = this.boards.get(name);
		if (board) {
			this.unlink(board, userId);
			board.standings.delete(userId);
		}
		this.bump(name);
	}

	async range(name: string, offset: number, limit: number) {
		return (this.boards.get(name)?.ordered ?? []).slice(offset, offset + limit).map(e => ({ ...e }));
	}

	async higherThan(name: string, score: number) {
		const board = this.boards.get(name);
		return board ? this.count(board, e => e.score > score) : 0;
	}

	async size(name: string) {
		return this.boards.get(name)?.scores.size ?? 0;
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

	async markComplete(name: string) {
		this.complete.set(name, String(++this.versions));
	}

	private bump(name: string) {
		if (this.complete.has(name)) this.complete.set(name, String(++this.versions));
	}

	async drop(name: string) {
		this.boards.delete(name);
		this.complete.delete(name);
	}

	async close() {}
}
