/**
 * Seed posts, stored exactly as posts.create stores them (sanitised HTML, excerpt, reading time,
 * normalised tags, unique slugs; the table's trigger fills `search`), and the vocabulary they are
 * written from: shared by scripts/seed-posts.ts, scripts/measure-search.ts and the bench (a
 * library; the runnable script is scripts/seed-posts.ts).
 */
import { randomBytes } from "node:crypto";
import { setImmediate } from "node:timers/promises";
import { QueryTypes, type Sequelize } from "sequelize";
import { type DatabaseTarget, loadConfig } from "../../config";
import { migrate } from "../../mixins/db/migrate";
import { openDatabase } from "../../mixins/db/open-database";
import { renderPost } from "../../lib/markdown";
import { migrations } from "../../services/posts/migrations";
import { CATEGORIES, type Category } from "../../services/posts/posts.types";
import { normaliseTags, slugOf } from "../../services/posts/tags";
import { prng, type Random } from "../../lib/prng";

// The same --seed gives the same posts.
export { prng, type Random };

/** What each category's posts are about; titles, bodies and search queries draw from these. */
export const TOPICS: Record<Category, string[]> = {
	algorithms: [
		"binary search",
		"dynamic programming",
		"graph traversal",
		"quicksort",
		"merge sort",
		"recursion",
		"memoization",
		"greedy algorithms",
		"backtracking",
		"Big-O notation",
		"Dijkstra's algorithm",
		"topological sort",
		"sliding windows",
		"bit manipulation"
	],
	"data-structures": [
		"hash tables",
		"linked lists",
		"binary trees",
		"heaps",
		"tries",
		"B-trees",
		"stacks and queues",
		"Bloom filters",
		"skip lists",
		"ring buffers",
		"union-find",
		"red-black trees"
	],
	web: [
		"REST APIs",
		"WebSockets",
		"server-side rendering",
		"CSS grid",
		"service workers",
		"HTTP caching",
		"CORS",
		"OAuth 2.0",
		"GraphQL",
		"web components",
		"form validation",
		"accessibility"
	],
	databases: [
		"indexes",
		"query plans",
		"transactions",
		"isolation levels",
		"full-text search",
		"connection pooling",
		"schema migrations",
		"sharding",
		"replication",
		"window functions",
		"deadlocks",
		"normalization"
	],
	devops: [
		"Docker images",
		"Kubernetes deployments",
		"CI pipelines",
		"blue-green deployments",
		"observability",
		"log aggregation",
		"infrastructure as code",
		"secrets management",
		"health checks",
		"autoscaling",
		"load balancers",
		"canary releases"
	],
	languages: [
		"generics",
		"closures",
		"async/await",
		"pattern matching",
		"type inference",
		"memory management",
		"error handling",
		"iterators",
		"macros",
		"concurrency",
		"immutability",
		"modules"
	],
	career: [
		"code reviews",
		"technical interviews",
		"pair programming",
		"mentoring",
		"estimates",
		"technical debt",
		"open source",
		"documentation",
		"on-call rotations",
		"side projects",
		"burnout",
		"system design interviews"
	]
};

export const TECH = [
	"TypeScript",
	"JavaScript",
	"Python",
	"Go",
	"Rust",
	"Java",
	"Kotlin",
	"C#",
	"C++",
	"Ruby",
	"Elixir",
	"PostgreSQL",
	"Redis",
	"Node.js",
	"React",
	"Vue",
	"Svelte",
	"Docker",
	"Kubernetes",
	"Linux"
];

