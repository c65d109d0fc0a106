import { MemoryLeaderboardStore } from "./memory-leaderboard-store";
import { RedisLeaderboardStore } from "./redis-leaderboard-store";

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
	 * solve), so a rebuild racing a submission cannot put back an older score. Bumps the version.
	 */
	raise(board: string, entries: Entry[]): Promise<void>;
	/** Takes the user off the board; bumps the version. */
	remove(board: string, userId: string): Promise<void>;
	/** Highest scores first; equal scores by user id, descending (Redis's ZREVRANGE order). */
	range(board: string, offset: number, limit: number): Promise<Entry[]>;
	/** How many entries score strictly higher: rank − 1, so equal scores share a rank. */
	higherThan(board: string, score: number): Promise<number>;
	size(board: string): Promise<number>;
	/**
	 * A token that changes with every change of the board (shared by every node on Redis), so pages
	 * rendered from it can be cached until the next change; null while the board is not complete.
	 * Completeness is set after a rebuild from PostgreSQL: a flushed Redis loses it with the
	 * board, so a lone update after a flush cannot pass for a full board.
	 */
	version(board: string): Promise<string | null>;
	/** Marks the board complete, with a new version. */
	markComplete(board: string): Promise<void>;
	/** A new version of a complete board: what a page shows changed without any score changing (a wrong try). */
	bump(board: string): Promise<void>;
	drop(board: string): Promise<void>;
	close(): Promise<void>;
}

export function createLeaderboardStore(redisUrl: string | null, prefix: string): LeaderboardStore {
	return redisUrl ? new RedisLeaderboardStore(redisUrl, prefix) : new MemoryLeaderboardStore();
}
