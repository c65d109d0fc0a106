import { type ModelStatic, QueryTypes, type Sequelize } from "sequelize";
import { summaryColumns } from "./post-mapper";
import type { PostModel } from "./posts.model";
import type { CountedName, ListPostsParams, Sort } from "./posts.types";
import { CATEGORIES } from "./posts.types";

/** The list's filters once checked: the group is visible to the caller, `mine` has a caller. */
export type ListQuery = Omit<ListPostsParams, "mine"> & { mineOf?: string };

/** Sorts of a list without `q`, by name: the only ORDER BY clauses such a request can reach. */
const LIST_ORDER: Record<Exclude<Sort, "relevance">, string> = {
	recent: "published_at DESC NULLS LAST, created_at DESC, id",
	popular: "(like_count + helpful_count + insightful_count + comment_count) DESC, view_count DESC, published_at DESC, id"
};

/**
 * The same sorts for a search, as the matches' sort keys (named k_* so that they clash with no
 * column of posts) and their order. A search ranks every match: only these narrow rows are
 * ranked and counted, then the page's 20 are joined back to their columns. Counting the wide
 * rows themselves spilled 10,000 matches to disk and doubled the slowest searches.
 */
const SEARCH_ORDER: Record<Sort, { keys: string; order: string }> = {
	relevance: {
		keys: "ts_rank(search, websearch_to_tsquery('english', $q)) AS k_rank, published_at AS k_published",
		order: "k_rank DESC, k_published DESC, id"
	},
	recent: { keys: "published_at AS k_published, created_at AS k_created", order: "k_published DESC NULLS LAST, k_created DESC, id" },
	popular: {
		keys: "like_count + helpful_count + insightful_count + comment_count AS k_score, view_count AS k_views, published_at AS k_published",
		order: "k_score DESC, k_views DESC, k_published DESC, id"
	}
};

/** Relevance needs a search; without one (or a sort) the newest come first. */
export function sortFor(query: Pick<ListQuery, "q" | "sort">): Sort {
	if (!query.q) return query.sort === "popular" ? "popular" : "recent";
	return query.sort ?? "relevance";
}

/**
 * Filtered, sorted pages of posts in SQL. Every value is a bound parameter and every clause
 * comes from the code, so no request text becomes SQL.
 */
export class PostQueries {
	private readonly sequelize: Sequelize;
	private readonly posts: string;
	/** Every column of a post but its body. */
	private readonly summaryColumns: string;

	constructor(
		private readonly model: ModelStatic<PostModel>,
		schema: string
	) {
		this.sequelize = model.sequelize!;
		this.posts = `"${schema}".posts`;
		this.summaryColumns = summaryColumns(model);
	}

	/** A page of posts (summary columns only, mapped onto the model) and the number of all that match. */
	async page(query: ListQuery): Promise<{ rows: PostModel[]; total: number }> {
		const conditions: string[] = [];
		const bind: Record<string, unknown> = {};
		const where = (sql: string, name: string, value: unknown) => {
			bind[name] = value;
			conditions.push(sql);
		};
		if (query.mineOf) where("author_id = $me", "me", query.mineOf);
		else conditions.push("status = 'published'");
		// A group's own feed shows its posts (the caller may see them); every other list, no private ones.
		if (query.group) where("group_id = $group", "group", query.group);
		else if (!query.mineOf) conditions.push("NOT group_private");
		if (query.tag) where("tags @> ARRAY[$tag]::text[]", "tag", query.tag);
		if (query.category) where("category = $category", "category", query.category);
		if (query.author) where("author_id = $author", "author", query.author);
		if (query.q) where("search @@ websearch_to_tsquery('english', $q)", "q", query.q);

		const sort = sortFor(query);
		const whereSql = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
		const count = async () => {
			const [{ total }] = await this.sequelize.query<{ total: string }>(`SELECT count(*) AS total FROM ${this.posts} ${whereSql}`, {
				bind,
				type: QueryTypes.SELECT
			});
			return Number(total);
		};
		const limits = "LIMIT $limit OFFSET $offset";
		const pageBind = { ...bind, limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
		if (sort !== "relevance" && !query.q) {
			// (relevance needs a q: sortFor)
			// A list walks an index and stops after the page; the count is a separate, cheap scan.
			const [rows, total] = await Promise.all([
				this.sequelize.query(
					`SELECT ${this.summaryColumns} FROM ${this.posts} ${whereSql} ORDER BY ${LIST_ORDER[sort]} ${limits}`,
					{
						bind: pageBind,
						type: QueryTypes.SELECT,
						model: this.model,
						mapToModel: true
					}
				),
				count()
			]);
			return { rows, total };
		}
		// A search reads every match anyway (to rank them): count them in the same pass.
		const { keys, order } = SEARCH_ORDER[sort];
		const rows = await this.sequelize.query(
			`WITH matches AS MATERIALIZED (SELECT id, ${keys} FROM ${this.posts} ${whereSql}),
			 page AS (SELECT *, count(*) OVER () AS total FROM matches ORDER BY ${order} ${limits})
			 SELECT ${this.summaryColumns}, total FROM page JOIN ${this.posts} USING (id) ORDER BY ${order}`,
			{ bind: pageBind, type: QueryTypes.SELECT, model: this.model, mapToModel: true }
		);
		// The window's count rides on every row, outside the model's attributes.
		const total = rows.length ? Number(rows[0].get("total" as keyof PostModel)) : query.page > 1 ? await count() : 0;
		return { rows, total };
	}

	/** Every category with its number of public, published posts (zeros included). */
	async categories(): Promise<CountedName[]> {
		const rows = await this.sequelize.query<{ category: string; count: string }>(
			`SELECT category, count(*) AS count FROM ${this.posts} WHERE status = 'published' AND NOT group_private GROUP BY category`,
			{ type: QueryTypes.SELECT }
		);
		const counts = new Map(rows.map(r => [r.category, Number(r.count)]));
		return CATEGORIES.map(name => ({ name, count: counts.get(name) ?? 0 }));
	}

	/** The most used tags of public, published posts, optionally by prefix. */
	async tags(prefix?: string, limit = 20): Promise<CountedName[]> {
		const rows = await this.sequelize.query<{ name: string; count: string }>(
			`SELECT tag AS name, count(*) AS count
			 FROM ${this.posts}, unnest(tags) AS tag
			 WHERE status = 'published' AND NOT group_private AND ($prefix::text IS NULL OR starts_with(tag, $prefix))
			 GROUP BY tag ORDER BY count(*) DESC, tag LIMIT $limit`,
			{ bind: { prefix: prefix ?? null, limit }, type: QueryTypes.SELECT }
		);
		return rows.map(r => ({ name: r.name, count: Number(r.count) }));
	}
}
