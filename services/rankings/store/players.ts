import type { Transaction } from "sequelize";
import type { Player } from "../boards";
import type { Sql } from "./sql";

export interface PlayerRecord {
	user_id: string;
	username: string | null;
	rating: number | null;
	solved: number;
}

export const COLUMNS = "user_id, username, rating, solved";

export const toPlayer = (r: PlayerRecord): Player => ({ userId: r.user_id, username: r.username, rating: r.rating, solved: r.solved });

/** One row per known user: their name, rating and solved count; and the accounts deleted. */
export class Players {
	constructor(private readonly sql: Sql) {}

	/**
	 * Locks these players' rows until the transaction ends, making the missing ones, in id order so
	 * that writers sharing players never deadlock; every change to a player's boards happens under
	 * this lock. Deleted accounts are left out, also one whose deletion committed while this waited.
	 */
	async lock(userIds: readonly string[], transaction: Transaction): Promise<Map<string, Player>> {
		const ids = [...new Set(userIds)].sort();
		if (!ids.length) return new Map();
		const { t } = this.sql;
		await this.sql.run(`INSERT INTO ${t.players} (user_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [ids], transaction);
		const rows = await this.sql.select<PlayerRecord>(
			`SELECT ${COLUMNS} FROM ${t.players} WHERE user_id = ANY($1::uuid[]) ORDER BY user_id FOR UPDATE`,
			[ids],
			transaction
		);
		// A fresh statement sees a deletion that committed while the insert waited for it: undo the row it made.
		const gone = await this.sql.select<{ user_id: string }>(
			`DELETE FROM ${t.players} p USING ${t.deletedUsers} d WHERE d.user_id = p.user_id AND p.user_id = ANY($1::uuid[]) RETURNING p.user_id`,
			[ids],
			transaction
		);
		const deleted = new Set(gone.map(r => r.user_id));
		return new Map(rows.filter(r => !deleted.has(r.user_id)).map(r => [r.user_id, toPlayer(r)]));
	}

	async setUsername(userId: string, username: string, transaction: Transaction): Promise<void> {
		await this.sql.run(
			`UPDATE ${this.sql.t.players} SET username = $2, updated_at = now() WHERE user_id = $1`,
			[userId, username],
			transaction
		);
	}

	async setRatings(ratings: ReadonlyMap<string, number>, transaction: Transaction): Promise<void> {
		await this.sql.run(
			`UPDATE ${this.sql.t.players} p SET rating = v.rating, updated_at = now()
			 FROM unnest($1::uuid[], $2::int[]) AS v(user_id, rating) WHERE p.user_id = v.user_id`,
			[[...ratings.keys()], [...ratings.values()]],
			transaction
		);
	}

	async find(userId: string): Promise<Player | null> {
		const [row] = await this.sql.select<PlayerRecord>(`SELECT ${COLUMNS} FROM ${this.sql.t.players} WHERE user_id = $1`, [userId]);
		return row ? toPlayer(row) : null;
	}

	/** For a global board's rebuild: the rated players, or those with a solve. */
	async ranked(by: "rating" | "solved", transaction: Transaction): Promise<Player[]> {
		const where = by === "rating" ? "rating IS NOT NULL" : "solved > 0";
		return (await this.sql.select<PlayerRecord>(`SELECT ${COLUMNS} FROM ${this.sql.t.players} WHERE ${where}`, [], transaction)).map(
			toPlayer
		);
	}

	/** The account is gone (its row locked): remembered as deleted, its row dropped. */
	async forget(userId: string, transaction: Transaction): Promise<void> {
		const { t } = this.sql;
		await this.sql.run(`INSERT INTO ${t.deletedUsers} (user_id) VALUES ($1) ON CONFLICT DO NOTHING`, [userId], transaction);
		await this.sql.run(`DELETE FROM ${t.players} WHERE user_id = $1`, [userId], transaction);
	}
}
