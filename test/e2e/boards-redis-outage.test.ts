/**
 * The contest and ranking boards while Redis is away, with real processes over RabbitMQ: a front
 * node (gateway, users, groups), a contests node and a rankings node, all reaching Redis through a
 * fault proxy. Cut, the boards answer from PostgreSQL, correctly and within a bounded time, and
 * what changes them meanwhile (a solve, members leaving and joining, a rated contest ending) is
 * applied, none of it retried; back, the boards are served from Redis again, rebuilt with it.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { deleteMatching } from "../../lib/redis-link";
import { REDIS_COMMAND_TIMEOUT_MS } from "../../lib/redis-options";
import { rateContest } from "../../services/rankings/rating/codeforces";
import { register, type TestUser } from "../helpers/accounts";
import { deleteEventTopology } from "../helpers/amqp";
import { contestsClient, query } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { FaultProxy } from "../helpers/fault-proxy";
import { type Api, type ApiResponse, apiClient } from "../helpers/http";
import { clusterEnv, pollUntil, START_DEADLINE_MS } from "../helpers/load";
import { freePorts, metricSum, NodeGroup, type NodeProcess } from "../helpers/processes";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** As the rest of the platform: a Redis command waits 0.5 s at most, then the database answers. */
const ANSWER_WITHIN_MS = 1500;
/**
 * On a silent network each Redis client a request crosses waits its 0.5 s once: the gateway's
 * counters and cacher, the groups node's cacher (the group board asks groups.membership), the board store.
 */
const SILENT_ANSWER_WITHIN_MS = 4 * REDIS_COMMAND_TIMEOUT_MS + 1000;
/** Events from a producer's commit to the rankings node, on a busy machine. */
const DELIVERY_MS = 20_000;
/** ioredis reconnects with a backoff of up to 2 s; then each node forgets its boards and rebuilds them on the next read. */
const BACK_WITHIN_MS = 15_000;

/** Board lines (`name:rank…`) by rank, equal ranks by name: their order on a board is by id. */
const byRank = (lines: string[]) => [...lines].sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1]) || a.localeCompare(b));

/** A ranking board's rows as `username:rank`. */
const ranked = (res: ApiResponse) =>
	byRank((res.body.rows as { rank: number; user: { username: string } }[]).map(r => `${r.user.username}:${r.rank}`));