/** About sixty tags, as authors type them (normaliseTags makes them slugs; "C#" would become "c"). */
export const TAGS = [
	"TypeScript",
	"JavaScript",
	"Python",
	"Go",
	"Rust",
	"Java",
	"Kotlin",
	"csharp",
	"cpp",
	"Ruby",
	"Elixir",
	"PostgreSQL",
	"Redis",
	"Node.js",
	"React",
	"Vue",
	"Svelte",
	"Docker",
	"Kubernetes",
	"Linux",
	"beginners",
	"tutorial",
	"performance",
	"testing",
	"security",
	"architecture",
	"refactoring",
	"debugging",
	"best practices",
	"clean code",
	"interview prep",
	"career growth",
	"productivity",
	"open source",
	"cloud",
	"aws",
	"microservices",
	"api design",
	"frontend",
	"backend",
	"sql",
	"nosql",
	"caching",
	"concurrency",
	"functional programming",
	"oop",
	"design patterns",
	"data science",
	"machine learning",
	"webdev",
	"devops",
	"ci-cd",
	"monitoring",
	"tooling",
	"git",
	"shell",
	"algorithms",
	"data structures",
	"leetcode",
	"system design"
];

export const NOUNS = [
	"function",
	"variable",
	"compiler",
	"runtime",
	"interface",
	"module",
	"thread",
	"process",
	"request",
	"response",
	"cache",
	"index",
	"query",
	"schema",
	"test",
	"benchmark",
	"deployment",
	"container",
	"pipeline",
	"log",
	"metric",
	"exception",
	"callback",
	"promise",
	"stream",
	"buffer",
	"pointer",
	"allocation",
	"latency",
	"throughput",
	"endpoint",
	"library",
	"framework",
	"dependency",
	"commit",
	"branch",
	"abstraction",
	"invariant",
	"edge case",
	"hash",
	"array",
	"loop",
	"closure",
	"object",
	"record",
	"transaction",
	"lock",
	"queue",
	"worker",
	"server"
];
export const VERBS = [
	"allocate",
	"parse",
	"serialize",
	"cache",
	"index",
	"refactor",
	"benchmark",
	"deploy",
	"profile",
	"debug",
	"test",
	"optimize",
	"compile",
	"validate",
	"iterate over",
	"traverse",
	"sort",
	"hash",
	"encrypt",
	"migrate",
	"scale",
	"monitor",
	"retry",
	"batch",
	"stream"
];
const ADJECTIVES = [
	"fast",
	"slow",
	"simple",
	"naive",
	"robust",
	"concurrent",
	"immutable",
	"lazy",
	"idiomatic",
	"readable",
	"scalable",
	"efficient",
	"expensive",
	"safe",
	"predictable",
	"fragile"
];

const TITLES = [
	"Understanding {topic} in {tech}",
	"A practical guide to {topic}",
	"{topic} explained with {tech} examples",
	"How I finally understood {topic}",
	"{n} mistakes to avoid with {topic}",
	"{topic} vs {other}: when to use which",
	"Getting started with {topic} in {tech}",
	"Deep dive: {topic} under the hood",
	"Testing {topic} in {tech}",
	"Debugging {topic} in production",
	"From zero to {topic} with {tech}",
	"What nobody tells you about {topic}",
	"{topic} patterns for {tech} developers",
	"Lessons learned from {topic} at scale",
	"Why {topic} matters more than you think"
];
const SENTENCES = [
	"When you {verb} a {noun}, the {noun2} becomes {adj}.",
	"Most {tech} developers meet {topic} the first time they {verb} a {noun}.",
	"The {adj} approach is to {verb} every {noun} before you touch the {noun2}.",
	"In practice, {topic} is about keeping the {noun} {adj} while the {noun2} grows.",
	"A common mistake is to {verb} the {noun} twice, which makes the {noun2} {adj}.",
	"Measure first: {verb} the {noun} and look at the {noun2} before you change anything.",
	"With {tech}, you can {verb} the {noun} in a few lines.",
	"This is where {topic} shines: the {noun} stays {adj} even under load.",
	"Nobody wants a {adj} {noun}, so {verb} it early and often.",
	"The {noun2} tells you whether {topic} pays off for your {noun}."
];
const HEADINGS = [
	"Why it matters",
	"The basic idea",
	"A worked example",
	"Common pitfalls",
	"Performance notes",
	"Testing it",
	"Going further",
	"Wrapping up"
];
const CODE_LANGUAGES = ["ts", "python", "go", "rust", "sql", "bash"];

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function fill(random: Random, template: string, topic: string): string {
	const values: Record<string, () => string> = {
		topic: () => topic,
		other: () => pick(random, Object.values(TOPICS).flat()),
		tech: () => pick(random, TECH),
		n: () => String(between(random, 3, 12)),
		noun: () => pick(random, NOUNS),
		noun2: () => pick(random, NOUNS),
		verb: () => pick(random, VERBS),
		adj: () => pick(random, ADJECTIVES)
	};
	return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name]()).replace(/\ba (?=[aeiou])/g, "an ");
}

