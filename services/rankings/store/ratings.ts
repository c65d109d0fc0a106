import type { Transaction } from "sequelize";
import type { RatingChange } from "../rankings.types";
import type { Sql } from "./sql";

export interface RatedContest {
	contestId: string;
	title: string;
	endedAt: string;
	participants: number;
}

/** One participant's line of a rated contest. */
export interface RatingLine {
	userId: string;
	place: number;
	before: number;
	after: number;
}

/** Rated contests and every participant's rating change in each. */
export class Ratings {
	constructor(private readonly sql: Sql) {}

	/**
	 * The once-per-contest guard: true for the first transaction to claim the contest, which rates
	 * it; a redelivered or re-driven `contest.ended`, on any replica, waits for that one and gets false.
	 */
	async claim(c: RatedContest, transaction: Transaction): Promise<boolean> {
		const rows = await this.sql.select(
			`INSERT INTO ${this.sql.t.ratedContests} (contest_id, title, ended_at, participants) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (contest_id) DO NOTHING RETURNING contest_id`,
			[c.contestId, c.title, c.endedAt, c.participants],
			transaction
		);
		return rows.length > 0;
	}

	async record(contestId: string, lines: readonly RatingLine[], transaction: Transaction): Promise<void> {
		if (!lines.length) return;
		await this.sql.run(
			`INSERT INTO ${this.sql.t.ratingChanges} (contest_id, user_id, place, rating_before, rating_after)
			 SELECT $1::uuid, * FROM unnest($2::uuid[], $3::int[], $4::int[], $5::int[])`,
			[contestId, lines.map(l => l.userId), lines.map(l => l.place), lines.map(l => l.before), lines.map(l => l.after)],
			transaction
		);
	}

	/** The user's rated contests in the order they were rated: each one's `before` is the previous one's `after`. */
	async history(userId: string): Promise<RatingChange[]> {
		const { t } = this.sql;
		const rows = await this.sql.select<{
			contest_id: string;
			title: string;
			place: number;
			rating_before: number;
			rating_after: number;
			ended_at: Date;
		}>(
			`SELECT r.contest_id, c.title, r.place, r.rating_before, r.rating_after, c.ended_at
			 FROM ${t.ratingChanges} r JOIN ${t.ratedContests} c USING (contest_id)
			 WHERE r.user_id = $1 ORDER BY r.seq`,
			[userId]
		);
		return rows.map(r => ({
			contestId: r.contest_id,
			title: r.title,
			place: r.place,
			before: r.rating_before,
			after: r.rating_after,
			at: new Date(r.ended_at).toISOString()
		}));
	}

	async forgetUser(userId: string, transaction: Transaction): Promise<void> {
		await this.sql.run(`DELETE FROM ${this.sql.t.ratingChanges} WHERE user_id = $1`, [userId], transaction);
	}
}
