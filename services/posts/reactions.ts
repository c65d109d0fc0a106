import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import { REACTION_KINDS, type ReactionCounts, type ReactionKind } from "./posts.types";

/** `like` is counted in `like_count`, and so on: column names from the code, never from input. */
const COUNT_COLUMN: Record<ReactionKind, string> = { like: "like_count", helpful: "helpful_count", insightful: "insightful_count" };

const COUNTS = "like_count, helpful_count, insightful_count";

interface CountsRow {
	like_count: number;
	helpful_count: number;
	insightful_count: number;
}

export const countsOf = (r: CountsRow): ReactionCounts => ({
	like: r.like_count,
	helpful: r.helpful_count,
	insightful: r.insightful_count
});

/**
 * One reaction per (post, user, kind). The row and the post's counter change in one
 * transaction, and the counter moves only when a row was really added or removed, so
 * repeated and concurrent PUT/DELETE keep them equal.
 */
export class Reactions {
	private readonly reactions: string;
	private readonly posts: string;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.reactions = `"${schema}".reactions`;
		this.posts = `"${schema}".posts`;
	}

	private select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	/** Adds or removes the reaction; `changed` says whether it was not already so. */
	async set(
		postId: string,
		userId: string,
		kind: ReactionKind,
		on: boolean,
		transaction: Transaction
	): Promise<{ changed: boolean; counts: ReactionCounts }> {
		const rows = on
			? await this.select(
					`INSERT INTO ${this.reactions} (post_id, user_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING kind`,
					[postId, userId, kind],
					transaction
				)
			: await this.select(
					`DELETE FROM ${this.reactions} WHERE post_id = $1 AND user_id = $2 AND kind = $3 RETURNING kind`,
					[postId, userId, kind],
					transaction
				);
		const changed = rows.length > 0;
		const column = COUNT_COLUMN[kind];
		const [counts] = changed
			? await this.select<CountsRow>(
					`UPDATE ${this.posts} SET ${column} = ${column} + $2 WHERE id = $1 RETURNING ${COUNTS}`,
					[postId, on ? 1 : -1],
					transaction
				)
			: await this.select<CountsRow>(`SELECT ${COUNTS} FROM ${this.posts} WHERE id = $1`, [postId], transaction);
		return { changed, counts: countsOf(counts) };
	}

	async mine(postId: string, userId: string | undefined): Promise<ReactionKind[]> {
		if (!userId) return [];
		const rows = await this.select<{ kind: ReactionKind }>(`SELECT kind FROM ${this.reactions} WHERE post_id = $1 AND user_id = $2`, [
			postId,
			userId
		]);
		return REACTION_KINDS.filter(kind => rows.some(r => r.kind === kind));
	}

	/** Removes every reaction of a user (their account is gone) and takes them off the counters. */
	async forgetUser(userId: string, transaction: Transaction): Promise<string[]> {
		const rows = await this.select<{ id: string }>(
			`WITH gone AS (DELETE FROM ${this.reactions} WHERE user_id = $1 RETURNING post_id, kind)
			 UPDATE ${this.posts} AS p SET
				like_count = like_count - (SELECT count(*) FROM gone WHERE gone.post_id = p.id AND kind = 'like'),
				helpful_count = helpful_count - (SELECT count(*) FROM gone WHERE gone.post_id = p.id AND kind = 'helpful'),
				insightful_count = insightful_count - (SELECT count(*) FROM gone WHERE gone.post_id = p.id AND kind = 'insightful')
			 WHERE p.id IN (SELECT post_id FROM gone) RETURNING p.id`,
			[userId],
			transaction
		);
		return rows.map(r => r.id);
	}
}