function paragraph(random: Random, topic: string): string {
	return Array.from({ length: between(random, 3, 6) }, () => fill(random, pick(random, SENTENCES), topic)).join(" ");
}

function codeBlock(random: Random): string {
	const name = `${pick(random, VERBS).split(" ")[0]}${pick(random, NOUNS)
		.replace(/\s/g, "")
		.replace(/^./, c => c.toUpperCase())}`;
	const language = pick(random, CODE_LANGUAGES);
	const body: Record<string, string> = {
		ts: `export function ${name}(items: string[]): Map<string, number> {\n\tconst counts = new Map<string, number>();\n\tfor (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);\n\treturn counts;\n}`,
		python: `def ${name}(items):\n    counts = {}\n    for item in items:\n        counts[item] = counts.get(item, 0) + 1\n    return counts`,
		go: `func ${name}(items []string) map[string]int {\n\tcounts := make(map[string]int)\n\tfor _, item := range items {\n\t\tcounts[item]++\n\t}\n\treturn counts\n}`,
		rust: `fn ${name}(items: &[&str]) -> HashMap<String, usize> {\n    let mut counts = HashMap::new();\n    for item in items {\n        *counts.entry(item.to_string()).or_insert(0) += 1;\n    }\n    counts\n}`,
		sql: `SELECT author_id, count(*) AS posts\nFROM posts\nWHERE published_at > now() - interval '30 days'\nGROUP BY author_id\nORDER BY posts DESC\nLIMIT 10;`,
		bash: `#!/usr/bin/env bash\nset -euo pipefail\nfor file in logs/*.log; do\n  grep -c ERROR "$file"\ndone | sort -n | tail -5`
	};
	return `\`\`\`${language}\n${body[language]}\n\`\`\``;
}

/** A post as a user would write it: a title, a few hundred words of markdown, a category, 1–5 tags. */
export function fakePost(random: Random): { title: string; content: string; category: Category; tags: string[] } {
	const category = pick(random, CATEGORIES);
	const topic = pick(random, TOPICS[category]);
	const title = fill(random, pick(random, TITLES), topic).replace(/^./, c => c.toUpperCase());
	const sections = HEADINGS.slice(0, between(random, 2, 4)).map(heading => {
		const parts = [`## ${heading}`, paragraph(random, topic)];
		if (random() < 0.5) parts.push(codeBlock(random));
		if (random() < 0.4)
			parts.push(Array.from({ length: 3 }, () => `- ${fill(random, "{verb} the {noun} with {topic}", topic)}`).join("\n"));
		parts.push(paragraph(random, topic));
		return parts.join("\n\n");
	});
	const link = `See the [${pick(random, TECH)} documentation](https://example.com/docs/${slugOf(topic)}) for more on **${topic}**.`;
	const tags = Array.from({ length: between(random, 1, 5) }, () => pick(random, TAGS));
	return { title, content: [paragraph(random, topic), ...sections, link].join("\n\n"), category, tags };
}

const COLUMNS = [
	"slug",
	"title",
	"content",
	"html",
	"excerpt",
	"category",
	"tags",
	"status",
	"author_id",
	"reading_time_minutes",
	"view_count",
	"published_at",
	"created_at",
	"updated_at"
];
const DAY_MS = 24 * 3600 * 1000;

