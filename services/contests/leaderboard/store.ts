import type { Standing } from "../scoring";

export interface Entry {
	userId: string;
	score: number;
}

/** A participant's place on a board: the score it sorts by, and the standing its row shows. */
export interface Placement extends Entry {
	standing: Standing;
	/** Submissions the standing counts: only a standing that counts at least as many replaces it. */
	attempts: number;
}

/** A standing as a board keeps it: with the count of attempts it was computed from. */
export type Kept = Pick<Placement, "standing" | "attempts">;

/**
 * Sorted standings per board (a contest, or its frozen copy): O(log n) updates and rank
 * lookups in a Redis sorted set in a cluster, an in-memory equivalent in one process. Each
 * participant's standing is kept beside their score, so rendering a page needs no SQL. Either
 * may be empty after a restart or a flush: the service rebuilds it from PostgreSQL.
 *
 * While Redis is away, reads throw RedisUnavailableError (lib/redis-link.ts: the reader answers
 * from PostgreSQL) and changes are skipped, never failing their caller. Once Redis is back, every
 * board is dropped before boards are read again: one may have missed a removal, which a rebuild
 * (raises only) would not undo.
 */
export interface LeaderboardStore {
	/**
	 * Raises entries to these scores, never lowers them (a score only ever improves: another
	 * solve), and replaces a standing only by one that counts as many submissions or more: a
	 * rebuild racing a submission cannot put back an older score or row. Bumps the version.
	 */
	raise(board: string, placements: Placement[]): Promise<void>;
	/** Takes the user off the board; bumps the version and the epoch. */
	remove(board: string, userId: string): Promise<void>;
	/** Highest scores first; equal scores by user id, descending (Redis's ZREVRANGE order). */
	range(board: string, offset: number, limit: number): Promise<Entry[]>;
	/** How many entries score strictly higher: rank − 1, so equal scores share a rank. */
	higherThan(board: string, score: number): Promise<number>;
	size(board: string): Promise<number>;
	/** The standings of these users that the board holds (a user it holds none of is left out). */
	standings(board: string, userIds: string[]): Promise<Map<string, Kept>>;
	/**
	 * A token that changes with every change of the board (shared by every node on Redis), so pages
	 * rendered from it can be cached until the next change; null while the board is not complete.
	 * Completeness is set by a rebuild from PostgreSQL: a flushed Redis loses it with the
	 * board, so a lone update after a flush cannot pass for a full board.
	 */
	version(board: string): Promise<string | null>;
	/**
	 * A token that changes whenever something leaves any board (a removal, a drop, a clean after
	 * Redis was away): read before a rebuild reads PostgreSQL, it tells whether the rebuild's
	 * placements may put back what left meanwhile.
	 */
	epoch(): Promise<string>;
	/**
	 * A rebuild: raises the board to these placements (all of them, from PostgreSQL) and marks it
	 * complete with a new version, in one step, unless the epoch moved since `epoch` was read (then
	 * nothing, and false: the board stays incomplete and is rebuilt again on a later read).
	 */
	rebuild(board: string, placements: Placement[], epoch: string): Promise<boolean>;
	/** The board forgotten, standings and marker with it; bumps the epoch. */
	drop(board: string): Promise<void>;
	close(): Promise<void>;
}
