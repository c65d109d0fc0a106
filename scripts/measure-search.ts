/**
 * Search latency on a seeded posts database, measured where posts.list spends it on a cache miss:
 * PostQueries.page (the page's rows and its total). A mixed set of realistic queries, one at a
 * time, after a warm-up on other queries; prints p50/p95/p99/max against issue 5's budget.
 *   npm run seed-posts && npm run measure-search -- [--queries 400] [--database-url …]
 * The database is found as seed-posts finds it. Exits 1 when the p99 is over budget.
 */
import { parseArgs } from "node:util";
import { QueryTypes } from "sequelize";
import { type ListQuery, PostQueries } from "../services/posts/post-queries";
import { definePostModel } from "../services/posts/posts.model";
import { openPosts, postsDatabase } from "./seed/posts";
import { type SearchForm, searchQueries } from "./seed/searches";

const P99_BUDGET_MS = 50;
const WARMUP_QUERIES = 100;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const describe = (q: ListQuery) => JSON.stringify({ q: q.q, tag: q.tag, category: q.category, sort: q.sort });

async function main() {
	const { values } = parseArgs({ options: { queries: { type: "string", default: "400" }, "database-url": { type: "string" } } });
	const count = Number(values.queries);
	if (!Number.isInteger(count) || count < 1) throw new Error(`--queries must be a positive integer, got "${values.queries}"`);
	const database = await openPosts(postsDatabase(values["database-url"]));
	try {
		const queries = new PostQueries(definePostModel(database.sequelize, "posts"), "posts");
		const [{ n }] = await database.sequelize.query<{ n: string }>(
			`SELECT count(*) AS n FROM "posts".posts WHERE status = 'published'`,
			{ type: QueryTypes.SELECT }
		);
		const all = searchQueries(count + WARMUP_QUERIES);
		for (const { query } of all.slice(count)) await queries.page(query);

		const timings: { form: SearchForm; query: ListQuery; ms: number; total: number }[] = [];
		for (const { form, query } of all.slice(0, count)) {
			const started = performance.now();
			const { total } = await queries.page(query);
			timings.push({ form, query, ms: performance.now() - started, total });
		}
		const line = (label: string, ms: number[]) => {
			const sorted = [...ms].sort((a, b) => a - b);
			const f = (p: number) => percentile(sorted, p).toFixed(1).padStart(6);
			return `${label.padEnd(22)} ${String(sorted.length).padStart(5)}  p50 ${f(50)}  p95 ${f(95)}  p99 ${f(99)}  max ${f(100)} ms`;
		};
		const p99 = percentile(
			timings.map(t => t.ms).sort((a, b) => a - b),
			99
		);
		const out = [
			`${timings.length} searches through PostQueries.page, one at a time, after ${WARMUP_QUERIES} warm-up searches, on ${Number(n)} published posts:`,
			line(
				"all",
				timings.map(t => t.ms)
			),
			...(["word", "two words", "phrase", "exclusion", "or"] as const).map(form =>
				line(
					`  ${form}`,
					timings.filter(t => t.form === form).map(t => t.ms)
				)
			),
			line(
				"  sort relevance",
				timings.filter(t => t.query.sort !== "popular").map(t => t.ms)
			),
			line(
				"  sort popular",
				timings.filter(t => t.query.sort === "popular").map(t => t.ms)
			),
			line(
				"  with tag/category",
				timings.filter(t => t.query.tag || t.query.category).map(t => t.ms)
			),
			"slowest:",
			...[...timings]
				.sort((a, b) => b.ms - a.ms)
				.slice(0, 5)
				.map(t => `  ${t.ms.toFixed(1).padStart(6)} ms  ${t.total} matches  ${describe(t.query)}`),
			`p99 ${p99.toFixed(1)} ms: ${p99 < P99_BUDGET_MS ? "within" : "OVER"} the ${P99_BUDGET_MS} ms budget`
		];
		process.stdout.write(`${out.join("\n")}\n`);
		if (p99 >= P99_BUDGET_MS) process.exitCode = 1;
	} finally {
		await database.close();
	}
}

if (require.main === module) {
	main().catch(err => {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(1);
	});
}