function uuid(random: Random): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** One batch in one transaction: slugs the database or this batch already has get the service's random suffix. */
async function insertBatch(sequelize: Sequelize, rows: unknown[][]): Promise<void> {
	await sequelize.transaction(async transaction => {
		const slugs = rows.map(r => r[0] as string);
		const taken = await sequelize.query<{ slug: string }>(`SELECT slug FROM "posts".posts WHERE slug = ANY($1::text[])`, {
			bind: [slugs],
			transaction,
			type: QueryTypes.SELECT
		});
		const used = new Set(taken.map(t => t.slug));
		for (const row of rows) {
			if (used.has(row[0] as string)) row[0] = `${(row[0] as string).slice(0, 200)}-${randomBytes(3).toString("hex")}`;
			used.add(row[0] as string);
		}
		const values = rows.map((_, i) => `(${COLUMNS.map((_, j) => `$${i * COLUMNS.length + j + 1}`).join(", ")})`);
		await sequelize.query(`INSERT INTO "posts".posts (${COLUMNS.join(", ")}) VALUES ${values.join(", ")}`, {
			bind: rows.flat(),
			transaction
		});
	});
}

/** Inserts `count` published posts by a few dozen authors over the last two years; returns the seconds taken. */
export async function seedPosts(sequelize: Sequelize, count: number, { seed = 1, batchSize = 500 } = {}): Promise<number> {
	const started = performance.now();
	const random = prng(seed);
	const authors = Array.from({ length: 40 }, () => uuid(random));
	const now = Date.now();
	// The next batch renders here while the last one inserts (its tsvectors cost PostgreSQL's CPU):
	// rendering yields to the event loop now and then, so that the insert's queries move on.
	let inserting = Promise.resolve();
	for (let done = 0; done < count; done += batchSize) {
		const rows: unknown[][] = [];
		while (rows.length < Math.min(batchSize, count - done)) {
			if (rows.length % 20 === 0) await setImmediate();
			const post = fakePost(random);
			const { html, excerpt, readingTimeMinutes } = renderPost(post.content);
			const publishedAt = new Date(now - random() * 730 * DAY_MS);
			// Views are the only popularity signal without rows behind it: a few posts get most of them.
			const views = Math.floor(random() ** 3 * 5000);
			rows.push([
				slugOf(post.title),
				post.title,
				post.content,
				html,
				excerpt,
				post.category,
				normaliseTags(post.tags),
				"published",
				pick(random, authors),
				readingTimeMinutes,
				views,
				publishedAt,
				publishedAt,
				publishedAt
			]);
		}
		await inserting;
		inserting = insertBatch(sequelize, rows);
		// Awaited at the next batch; until then a failure must not count as unhandled.
		inserting.catch(() => {});
	}
	await inserting;
	// Fresh statistics, as after any bulk load: without them the planner misjudges every search.
	await sequelize.query(`ANALYZE "posts".posts`);
	return (performance.now() - started) / 1000;
}

/** The posts database as the service finds it: --database-url, else POSTS_DATABASE_URL or DATABASE_URL (config/index.ts). */
export function postsDatabase(url?: string): DatabaseTarget {
	const { POSTS_DATABASE_URL, DATABASE_URL, DATA_DIR } = process.env;
	return loadConfig({ POSTS_DATABASE_URL: url ?? POSTS_DATABASE_URL, DATABASE_URL, DATA_DIR }).database.for("posts");
}

/** Opens the posts database and brings its schema up to date: the caller closes it. */
export async function openPosts(target: DatabaseTarget) {
	const database = await openDatabase(target, { poolMax: 10, queryTimeoutMs: 60_000, log: () => {} });
	try {
		await migrate(database.sequelize, "posts", migrations);
	} catch (err) {
		await database.close();
		throw err;
	}
	return database;
}

/** Migrates and seeds one posts database (the bench seeds each topology's with this). */
export async function seedPostsDatabase(target: DatabaseTarget, count: number, seed = 1): Promise<number> {
	const database = await openPosts(target);
	try {
		return await seedPosts(database.sequelize, count, { seed });
	} finally {
		await database.close();
	}
}