describe("the contest and ranking boards while Redis is away", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const namespace = `e2e-boards-${process.pid}-${randomBytes(3).toString("hex")}`;
	const dbs = {
		users: scratchDatabase("e2e_boards_users"),
		groups: scratchDatabase("e2e_boards_groups"),
		contests: scratchDatabase("e2e_boards_contests"),
		rankings: scratchDatabase("e2e_boards_rankings")
	};
	const nodes = new NodeGroup();
	const redis = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
	let proxy: FaultProxy;
	let api: Api;
	let organiser: TestUser, ann: TestUser, ben: TestUser, cat: TestUser, dan: TestUser, eve: TestUser;
	let groupId: string;
	let contestId: string;
	let problemId: string;
	/** Every answer's time, for the report. */
	const tookMs: number[] = [];

	/** A request, timed: it must answer `status` within the bound. */
	async function timed(what: string, request: () => Promise<ApiResponse>, status = 200, withinMs = ANSWER_WITHIN_MS) {
		const startedAt = performance.now();
		const res = await request();
		const ms = performance.now() - startedAt;
		tookMs.push(ms);
		assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
		assert.ok(ms <= withinMs, `${what} took ${Math.round(ms)} ms`);
		return res;
	}

	const contests = contestsClient({ api: (...args) => api(...args) });
	const contestBoard = (as?: TestUser) => contests.leaderboard(contestId, as);
	const groupBoard = () => api("GET", `/api/groups/${groupId}/leaderboard?pageSize=100`, { token: ann.token });
	const globalBoard = () => api("GET", "/api/leaderboard?pageSize=100");
	/** A contest board's rows as `username:rank:solved`. */
	const contestLines = (res: ApiResponse) =>
		byRank((res.body.rows as { rank: number; userId: string; solved: number }[]).map(r => `${nameOf(r.userId)}:${r.rank}:${r.solved}`));
	const nameOf = (id: string) => [organiser, ann, ben, cat, dan, eve].find(u => u.id === id)?.username ?? id;

	/** The contest's start and the minutes of ann's and ben's solves (ICPC: a solve's penalty is its minute). */
	let startsAt: Date;
	const solvedAtMinute: { ann?: number; ben?: number } = {};
	const minuteOf = (submittedAt: string) => Math.floor((Date.parse(submittedAt) - startsAt.getTime()) / 60_000);
	/** Ben's place: ann's, if he solved in the same minute as she did (the machine is quick), else second. */
	const benPlace = () => (solvedAtMinute.ben === solvedAtMinute.ann ? 1 : 2);

	/** Ratings after the contest: three newcomers placed 1, ben's place, 3. */
	const rated = () =>
		new Map(
			rateContest([
				{ userId: ann.id, rank: 1, ratingBefore: null },
				{ userId: ben.id, rank: benPlace(), ratingBefore: null },
				{ userId: cat.id, rank: 3, ratingBefore: null }
			]).map(c => [c.userId, c.after])
		);

	/** The group's unrated members once the outage's changes are applied (eve leaves again on the silent network). */
	let unratedMembers: () => TestUser[] = () => [organiser, eve];
	/** What the boards must show once the outage's changes are applied. */
	const expected = () => ({
		contest: byRank([`${ann.username}:1:1`, `${ben.username}:${benPlace()}:1`, `${cat.username}:3:0`]),
		global: byRank([`${ann.username}:1`, `${ben.username}:${benPlace()}`, `${cat.username}:3`]),
		// The unrated below the rated, tied (none solved an archive problem).
		group: byRank([`${ann.username}:1`, `${ben.username}:${benPlace()}`, ...unratedMembers().map(u => `${u.username}:3`)])
	});

	async function startNode(name: string, services: string, extra: Record<string, string>): Promise<NodeProcess> {
		const [port, metricsPort] = await freePorts(2);
		const front = services.includes("gateway");
		return nodes.start({
			name,
			env: {
				...clusterEnv(namespace),
				CACHER: proxy.urlFor(TEST_SERVICES.redis),
				SERVICES: services,
				NODE_ID: `${namespace}-${name}`,
				[front ? "PORT" : "HEALTH_PORT"]: String(port),
				METRICS_PORT: String(metricsPort),
				...extra
			}
		});
	}

	/** The keys of a namespace's board as the Redis store names them. */
	const keys = {
		groupBoard: () => `${namespace}:rankings:board:group:${groupId}:rating`,
		globalBoard: () => `${namespace}:rankings:board:rating`,
		contestStandings: () => `${namespace}:leaderboard:${contestId}:standings`
	};

	/** Whether Redis holds each board complete and with the outage's changes: a read served from it would be right. */
	async function redisHoldsChanges(): Promise<boolean> {
		const [group, global, benStanding, complete] = await Promise.all([
			redis.zrange(keys.groupBoard(), 0, -1),
			redis.zrange(keys.globalBoard(), 0, -1, "WITHSCORES"),
			redis.hget(keys.contestStandings(), ben.id),
			redis.exists(
				`${keys.groupBoard()}:complete`,
				`${keys.globalBoard()}:complete`,
				`${namespace}:leaderboard:${contestId}:complete`
			)
		]);
		const ratings = rated();
		return (
			complete === 3 &&
			[...group].sort().join() ===
				[ann, ben, ...unratedMembers()]
					.map(u => u.id)
					.sort()
					.join() &&
			global.length === 6 &&
			[ann, ben, cat].every(u => Number(global[global.indexOf(u.id) + 1]) === ratings.get(u.id)) &&
			/"solved":1/.test(benStanding ?? "")
		);
	}

	/** Reads every board (each answer must be right: none stale) until Redis holds them rebuilt; the time it took. */
	async function untilServedFromRedis(what: string): Promise<number> {
		const startedAt = performance.now();
		await pollUntil(
			what,
			async () => {
				assert.deepEqual(contestLines(await timed("the contest board", () => contestBoard())), expected().contest);
				assert.deepEqual(ranked(await timed("the group board", groupBoard)), expected().group);
				assert.deepEqual(ranked(await timed("the global board", globalBoard)), expected().global);
				return redisHoldsChanges();
			},
			holds => holds,
			BACK_WITHIN_MS,
			200
		);
		return performance.now() - startedAt;
	}

	before(
		async () => {
			const target = new URL(TEST_SERVICES.redis);
			proxy = await FaultProxy.start(Number(target.port || 6379), target.hostname);
			try {
				const front = await startNode("front", "gateway,users,groups", {
					USERS_DATABASE_URL: dbs.users.url,
					GROUPS_DATABASE_URL: dbs.groups.url
				});
				const others = [
					await startNode("contests", "contests", { CONTESTS_DATABASE_URL: dbs.contests.url }),
					await startNode("rankings", "rankings", { RANKINGS_DATABASE_URL: dbs.rankings.url })
				];
				await Promise.all([front, ...others].map(n => n.waitReady(START_DEADLINE_MS)));
				for (const service of ["contests", "rankings"]) {
					await pollUntil(
						`the gateway routes to ${service}`,
						async () => metricSum(await front.metrics(), "moleculer_registry_service_endpoints_total", { service }),
						n => n > 0,
						START_DEADLINE_MS
					);
				}
				api = apiClient(`http://127.0.0.1:${front.env.PORT}`);
				[organiser, ann, ben, cat, dan, eve] = await Promise.all(
					["org", "ann", "ben", "cat", "dan", "eve"].map(prefix => register(api, prefix))
				);
				await arrangeBeforeTheOutage();
			} catch (err) {
				process.stderr.write(`${nodes.outputs()}\n`);
				throw err;
			}
		},
		{ timeout: 4 * START_DEADLINE_MS }
	);

	/** A group of the organiser, ann, ben and dan; a rated contest of ann, ben and cat, running, ann's solve in; every board read (in Redis). */
	async function arrangeBeforeTheOutage() {
		// Only an admin makes a contest rated; a node of the test's own is not worth it for one row.
		await query(dbs.users.url, `UPDATE users.users SET role = 'admin' WHERE id = $1`, [organiser.id]);
		const login = await api("POST", "/api/auth/login", { body: { login: organiser.username, password: organiser.password } });
		organiser.token = login.body.accessToken as string;

		const group = await api("POST", "/api/groups", {
			token: organiser.token,
			body: { name: `Boards ${randomBytes(4).toString("hex")}` }
		});
		assert.equal(group.status, 201, JSON.stringify(group.body));
		groupId = group.body.id as string;
		for (const member of [ann, ben, dan])
			assert.equal((await api("POST", `/api/groups/${groupId}/join`, { token: member.token })).status, 200);

		// Contests start in the future and last 5 minutes at least: this one starts in 3 s, and ends when the test says.
		startsAt = new Date(Date.now() + 3000);
		const created = await contests.post(organiser, { ...contests.body(startsAt, 5), rated: true });
		assert.equal(created.status, 201, JSON.stringify(created.body));
		contestId = created.body.id as string;
		problemId = (await contests.addProblem(contestId, organiser, "42")).id as string;
		await contests.join(contestId, ann, ben, cat);
		await pollUntil(
			"the contest runs",
			() => contests.read(contestId),
			c => c.status === "running",
			10_000
		);
		const solved = await contests.submit(contestId, problemId, ann, "42");
		assert.equal(solved.status, 201);
		solvedAtMinute.ann = minuteOf(solved.body.submittedAt as string);
		assert.equal((await contests.submit(contestId, problemId, cat, "41")).status, 201);

		await pollUntil(
			"the group board holds its members",
			async () => ranked(await groupBoard()),
			lines => lines.length === 4,
			DELIVERY_MS
		);
		assert.deepEqual(contestLines(await contestBoard()), byRank([`${ann.username}:1:1`, `${ben.username}:2:0`, `${cat.username}:2:0`]));
		assert.equal((await globalBoard()).body.total, 0);
		assert.equal(
			await redis.exists(
				`${keys.groupBoard()}:complete`,
				`${keys.globalBoard()}:complete`,
				`${namespace}:leaderboard:${contestId}:complete`
			),
			3,
			"every board is complete in Redis"
		);
	}

	after(async () => {
		proxy?.restore();
		await nodes.stopAll(15_000);
		await Promise.all([...Object.values(dbs).map(db => db.drop()), deleteEventTopology(namespace)]);
		await deleteMatching(redis, `${namespace}:*`);
		redis.disconnect();
		await proxy?.close();
	});

	test("when Redis is cut then every board answers from PostgreSQL within the bound, and a solve, a leave, a join and a rated contest's end are applied, none retried", async t => {
		proxy.cut();
		try {
			const solve = await timed("a solve", () => contests.submit(contestId, problemId, ben, "42"), 201);
			assert.equal(solve.body.verdict, "accepted");
			solvedAtMinute.ben = minuteOf(solve.body.submittedAt as string);
			assert.deepEqual(contestLines(await timed("the contest board", () => contestBoard())), expected().contest);
			assert.deepEqual((await timed("the contest board as ben", () => contestBoard(ben))).body.me.rank, benPlace());
			await timed("dan leaves the group", () => api("POST", `/api/groups/${groupId}/leave`, { token: dan.token }), 204);
			await timed("eve joins it", () => api("POST", `/api/groups/${groupId}/join`, { token: eve.token }));
			await pollUntil(
				"the group board, from PostgreSQL, shows who left and who joined",
				async () => ranked(await timed("the group board", groupBoard)),
				lines => lines.some(l => l.startsWith(`${eve.username}:`)) && !lines.some(l => l.startsWith(`${dan.username}:`)),
				DELIVERY_MS
			);

			await query(dbs.contests.url, "UPDATE contests.contests SET ends_at = now() WHERE id = $1", [contestId]);
			await pollUntil(
				"the rated contest's end reaches the global board",
				async () => ranked(await timed("the global board", globalBoard)),
				lines => lines.length === 3,
				DELIVERY_MS
			);
			assert.deepEqual(ranked(await timed("the global board", globalBoard)), expected().global);
			assert.deepEqual(ranked(await timed("the group board", groupBoard)), expected().group);
			const profile = await timed("ann's standing", () => api("GET", `/api/users/${ann.username}/rating`));
			assert.deepEqual([profile.body.rating, profile.body.rank], [rated().get(ann.id), 1]);

			const retries = await query(dbs.rankings.url, "SELECT event_id, type, attempts, dead FROM rankings.event_retries");
			assert.deepEqual(retries, [], "no event of the rankings service was retried, let alone dead");
			assert.equal(await redis.zcard(keys.globalBoard()), 0, "Redis missed the ratings: they came from PostgreSQL");
			t.diagnostic(`answers during the cut: ${tookMs.length}, slowest ${Math.round(Math.max(...tookMs))} ms`);
		} catch (err) {
			t.diagnostic(nodes.outputs());
			throw err;
		}
	});

	test("when Redis is back then the boards are served from it again, rebuilt with what changed meanwhile; no answer stale", async t => {
		proxy.restore();
		const backMs = await untilServedFromRedis("Redis holds every board rebuilt");
		t.diagnostic(`boards served from Redis again ${Math.round(backMs)} ms after it came back`);
	});

	test("when the network to Redis goes silent then the boards still answer within the bound, a leave is applied; when the link is reset and back, so are the boards", async t => {
		tookMs.length = 0;
		const bound = SILENT_ANSWER_WITHIN_MS;
		proxy.blackhole();
		try {
			await timed("eve leaves the group", () => api("POST", `/api/groups/${groupId}/leave`, { token: eve.token }), 204, bound);
			unratedMembers = () => [organiser];
			await pollUntil(
				"the group board, from PostgreSQL, shows eve gone",
				async () => ranked(await timed("the group board", groupBoard, 200, bound)),
				lines => lines.join() === expected().group.join(),
				DELIVERY_MS
			);
			for (let i = 0; i < 3; i++) {
				assert.deepEqual(contestLines(await timed("the contest board", () => contestBoard(), 200, bound)), expected().contest);
				assert.deepEqual(ranked(await timed("the global board", globalBoard, 200, bound)), expected().global);
			}
			assert.ok((await redis.zrange(keys.groupBoard(), 0, -1)).includes(eve.id), "Redis missed the leave");
			t.diagnostic(`answers on the silent network: ${tookMs.length}, slowest ${Math.round(Math.max(...tookMs))} ms`);
		} finally {
			proxy.cut();
			proxy.restore();
		}
		const backMs = await untilServedFromRedis("Redis holds every board again");
		t.diagnostic(`boards served from Redis again ${Math.round(backMs)} ms after the link came back`);
	});
});
