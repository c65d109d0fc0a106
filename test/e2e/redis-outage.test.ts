/**
 * Redis away, with real processes over RabbitMQ: a front node (gateway + users) and two posts nodes
 * whose Redis (cacher, rate limits, login throttling) is behind a fault proxy. Cut, every request
 * still answers from the databases within a bounded time and every node stays ready; back, the
 * cache is used again and nothing written during the outage is read stale.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { FaultProxy } from "../helpers/fault-proxy";
import { type ApiResponse, newUser } from "../helpers/http";
import { metricSum, type NodeProcess } from "../helpers/processes";
import { pollUntil, postBody, postsCluster, START_DEADLINE_MS } from "../helpers/load";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** A Redis command waits 0.5 s at most (lib/redis-options.ts): a request never waits on Redis for long. */
const ANSWER_WITHIN_MS = 1500;
/**
 * On a silent network each Redis client a request crosses waits its 0.5 s once before leaving Redis
 * alone for a second: the gateway's counters and cacher, then the posts node's cacher.
 */
const SILENT_ANSWER_WITHIN_MS = 3 * 500 + 1000;
/** ioredis reconnects with a backoff of up to 2 s; then the cache is cleaned and used. */
const BACK_WITHIN_MS = 15_000;

describe("Redis away and back", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = postsCluster("redis-outage");
	let proxy: FaultProxy;
	let posts: NodeProcess[] = [];
	let slugs: string[] = [];
	const person = newUser("redis");
	let token: string;
	let postId: string;
	const renamed = `Renamed while Redis was away ${randomUUID().slice(0, 8)}`;

	/** A request, timed: it must answer within the bound. */
	async function timed(
		what: string,
		request: () => Promise<ApiResponse>,
		status: number,
		withinMs = ANSWER_WITHIN_MS
	): Promise<ApiResponse> {
		const startedAt = performance.now();
		const res = await request();
		const tookMs = performance.now() - startedAt;
		assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
		assert.ok(tookMs <= withinMs, `${what} took ${Math.round(tookMs)} ms`);
		return res;
	}
	const readPost = () => cluster.api("GET", `/api/posts/${slugs[0]}`, { token });
	const cacheHits = async () =>
		(
			await Promise.all(
				[cluster.front, ...posts].map(async node => metricSum(await node.metrics(), "moleculer_cacher_found_total", {}))
			)
		).reduce((a, b) => a + b, 0);

	before(
		async () => {
			const redis = new URL(TEST_SERVICES.redis);
			proxy = await FaultProxy.start(Number(redis.port || 6379), redis.hostname);
			cluster.env.CACHER = proxy.urlFor(TEST_SERVICES.redis);
			({ posts, slugs } = await cluster.startWithTwoPostsNodes(2));
			const registered = await cluster.api("POST", "/api/auth/register", { body: person });
			assert.equal(registered.status, 201);
			token = registered.body.accessToken;
			const created = await cluster.api("POST", "/api/posts", { token, body: postBody() });
			assert.equal(created.status, 201);
			postId = created.body.id;
			slugs = [created.body.slug];
			// Read twice: the post is now in Redis.
			for (let i = 0; i < 2; i++) assert.equal((await readPost()).status, 200);
		},
		{ timeout: 3 * START_DEADLINE_MS }
	);

	after(async () => {
		proxy?.restore();
		await cluster.stop();
		await proxy?.close();
	});

	test("when Redis is cut then reads, writes, logins and keyed repeats answer from the databases, and every node stays ready", async () => {
		proxy.cut();
		const post = await timed("a cached post", readPost, 200);
		assert.equal(post.body.id, postId);
		await timed("a list", () => cluster.api("GET", "/api/posts?pageSize=5", { token }), 200);
		await timed("a new post", () => cluster.api("POST", "/api/posts", { token, body: postBody() }), 201);
		await timed("an edit", () => cluster.api("PATCH", `/api/posts/${postId}`, { token, body: { title: renamed } }), 200);
		assert.equal((await timed("the edited post", readPost, 200)).body.title, renamed);
		await timed(
			"a login",
			() => cluster.api("POST", "/api/auth/login", { body: { login: person.username, password: person.password } }),
			200
		);

		const headers = { "idempotency-key": randomUUID() };
		const body = postBody();
		const first = await timed("a keyed write", () => cluster.api("POST", "/api/posts", { token, body, headers }), 201);
		const again = await timed("its repeat", () => cluster.api("POST", "/api/posts", { token, body, headers }), 201);
		assert.equal(again.headers.get("idempotent-replayed"), "true", "the service's record answered the repeat");
		assert.equal(again.body.id, first.body.id);

		for (const node of [cluster.front, ...posts]) {
			const ready = await fetch(node.healthUrl);
			assert.equal(ready.status, 200, `${node.name} is ready without Redis`);
			assert.equal(((await ready.json()) as { checks: { cacher: string } }).checks.cacher, "down");
		}
	});

	test("when Redis is back then the cache is used again, and what changed meanwhile is never read stale", async () => {
		proxy.restore();
		const hitsBefore = await cacheHits();
		const titles: string[] = [];
		await pollUntil(
			"the nodes answer from the cache again",
			async () => {
				titles.push((await readPost()).body.title as string);
				return cacheHits();
			},
			hits => hits > hitsBefore,
			BACK_WITHIN_MS,
			100
		);
		assert.deepEqual(
			titles.filter(t => t !== renamed),
			[],
			"every read after Redis came back has the title written while it was away"
		);
	});

	test("when the network to Redis goes silent then requests still answer within the bound; when the link is reset and back, so is the cache", async () => {
		proxy.blackhole();
		try {
			for (let i = 0; i < 3; i++) {
				const read = await timed("a cached post", readPost, 200, SILENT_ANSWER_WITHIN_MS);
				assert.equal(read.body.title, renamed);
				await timed(
					"a new post",
					() => cluster.api("POST", "/api/posts", { token, body: postBody() }),
					201,
					SILENT_ANSWER_WITHIN_MS
				);
			}
		} finally {
			proxy.cut();
			proxy.restore();
		}
		const hitsBefore = await cacheHits();
		await pollUntil(
			"the nodes answer from the cache again",
			() => readPost().then(cacheHits),
			hits => hits > hitsBefore,
			BACK_WITHIN_MS,
			100
		);
	});
});
