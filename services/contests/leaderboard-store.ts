import { Redis } from "ioredis";

export interface Entry {
	userId: string;
	score: number;
}

/**
 * Sorted standings per board (a contest, or its frozen copy): O(log n) updates and rank
 * lookups in a Redis sorted set in a cluster, an in-memory equivalent in one process. Either
 * may be empty after a restart or a flush: the service rebuilds it from PostgreSQL.
 */
export interface LeaderboardStore {
	/**
	 * Raises entries to these scores, never lowers them: a standing only ever improves (another
	 * solve), so a rebuild racing a submission cannot put back an older score.
	 */
	raise(board: string, entries: Entry[]): Promise<void>;
	remove(board: string, userId: string): Promise<void>;
	/** Highest scores first. */
	range(board: string, offset: number, limit: number): Promise<Entry[]>;
	/** How many entries score strictly higher: rank − 1, so equal scores share a rank. */
	higherThan(board: string, score: number): Promise<number>;
	size(board: string): Promise<number>;
	/**
	 * Whether the board holds every participant: set after a rebuild from PostgreSQL. A flushed
	 * Redis loses it with the board, so a lone update after a flush cannot pass for a full board.
	 */
	isComplete(board: string): Promise<boolean>;
	markComplete(board: string): Promise<void>;
	drop(board: string): Promise<void>;
	close(): Promise<void>;
}

class MemoryLeaderboardStore implements LeaderboardStore {
	private readonly boards = new Map<string, Map<string, number>>();
	private readonly complete = new Set<string>();
	/** Sorted views, rebuilt on the next read after a change. */
	private readonly sorted = new Map<string, Entry[]>();

	async raise(board: string, entries: Entry[]) {
		const scores = this.boards.get(board) ?? new Map<string, number>();
		for (const e of entries) scores.set(e.userId, Math.max(e.score, scores.get(e.userId) ?? -Infinity));
		this.boards.set(board, scores);
		this.sorted.delete(board);
	}

	async remove(board: string, userId: string) {
		this.boards.get(board)?.delete(userId);
		this.sorted.delete(board);
	}

	async range(board: string, offset: number, limit: number) {
		return this.view(board).slice(offset, offset + limit);
	}

	async higherThan(board: string, score: number) {
		// Binary search for the first entry not above `score` (the view is sorted high to low).
		const view = this.view(board);
		let lo = 0;
		let hi = view.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (view[mid].score > score) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	async size(board: string) {
		return this.boards.get(board)?.size ?? 0;
	}

	async isComplete(board: string) {
		return this.complete.has(board);
	}

	async markComplete(board: string) {
		this.complete.add(board);
	}

	async drop(board: string) {
		this.boards.delete(board);
		this.sorted.delete(board);
		this.complete.delete(board);
	}

	async close() {}

	private view(board: string): Entry[] {
		let view = this.sorted.get(board);
		if (!view) {
			view = [...(this.boards.get(board) ?? [])].map(([userId, score]) => ({ userId, score }));
			// Ties in the order Redis gives them (ZREVRANGE: member descending), so both stores page alike.
			view.sort((a, b) => b.score - a.score || b.userId.localeCompare(a.userId));
			this.sorted.set(board, view);
		}
		return view;
	}
}

class RedisLeaderboardStore implements LeaderboardStore {
	private readonly redis: Redis;

	constructor(
		url: string,
		private readonly prefix: string
	) {
		this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
	}

	private key(board: string) {
		return `${this.prefix}${board}`;
	}

	async raise(board: string, entries: Entry[]) {
		if (!entries.length) return;
		await this.redis.zadd(this.key(board), "GT", ...entries.flatMap(e => [e.score, e.userId]));
	}

	async remove(board: string, userId: string) {
		await this.redis.zrem(this.key(board), userId);
	}

	async range(board: string, offset: number, limit: number) {
		const flat = await this.redis.zrevrange(this.key(board), offset, offset + limit - 1, "WITHSCORES");
		const entries: Entry[] = [];
		for (let i = 0; i < flat.length; i += 2) entries.push({ userId: flat[i], score: Number(flat[i + 1]) });
		return entries;
	}

	async higherThan(board: string, score: number) {
		return this.redis.zcount(this.key(board), `(${score}`, "+inf");
	}

	async size(board: string) {
		return this.redis.zcard(this.key(board));
	}

	async isComplete(board: string) {
		return (await this.redis.exists(`${this.key(board)}:complete`)) === 1;
	}

	async markComplete(board: string) {
		await this.redis.set(`${this.key(board)}:complete`, "1");
	}

	async drop(board: string) {
		await this.redis.del(this.key(board), `${this.key(board)}:complete`);
	}

	async close() {
		await this.redis.quit().catch(() => this.redis.disconnect());
	}
}

export function createLeaderboardStore(redisUrl: string | null, prefix: string): LeaderboardStore {
	return redisUrl ? new RedisLeaderboardStore(redisUrl, prefix) : new MemoryLeaderboardStore();
}
