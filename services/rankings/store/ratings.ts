import type { Transaction } from "sequelize";
import type { ContestResult, RatingChange } from "../rankings.types";
import type { Sql } from "./sql";

export interface EndedContest {
	contestId: string;
	title: string;
	endedAt: string;
	participants: number;
	rated: boolean;
}

/** One participant's line of an ended contest; the ratings only in a rated one. */
export interface ResultLine {
	userId: string;
	place: number;
	before: number | null;
	after: number | null;
}

interface ResultRecord {
	contest_id: string;
	title: string;
	place: number;
	rating_before: number | null;
	rating_after: number | null;
	ended_at: Date;
}

/** Ended contests, every participant's place in each, and in rated ones their rating change. */
export class Ratings {
	constructor(private readonly sql: Sql) {}

	/**
	 * The once-per-contest guard: true for the first transaction to claim the contest, which records (and rates)
	 * it; a redelivered or re-driven `contest.ended`, on any replica, waits for that one and gets false.
	 */
	async claim(c: EndedContest, transaction: Transaction): Promise<boolean> {
		const rows = await this.sql.select(
			`INSERT INTO ${this.sql.t.endedContests} (contest_id, title, ended_at, participants, rated) VALUES ($1, $2, $3, $4, $5)
			 ON CONFLICT (contest_id) DO NOTHING RETURNING contest_id`,
			[c.contestId, c.title, c.endedAt, c.participants, c.rated],
			transaction
		);
		return rows.length > 0;
	}

	async record(contestId: string, lines: readonly ResultLine[], transaction: Transaction): Promise<void> {
		if (!lines.length) return;
		await this.sql.run(
			`INSERT INTO ${this.sql.t.contestResults} (contest_id, user_id, place, rating_before, rating_after)
			 SELECT $1::uuid, * FROM unnest($2::uuid[], $3::int[], $4::int[], $5::int[])`,
			[contestId, lines.map(l => l.userId), lines.map(l => l.place), lines.map(l => l.before), lines.map(l => l.after)],
			transaction
		);
	}

	/** The user's rated contests in the order they were rated: each one's `before` is the previous one's `after`. */
	async history(userId: string): Promise<RatingChange[]> {
		return (await this.results(userId, true)).map(r => ({
			contestId: r.contest_id,
			title: r.title,
			place: r.place,
			before: r.rating_before!,
			after: r.rating_after!,
			at: new Date(r.ended_at).toISOString()
		}));
	}

	/** Every ended contest the user took part in, rated or not, newest first. */
	async contests(userId: string): Promise<ContestResult[]> {
		return (await this.results(userId, false)).reverse().map(r => ({
			contestId: r.contest_id,
			title: r.title,
			place: r.place,
			rated: r.rating_after !== null,
			ratingChange: r.rating_after === null ? null : r.rating_after - r.rating_before!,
			at: new Date(r.ended_at).toISOString()
		}));
	}

	private results(userId: string, ratedOnly: boolean): Promise<ResultRecord[]> {
		const { t } = this.sql;
		return this.sql.select<ResultRecord>(
			`SELECT r.contest_id, c.title, r.place, r.rating_before, r.rating_after, c.ended_at
			 FROM ${t.contestResults} r JOIN ${t.endedContests} c USING (contest_id)
			 WHERE r.user_id = $1${ratedOnly ? " AND c.rated" : ""} ORDER BY r.seq`,
			[userId]
		);
	}

	async forgetUser(userId: string, transaction: Transaction): Promise<void> {
		await this.sql.run(`DELETE FROM ${this.sql.t.contestResults} WHERE user_id = $1`, [userId], transaction);
	}
}
