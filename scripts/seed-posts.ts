/**
 * Seeds published posts, stored exactly as posts.create stores them (sanitised HTML, excerpt,
 * reading time, normalised tags, unique slugs; the table's trigger fills `search`):
 *   npm run seed-posts -- --count 10000 --database-url postgres://postgres@127.0.0.1:5432/codelearn_posts
 * Without --database-url: POSTS_DATABASE_URL, else DATABASE_URL's server with codelearn_posts, else
 * the embedded database in DATA_DIR (config/index.ts; stop `npm start` first, it holds that one).
 * Runs the service's migrations first, so an empty database will do. Seed data
 * announces nothing: no outbox events, and reaction counts stay 0 (there are no reaction rows).
 */
import { parseArgs } from "node:util";
import { postsDatabase, seedPostsDatabase } from "./seed/posts";

async function main() {
	const { values } = parseArgs({
		options: { count: { type: "string", default: "10000" }, "database-url": { type: "string" }, seed: { type: "string", default: "1" } }
	});
	const count = Number(values.count);
	if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive integer, got "${values.count}"`);
	const target = postsDatabase(values["database-url"]);
	const seconds = await seedPostsDatabase(target, count, Number(values.seed));
	const where = target.kind === "postgres" ? target.url.replace(/\/\/[^@/]*@/, "//") : `embedded database in ${target.dataDir}`;
	process.stdout.write(`Seeded ${count} posts into ${where} in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} posts/s)\n`);
}

if (require.main === module) {
	main().catch(err => {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(1);
	});
}
