/**
 * What the boards cost when Redis is away and they are read straight from PostgreSQL (issue 17),
 * and how long the first read after it is back waits for a rebuild. On scratch databases of the
 * given server, dropped at the end:
 *   npm run measure-boards -- [--players 100000] [--participants 10000] [--reads 200]
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--redis-url redis://127.0.0.1:6379]
 * Rankings: `players` rated players (as the bench seeds them), a group of every tenth; pages of 50
 * with the caller's line through BoardPages.read. Contests: a running contest of `participants`
 * (scripts/seed/contest.ts); pages of 50 through the contests' database standings. One read at a
 * time, after a few unmeasured ones; prints p50/p99/max. Not a test: a busy machine fails nothing.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { Client } from "pg";
import type { Sequelize } from "sequelize";
import { deleteMatching } from "../lib/redis-link";
import { migrate } from "../mixins/db/migrate";
import { openDatabase } from "../mixins/db/open-database";
import { ContestPlacements } from "../services/contests/contest-placements";
import { ContestStore } from "../services/contests/contest-store";
import { defineContestModel } from "../services/contests/contests.model";
import { DatabaseStandings } from "../services/contests/standings-from-database";
import { TeamStore } from "../services/contests/team-store";
import { RedisBoardStore } from "../services/rankings/boards/redis";
import { Leaderboards } from "../services/rankings/leaderboards";
import { migrations as rankingsMigrations } from "../services/rankings/migrations";
import type { BoardRef } from "../services/rankings/placements";
import { BoardPages } from "../services/rankings/store/board-pages";
import { Memberships } from "../services/rankings/store/memberships";
import { Players } from "../services/rankings/store/players";
import { Sql } from "../services/rankings/store/sql";
import { seedContestDatabase } from "./seed/contest";

const PAGE_SIZE = 50;
const WARMUP = 5;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Times `read(i)` `count` times after a few unmeasured reads; one line of p50/p99/max. */
async function timeReads(label: string, count: number, read: (i: number) => Promise<unknown>): Promise<string> {
	for (let i = 0; i < WARMUP; i++) await read(i);
	const ms: number[] = [];
	for (let i = 0; i < count; i++) {
		const started = performance.now();
		await read(i);
		ms.push(performance.now() - started);
	}
	ms.sort((a, b) => a - b);
	const f = (p: number) => percentile(ms, p).toFixed(1).padStart(7);
	return `${label.padEnd(46)} p50 ${f(50)}  p99 ${f(99)}  max ${f(100)} ms`;
}

/** `readers` reads started at once (`read(i)` each); the slowest one's time, as a line. */
async function timeTogether(label: string, readers: number, read: (i: number) => Promise<unknown>): Promise<string> {
	const started = performance.now();
	await Promise.all(Array.from({ length: readers }, (_, i) => read(i)));
	return `${label.padEnd(46)} all answered in ${(performance.now() - started).toFixed(0)} ms`;
}

/** A scratch database on the server: its URL, and its drop. */
function scratch(serverUrl: string, label: string) {
	const url = new URL(serverUrl);
	const name = `codelearn_measure_${label}_${process.pid}_${randomBytes(3).toString("hex")}`;
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const client = new Client({ connectionString: serverUrl });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
		}
	};
}

/** `count` rated players (ratings 800..3199 and solved counts spread by a hash, as bench/rankings.ts seeds them), a group of every tenth. */
async function seedRankings(sequelize: Sequelize, count: number, groupId: string): Promise<void> {
	await migrate(sequelize, "rankings", rankingsMigrations);
	await sequelize.query(
		`INSERT INTO rankings.players (user_id, username, rating, solved)
		 SELECT gen_random_uuid(), 'rp_' || i, 800 + (hashint4(i) & 2147483647) % 2400, (hashint4(i + 1) & 2147483647) % 500
		 FROM generate_series(1, $1::int) AS i`,
		{ bind: [count] }
	);
	await sequelize.query(
		`INSERT INTO rankings.group_members (group_id, user_id, member, changed_at)
		 SELECT $1::uuid, user_id, true, now() FROM rankings.players WHERE hashint4(hashtext(username)) % 10 = 0`,
		{ bind: [groupId] }
	);
	await sequelize.query("ANALYZE rankings.players, rankings.group_members");
}

