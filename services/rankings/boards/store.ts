/** What every board shows of a player, kept beside the sorted sets so that a page needs no SQL. */
export interface PlayerRow {
	username: string | null;
	rating: number | null;
	solved: number;
}

export interface Player extends PlayerRow {
	userId: string;
}

export interface Entry {
	userId: string;
	score: number;
}

/** A user's place on one board: the score it sorts by, or null to take them off it. */
export interface Placement {
	board: string;
	userId: string;
	score: number | null;
}

/** A ranked line of a board; `row` is null if the store lost it (the reader rebuilds the board). */
export interface Placed {
	userId: string;
	rank: number;
	row: PlayerRow | null;
}

export interface BoardRead {
	total: number;
	rows: Placed[];
	/** The caller's line, if they are on the board. */
	me: Placed | null;
}

/**
 * Sorted boards (the global ones, two per group) with the players' rows beside them: Redis sorted
 * sets and a hash in a cluster, an in-memory equivalent in one process. Equal scores share a rank
 * (one more than the entries strictly above). A board is read only once marked complete, which a
 * rebuild from PostgreSQL does; a Redis flush loses the marker with the board.
 *
 * While Redis is away, `read`, `replace` and `complete` throw RedisUnavailableError (lib/redis-link.ts:
 * the reader answers from PostgreSQL), and `apply` and `drop` skip what Redis cannot take: no
 * writer fails for it. Once Redis is back, every board that may have missed a write is made
 * incomplete before boards are read again.
 */
export interface BoardStore {
	/** Entries offset..offset+limit−1 (highest first, equal scores by user id descending) and the caller's line; null while the board is not complete. */
	read(board: string, offset: number, limit: number, callerId?: string): Promise<BoardRead | null>;
	/**
	 * The writers' changes, idempotent sets: players' rows (null: forget them) and placements. A
	 * placement on a board not complete is skipped (its rebuild will read PostgreSQL); a removal always applies.
	 */
	apply(rows: ReadonlyMap<string, PlayerRow | null>, placements: readonly Placement[]): Promise<void>;
	/** The board replaced whole by these entries (their rows written too), then marked complete. */
	replace(board: string, entries: readonly Entry[], rows: ReadonlyMap<string, PlayerRow>): Promise<void>;
	complete(board: string): Promise<boolean>;
	/** Boards forgotten, markers and all (a deleted group's). */
	drop(boards: readonly string[]): Promise<void>;
	close(): Promise<void>;
}
