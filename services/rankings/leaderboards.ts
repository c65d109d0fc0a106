import { setTimeout as delay } from "node:timers/promises";
import type { Transaction } from "sequelize";
import { RedisUnavailableError } from "../../lib/redis-link";
import type { BoardRead, BoardStore, Placement, Player, PlayerRow } from "./boards";
import { boardName, type BoardRef, placementsOf, scoreOn } from "./placements";
import { BoardPages } from "./store/board-pages";
import type { Memberships } from "./store/memberships";
import type { Players } from "./store/players";
import type { Sql } from "./store/sql";

/** Writers share this lock; a rebuild takes it alone (docs/rankings.md). */
const BOARDS_LOCK = "codelearn:rankings:boards";
/** A board that vanishes again right after each rebuild (Redis flushed over and over) is read from PostgreSQL. */
const MAX_REBUILDS = 3;
/**
 * How long a reader waits for a rebuild before it answers from PostgreSQL, the rebuild going on:
 * a 100,000-player board took 0.6 to 1 s to rebuild (scripts/measure-boards.ts), once Redis is back.
 */
const REBUILD_WAIT_MS = 500;

const EMPTY: BoardRead = { total: 0, rows: [], me: null };

const rowOf = ({ username, rating, solved }: Player): PlayerRow => ({ username, rating, solved });

/**
 * The boards as derived from PostgreSQL. Writers (the event handlers, in the inbox's transaction)
 * take the shared lock first, lock the players they change, write SQL, then the boards before
 * the commit: idempotent sets, so a rollback and the inbox's redelivery converge. A reader finding
 * a board incomplete rebuilds it under the exclusive lock, when no writer is between its board
 * writes and its commit, so the rebuild reads exactly what the boards were given.
 *
 * While the store cannot answer (Redis away), pages are read from PostgreSQL and the writers'
 * board writes are skipped: their SQL commits all the same, and the store makes every board that
 * may have missed one incomplete before serving it again (boards/redis.ts).
 */
export class Leaderboards {
	/** Rebuilds in progress on this node: readers of a cold board wait for one, not start their own. */
	private readonly rebuilding = new Map<string, Promise<boolean>>();
	private readonly pages: BoardPages;

	constructor(
		private readonly sql: Sql,
		private readonly store: BoardStore,
		private readonly players: Players,
		private readonly memberships: Memberships
	) {
		this.pages = new BoardPages(sql);
	}

	/** Every writer's first statement. */
	async writing(transaction: Transaction): Promise<void> {
		await this.sql.sequelize.query("SELECT pg_advisory_xact_lock_shared(hashtext($1))", { bind: [BOARDS_LOCK], transaction });
	}

	/** These players (locked, as they are now) on every board they belong to, with their rows. */
	async place(players: readonly Player[], transaction: Transaction): Promise<void> {
		if (!players.length) return;
		const groups = await this.memberships.groupsOf(
			players.map(p => p.userId),
			transaction
		);
		await this.store.apply(
			new Map(players.map(p => [p.userId, rowOf(p)])),
			players.flatMap(p => placementsOf(p, groups.get(p.userId) ?? []))
		);
	}

	/** Placements computed by the caller (a membership's change), with the players' rows (null: forget the player). */
	async apply(rows: ReadonlyMap<string, Player | null>, placements: readonly Placement[]): Promise<void> {
		await this.store.apply(new Map([...rows].map(([id, p]) => [id, p && rowOf(p)])), placements);
	}

	async drop(boards: readonly BoardRef[]): Promise<void> {
		await this.store.drop(boards.map(boardName));
	}

	/**
	 * Entries offset..offset+limit−1 of a board and the caller's line, from the store (rebuilt from
	 * PostgreSQL first if it is not complete), or from PostgreSQL when the store cannot answer.
	 */
	async read(board: BoardRef, offset: number, limit: number, callerId?: string): Promise<BoardRead> {
		try {
			return (await this.fromStore(board, offset, limit, callerId)) ?? (await this.pages.read(board, offset, limit, callerId));
		} catch (err) {
			if (!(err instanceof RedisUnavailableError)) throw err;
			return this.pages.read(board, offset, limit, callerId);
		}
	}

	/** The read from the store; null if its rebuild is slow, or the board was lost again after each of MAX_REBUILDS rebuilds. */
	private async fromStore(board: BoardRef, offset: number, limit: number, callerId?: string): Promise<BoardRead | null> {
		for (let attempt = 0; attempt <= MAX_REBUILDS; attempt++) {
			const read = await this.store.read(boardName(board), offset, limit, callerId);
			// A row the store lost (evicted) is put back by a rebuild; after one, what is there is shown.
			const lost = read !== null && [...read.rows, ...(read.me ? [read.me] : [])].some(p => !p.row);
			if (read && (!lost || attempt > 0)) return read;
			if (attempt === MAX_REBUILDS) break;
			const rebuilt = await Promise.race([this.rebuild(board, lost), delay(REBUILD_WAIT_MS, "slow" as const, { ref: false })]);
			if (rebuilt === "slow") return null;
			if (!rebuilt) return EMPTY;
		}
		return null;
	}

	/** Whether the board exists (a deleted group's does not). */
	private rebuild(board: BoardRef, force: boolean): Promise<boolean> {
		const name = boardName(board);
		let running = this.rebuilding.get(name);
		if (!running) {
			running = this.sql.sequelize
				.transaction(async transaction => {
					await this.sql.sequelize.query("SELECT pg_advisory_xact_lock(hashtext($1))", { bind: [BOARDS_LOCK], transaction });
					// Another node may have rebuilt it while this one waited.
					if (!force && (await this.store.complete(name))) return true;
					const members = await this.membersOf(board, transaction);
					if (!members) return false;
					const entries = members.flatMap(p => {
						const score = scoreOn(board, p);
						return score === null ? [] : [{ userId: p.userId, score }];
					});
					await this.store.replace(name, entries, new Map(members.map(p => [p.userId, rowOf(p)])));
					return true;
				})
				.finally(() => this.rebuilding.delete(name));
			// Its readers may have stopped waiting: a failure is theirs to see, never an unhandled rejection.
			running.catch(() => {});
			this.rebuilding.set(name, running);
		}
		return running;
	}

	private membersOf(board: BoardRef, transaction: Transaction): Promise<Player[] | null> {
		return board.groupId ? this.memberships.members(board.groupId, transaction) : this.players.ranked(board.kind, transaction);
	}
}
