/**
 * The ranking boards read straight from PostgreSQL (services/rankings/store/board-pages.ts) give
 * the pages the board stores give, and `Leaderboards` turns to them while Redis is away, then
 * serves rebuilt boards once it is back. On the real PostgreSQL and Redis, Redis behind the fault proxy.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { Redis } from "ioredis";
import type { Sequelize } from "sequelize";
import { prng } from "../../lib/prng";
import { deleteMatching } from "../../lib/redis-link";
import { migrate } from "../../mixins/db/migrate";
import { openDatabase, type OpenDatabase } from "../../mixins/db/open-database";
import { MemoryBoardStore } from "../../services/rankings/boards/memory";
import { RedisBoardStore } from "../../services/rankings/boards/redis";
import { Leaderboards } from "../../services/rankings/leaderboards";
import { migrations } from "../../services/rankings/migrations";
import type { BoardRef } from "../../services/rankings/placements";
import { BoardPages } from "../../services/rankings/store/board-pages";
import { Memberships } from "../../services/rankings/store/memberships";
import { Players } from "../../services/rankings/store/players";
import { Sql } from "../../services/rankings/store/sql";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { FaultProxy } from "../helpers/fault-proxy";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const PLAYERS = 300;

describe("ranking boards read from PostgreSQL", { skip: unavailable("postgres", "redis") }, () => {
	const db = scratchDatabase("codelearn_test_board_pages");
	const prefix = `board-pages-test-${randomBytes(4).toString("hex")}:rankings:`;
	const groups = [randomUUID(), randomUUID()];
	let database: OpenDatabase;
	let sql: Sql;
	let proxy: FaultProxy;
	let direct: Redis;
	const stores: { close(): Promise<void> }[] = [];
	const ids: string[] = [];

	/** Leaderboards over this store and the test's database. */
	function leaderboards(store: MemoryBoardStore | RedisBoardStore): Leaderboards {
		stores.push(store);
		return new Leaderboards(sql, store, new Players(sql), new Memberships(sql));
	}

	/** Players with few distinct ratings and solved counts (many ties), some unrated; each group has some of them, some who left. */
	async function seed(sequelize: Sequelize) {
		const random = prng(17);
		for (let i = 0; i < PLAYERS; i++) ids.push(randomUUID());
		const rating = () => (random() < 0.2 ? null : 1400 + Math.floor(random() * 8) * 25);
		await sequelize.query(
			`INSERT INTO rankings.players (user_id, username, rating, solved)
			 SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[])`,
			{ bind: [ids, ids.map((_, i) => `p${i}`), ids.map(rating), ids.map(() => Math.floor(random() * 4))] }
		);
		const members = groups.flatMap(groupId =>
			ids.filter(() => random() < 0.3).map(userId => ({ groupId, userId, member: random() < 0.85 }))
		);
		await sequelize.query(
			`INSERT INTO rankings.group_members (group_id, user_id, member, changed_at)
			 SELECT g, u, m, now() FROM unnest($1::uuid[], $2::uuid[], $3::boolean[]) AS v(g, u, m)`,
			{ bind: [members.map(m => m.groupId), members.map(m => m.userId), members.map(m => m.member)] }
		);
	}

	const boards: BoardRef[] = [
		{ kind: "rating", groupId: null },
		{ kind: "solved", groupId: null },
		...groups.flatMap(groupId => (["rating", "solved"] as const).map(kind => ({ kind, groupId }))),
		{ kind: "rating", groupId: randomUUID() }
	];

	/** Every board's pages at offsets inside, across and past the end, with and without a caller. */
	async function pagesOf(read: Leaderboards["read"]) {
		const pages = [];
		for (const board of boards) {
			for (const [offset, limit] of [
				[0, 20],
				[7, 13],
				[0, 0],
				[40, 100],
				[250, 100],
				[PLAYERS, 5]
			]) {
				for (const callerId of [undefined, ids[3], ids[150], randomUUID()]) pages.push(await read(board, offset, limit, callerId));
			}
		}
		return pages;
	}

	before(async () => {
		database = await openDatabase({ kind: "postgres", url: db.url }, { poolMax: 4, queryTimeoutMs: 20_000, log: () => {} });
		await migrate(database.sequelize, "rankings", migrations);
		sql = new Sql(() => database.sequelize, "rankings");
		await seed(database.sequelize);
		const redis = new URL(TEST_SERVICES.redis);
		proxy = await FaultProxy.start(Number(redis.port || 6379), redis.hostname);
		direct = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
	});

	after(async () => {
		proxy?.restore();
		await Promise.all(stores.map(s => s.close()));
		await proxy?.close();
		if (direct) {
			await deleteMatching(direct, `${prefix}*`);
			direct.disconnect();
		}
		await database?.close();
		await db.drop();
	});

	it("when a page is read from PostgreSQL then it is the page the memory and Redis stores give: entries, ranks with ties, total, the caller's line", async () => {
		const pages = new BoardPages(sql);
		const fromSql = await pagesOf((board, offset, limit, callerId) => pages.read(board, offset, limit, callerId));
		const memory = leaderboards(new MemoryBoardStore());
		assert.deepEqual(await pagesOf(memory.read.bind(memory)), fromSql, "memory store");
		const redis = leaderboards(new RedisBoardStore(TEST_SERVICES.redis, prefix));
		assert.deepEqual(await pagesOf(redis.read.bind(redis)), fromSql, "Redis store");
		assert.ok(
			fromSql.some(p => p.rows.some((r, i, rows) => i > 0 && r.rank === rows[i - 1].rank)),
			"the pages hold ties"
		);
	});

	it("when a rebuild is slow then its reader answers from PostgreSQL within half a second, and the rebuild completes the board", async () => {
		const slow = new MemoryBoardStore();
		const replace = slow.replace.bind(slow);
		slow.replace = async (...args) => {
			await delay(1500);
			return replace(...args);
		};
		const startedAt = performance.now();
		const read = await leaderboards(slow).read(boards[0], 0, 10, ids[3]);
		const ms = performance.now() - startedAt;
		assert.deepEqual(read, await new BoardPages(sql).read(boards[0], 0, 10, ids[3]));
		assert.ok(ms < 1000, `the reader waited ${Math.round(ms)} ms`);
		await eventually(
			"the rebuild completes the board",
			() => slow.complete("rating"),
			complete => complete,
			5000
		);
	});

	it("when Redis is cut then reads answer from PostgreSQL and writes are skipped; once it is back the boards are rebuilt before they are served", async () => {
		const boardsOverProxy = leaderboards(new RedisBoardStore(proxy.urlFor(TEST_SERVICES.redis), `${prefix}proxied:`));
		const global = boards[0];
		const before = await boardsOverProxy.read(global, 0, 10);
		assert.equal(await direct.exists(`${prefix}proxied:board:rating:complete`), 1, "the board is complete in Redis");

		proxy.cut();
		const top = ids[5];
		// A writer's SQL commits; its board write cannot reach Redis.
		await database.sequelize.query("UPDATE rankings.players SET rating = 9999 WHERE user_id = $1", { bind: [top] });
		await boardsOverProxy.apply(new Map([[top, { userId: top, username: "p5", rating: 9999, solved: 0 }]]), [
			{ board: "rating", userId: top, score: 9999 }
		]);
		const during = await boardsOverProxy.read(global, 0, 10);
		assert.deepEqual(
			during.rows[0],
			{ userId: top, rank: 1, row: { username: "p5", rating: 9999, solved: 0 } },
			"read from PostgreSQL"
		);
		assert.deepEqual(
			during.rows.slice(1),
			before.rows
				.filter(r => r.userId !== top)
				.slice(0, 9)
				.map(r => ({ ...r, rank: r.rank + 1 }))
		);
		assert.ok((await direct.zscore(`${prefix}proxied:board:rating`, top)) !== "9999", "Redis missed the write");

		proxy.restore();
		await eventually(
			"the board is rebuilt in Redis with the write it missed",
			async () => {
				assert.deepEqual((await boardsOverProxy.read(global, 0, 10)).rows[0].userId, top, "every read is right");
				return direct.zscore(`${prefix}proxied:board:rating`, top);
			},
			score => score === "9999",
			10_000,
			100
		);
	});
});