async function measureRankings(serverUrl: string, redisUrl: string, players: number, reads: number): Promise<string[]> {
	const db = scratch(serverUrl, "rankings");
	const database = await openDatabase({ kind: "postgres", url: db.url }, { poolMax: 2, queryTimeoutMs: 120_000, log: () => {} });
	const prefix = `measure-boards-${process.pid}:rankings:`;
	const store = new RedisBoardStore(redisUrl, prefix);
	try {
		const groupId = "00000000-0000-4000-8000-000000000001";
		await seedRankings(database.sequelize, players, groupId);
		const sql = new Sql(() => database.sequelize, "rankings");
		const pages = new BoardPages(sql);
		const ids = (await sql.select<{ user_id: string }>("SELECT user_id FROM rankings.players", [])).map(r => r.user_id);
		const page = (board: BoardRef, total: number) => (i: number) =>
			pages.read(board, ((i * 7919) % Math.ceil(total / PAGE_SIZE)) * PAGE_SIZE, PAGE_SIZE, ids[(i * 104_729) % ids.length]);
		const members = Math.round(players / 10);
		const lines = [
			`Rankings, ${players} players (a group of ~${members}), pages of ${PAGE_SIZE} with the caller's line, from PostgreSQL:`,
			await timeReads("  global board by rating", reads, page({ kind: "rating", groupId: null }, players)),
			await timeReads("  global board by solved", reads, page({ kind: "solved", groupId: null }, players)),
			await timeReads("  group board by rating", reads, page({ kind: "rating", groupId }, members)),
			await timeTogether("  20 anonymous readers of its first page at once", 20, () =>
				pages.read({ kind: "rating", groupId: null }, 0, PAGE_SIZE)
			)
		];
		// After Redis is back: the first read of a board waits for its rebuild (PostgreSQL read, Redis write).
		const boards = new Leaderboards(sql, store, new Players(sql), new Memberships(sql));
		const started = performance.now();
		await boards.read({ kind: "rating", groupId: null }, 0, PAGE_SIZE, ids[0]);
		lines.push(`  first read of the global board after Redis is back (its rebuild): ${(performance.now() - started).toFixed(0)} ms`);
		return lines;
	} finally {
		await store.close();
		const redis = new Redis(redisUrl);
		await deleteMatching(redis, `${prefix}*`).finally(() => redis.disconnect());
		await database.close();
		await db.drop();
	}
}

async function measureContests(serverUrl: string, participants: number, reads: number): Promise<string[]> {
	const db = scratch(serverUrl, "contests");
	try {
		const seeded = await seedContestDatabase(
			{ kind: "postgres", url: db.url },
			{ participants, jwtSecret: randomBytes(32).toString("hex") }
		);
		const database = await openDatabase({ kind: "postgres", url: db.url }, { poolMax: 2, queryTimeoutMs: 120_000, log: () => {} });
		try {
			const contest = (await defineContestModel(database.sequelize, "contests").findByPk(seeded.contestId))!;
			const standings = new DatabaseStandings(
				new ContestPlacements(new ContestStore(database.sequelize, "contests")),
				new TeamStore(database.sequelize, "contests")
			);
			const pages = Math.ceil(participants / PAGE_SIZE);
			return [
				`Contests, ${participants} participants, ${seeded.submissions} submissions, pages of ${PAGE_SIZE}, from PostgreSQL:`,
				await timeReads("  live board, anonymous", reads, i =>
					standings.page(contest, 1 + ((i * 7919) % pages), PAGE_SIZE, undefined, false)
				),
				await timeTogether("  20 readers of pages at once (one shared board)", 20, i =>
					standings.page(contest, 1 + i, PAGE_SIZE, undefined, false)
				)
			];
		} finally {
			await database.close();
		}
	} finally {
		await db.drop();
	}
}

async function main() {
	const { values } = parseArgs({
		options: {
			players: { type: "string", default: "100000" },
			participants: { type: "string", default: "10000" },
			reads: { type: "string", default: "200" },
			"database-url": { type: "string", default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
			"redis-url": {
				type: "string",
				default: process.env.CACHER?.startsWith("redis") ? process.env.CACHER : "redis://127.0.0.1:6379"
			}
		}
	});
	const integer = (name: "players" | "participants" | "reads") => {
		const n = Number(values[name]);
		if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${values[name]}"`);
		return n;
	};
	const lines = [
		...(await measureRankings(values["database-url"], values["redis-url"], integer("players"), integer("reads"))),
		...(await measureContests(values["database-url"], integer("participants"), Math.min(integer("reads"), 50)))
	];
	process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch(err => {
	process.stderr.write(`${(err as Error).stack ?? err}\n`);
	process.exit(1);
});
