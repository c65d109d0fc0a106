import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createCounterStore } from "../../lib/counter-store";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { newUser } from "../helpers/http";
import { metric } from "../helpers/posts";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** Nodes of one test cluster: NATS between them, events on RabbitMQ, a shared Redis. */
function clusterEnv(namespace: string, rateLimitMax: number) {
	return {
		NAMESPACE: namespace,
		TRANSPORTER: TEST_SERVICES.nats,
		EVENTS_AMQP_URL: TEST_SERVICES.amqp,
		CACHER: TEST_SERVICES.redis,
		RATE_LIMIT_MAX: String(rateLimitMax)
	};
}

describe(
	"Redis counters, shared cache and rate limits across gateway replicas",
	{ skip: unavailable("postgres", "redis", "nats", "amqp") },
	() => {
		const db = scratchDatabase("codelearn_test_cluster_cache");
		const postsDb = scratchDatabase("codelearn_test_cluster_cache_posts");
		const namespace = `t${randomBytes(4).toString("hex")}`;
		const cluster = clusterEnv(namespace, 1000);
		let users: Platform;
		let posts: Platform;
		let gatewayA: Platform;
		let gatewayB: Platform;

		before(async () => {
			// Metrics on: the test counts the requests the users node actually served.
			users = await startPlatform({
				...cluster,
				SERVICES: "users",
				USERS_DATABASE_URL: db.url,
				NODE_ID: `${namespace}-users`,
				METRICS_ENABLED: "true",
				METRICS_PORT: "0"
			});
			posts = await startPlatform({ ...cluster, SERVICES: "posts", POSTS_DATABASE_URL: postsDb.url, NODE_ID: `${namespace}-posts` });
			gatewayA = await startPlatform({
				...cluster,
				SERVICES: "gateway",
				NODE_ID: `${namespace}-gw-a`,
				METRICS_ENABLED: "true",
				METRICS_PORT: "0"
			});
			gatewayB = await startPlatform({ ...cluster, SERVICES: "gateway", NODE_ID: `${namespace}-gw-b` });
			// Both ways: a node learns of one started after it at that node's next heartbeat (up to a second),
			// and until then its broadcasts (the gateways' copies purged) miss it.
			await Promise.all([
				gatewayA.broker.waitForServices(["users", "posts"], 10_000),
				gatewayB.broker.waitForServices(["users", "posts"], 10_000)
			]);
			await eventually(
				"the users and posts nodes know both gateways",
				async () =>
					[users, posts].flatMap(p => [gatewayA, gatewayB].map(g => p.broker.registry.nodes.get(g.broker.nodeID)?.available)),
				known => known.every(Boolean),
				10_000
			);
		});

		after(async () => {
			await Promise.all([gatewayA, gatewayB].map(p => p?.stop()));
			await Promise.all([users?.stop(), posts?.stop()]);
			await Promise.all([db.drop(), postsDb.drop(), deleteEventTopology(namespace)]);
		});

		it("when two stores count one key then they see one count with one expiry", async () => {
			const [a, b] = [
				createCounterStore(TEST_SERVICES.redis, `${namespace}:`),
				createCounterStore(TEST_SERVICES.redis, `${namespace}:`)
			];
			try {
				await a.increment("k", 10_000);
				await b.increment("k", 10_000);
				const third = await a.increment("k", 10_000);
				assert.equal(third.count, 3);
				assert.ok(third.resetInMs > 0 && third.resetInMs <= 10_000);
				await b.reset("k");
				assert.equal((await a.peek("k")).count, 0);
			} finally {
				await Promise.all([a.close(), b.close()]);
			}
		});

		it("when a profile is read through a gateway then hits are served from the shared cache, not the users node", async () => {
			const body = newUser("cached");
			assert.equal((await gatewayA.api("POST", "/api/auth/register", { body })).status, 201);
			const served = () => users.broker.metrics.getMetric("moleculer.request.total")?.values;
			const countProfileCalls = () =>
				[...(served()?.values() ?? [])]
					.filter((v: any) => v.labels.action === "users.profile")
					.reduce((n: number, v: any) => n + v.value, 0);
			const before = countProfileCalls();
			for (let i = 0; i < 5; i++) assert.equal((await gatewayA.api("GET", `/api/users/${body.username}`)).status, 200);
			assert.equal(countProfileCalls() - before, 1, "one miss reached the users node; the other reads were cache hits");
		});

		it("when a profile changes through one gateway then it reads fresh there at once, and at the other once its copy is purged", async () => {
			const body = newUser("fresh");
			const registered = await gatewayA.api("POST", "/api/auth/register", { body });
			for (const gateway of [gatewayA, gatewayA, gatewayB, gatewayB])
				assert.equal((await gateway.api("GET", `/api/users/${body.username}`)).body.displayName, body.username);
			const patch = await gatewayB.api("PATCH", "/api/users/me", {
				token: registered.body.accessToken,
				body: { displayName: "Renamed" }
			});
			assert.equal(patch.status, 200);
			assert.equal((await gatewayB.api("GET", `/api/users/${body.username}`)).body.displayName, "Renamed");
			// The purge reaches the other gateway as a broadcast, right after the answer.
			await eventually(
				"gateway A's copy purged",
				async () => (await gatewayA.api("GET", `/api/users/${body.username}`)).body.displayName,
				name => name === "Renamed",
				2000,
				20
			);
		});

		it("when a post changes through one gateway then its writer reads it at once there, and the other gateway drops its copy", async () => {
			const registered = await gatewayA.api("POST", "/api/auth/register", { body: newUser("writer") });
			const token = registered.body.accessToken;
			const post = {
				title: "Shared answers across gateways",
				content: "Some *markdown*.",
				category: "web",
				tags: [],
				status: "published"
			};
			const created = await gatewayA.api("POST", "/api/posts", { token, body: post });
			assert.equal(created.status, 201);
			const path = `/api/posts/${created.body.slug}`;
			const hits = () => metric(gatewayA.broker, "codelearn.http.cache.hits.total");
			const hitsBefore = hits();
			// A gateway keeps no copy until the other nodes know it (its first heartbeat timeout).
			await eventually(
				"gateway A answering from its copy",
				async () => {
					for (const gateway of [gatewayA, gatewayA, gatewayB, gatewayB])
						assert.equal((await gateway.api("GET", path)).body.title, post.title);
					return hits();
				},
				count => count > hitsBefore,
				10_000,
				200
			);

			assert.equal(
				(await gatewayB.api("PATCH", `/api/posts/${created.body.id}`, { token, body: { title: "Renamed across gateways" } }))
					.status,
				200
			);
			assert.equal((await gatewayB.api("GET", path)).body.title, "Renamed across gateways");
			await eventually(
				"gateway A drops its copy",
				async () => (await gatewayA.api("GET", path)).body.title,
				title => title === "Renamed across gateways",
				2000,
				20
			);
		});

		it("when a session is revoked through one gateway then the other refuses its token at once", async () => {
			const body = newUser("revoke");
			const registered = await gatewayA.api("POST", "/api/auth/register", { body });
			const token = registered.body.accessToken;
			assert.equal((await gatewayA.api("GET", "/api/users/me", { token })).status, 200);
			assert.equal((await gatewayB.api("POST", "/api/auth/logout", { token })).status, 204);
			assert.equal((await gatewayA.api("GET", "/api/users/me", { token })).status, 401);
		});
	}
);

describe("the rate limit holds across gateway replicas", { skip: unavailable("redis", "nats", "amqp") }, () => {
	const namespace = `t${randomBytes(4).toString("hex")}`;
	const cluster = clusterEnv(namespace, 6);
	let gateways: Platform[] = [];

	before(async () => {
		gateways = [
			await startPlatform({ ...cluster, SERVICES: "gateway", NODE_ID: `${namespace}-a` }),
			await startPlatform({ ...cluster, SERVICES: "gateway", NODE_ID: `${namespace}-b` })
		];
	});

	after(async () => {
		await Promise.all(gateways.map(g => g.stop()));
	});

	it("when a client spreads requests over two gateways then its 7th request is 429", async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 7; i++) {
			const gateway = gateways[i % 2];
			statuses.push((await gateway.api("GET", "/api/users/someone", { headers: { "x-forwarded-for": `203.0.113.${i}` } })).status);
		}
		// No users node in this cluster: the first six reach the router (503), the seventh is limited.
		assert.deepEqual(statuses, [503, 503, 503, 503, 503, 503, 429]);
	});
});
