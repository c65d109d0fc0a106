/**
 * Scores kept in rank order in memory, what a Redis sorted set read with ZREVRANGE gives: higher score first, ties by
 * id descending. The one-process stand-in of the leaderboard stores (contests', rankings'): changes keep the array
 * sorted, so reads never sort; a rank is one more than the entries scoring strictly higher.
 */
export interface Scored {
	userId: string;
	score: number;
}

/** Whether `a` ranks before `b`. */
const before = (a: Scored, b: Scored) => a.score > b.score || (a.score === b.score && a.userId > b.userId);
const order = (a: Scored, b: Scored) => (before(a, b) ? -1 : before(b, a) ? 1 : 0);

export class RankOrder {
	private scores = new Map<string, number>();
	/** The entries in rank order. */
	private ordered: Scored[] = [];

	/** A rank order of these entries at once: one sort, not an insertion each. */
	static of(entries: Iterable<Scored>): RankOrder {
		const rank = new RankOrder();
		for (const { userId, score } of entries) rank.scores.set(userId, score);
		rank.ordered = [...rank.scores].map(([userId, score]) => ({ userId, score })).sort(order);
		return rank;
	}

	get size(): number {
		return this.ordered.length;
	}

	scoreOf(userId: string): number | undefined {
		return this.scores.get(userId);
	}

	/** Sets a user's score; null takes them out. */
	set(userId: string, score: number | null): void {
		const old = this.scores.get(userId);
		if (old === score) return;
		if (old !== undefined) {
			this.ordered.splice(
				this.count(e => before(e, { userId, score: old })),
				1
			);
			this.scores.delete(userId);
		}
		if (score === null) return;
		const entry = { userId, score };
		this.ordered.splice(
			this.count(e => before(e, entry)),
			0,
			entry
		);
		this.scores.set(userId, score);
	}

	/** Entries offset..offset+limit−1, copies. */
	slice(offset: number, limit: number): Scored[] {
		return this.ordered.slice(offset, offset + limit).map(e => ({ ...e }));
	}

	/** How many score strictly higher: rank − 1, so equal scores share a rank. */
	higherThan(score: number): number {
		return this.count(e => e.score > score);
	}

	/** How many entries lead the order while `leads` holds of them (it holds of a prefix): a binary search. */
	private count(leads: (e: Scored) => boolean): number {
		let lo = 0;
		let hi = this.ordered.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (leads(this.ordered[mid])) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}
}

/**
 * The ranks of a page of entries in rank order (their scores, highest first) starting at `offset`, given how many
 * entries score strictly above its first: equal scores share a rank, and an entry below the one before it has
 * exactly the entries before it above it.
 */
export function pageRanks(offset: number, aboveFirst: number, scores: readonly number[]): number[] {
	const ranks: number[] = [];
	scores.forEach((score, j) => {
		ranks.push(j === 0 ? aboveFirst + 1 : score === scores[j - 1] ? ranks[j - 1] : offset + j + 1);
	});
	return ranks;
}
