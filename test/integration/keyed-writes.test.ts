/**
 * Keyed writes recorded by the service that owns the effect (mixins/db/keyed-writes.ts): two
 * gateways with memory caches of their own over the same databases, so that neither knows what
 * the other answered, as after a gateway's or a cache's loss. Only the services' own records
 * stand between a repeat and a second effect.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Client } from "pg";
import { register, type TestUser } from "../helpers/accounts";
import { scratchDatabase } from "../helpers/database";
import type { Api, ApiResponse } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { assertError } from "../helpers/posts";
import { unavailable } from "../helpers/services";

describe("keyed writes, recorded with their effect in the owning service's database", { skip: unavailable("postgres") }, () => {
	const dbs = {
		users: scratchDatabase("codelearn_test_keyed_users"),
		groups: scratchDatabase("codelearn_test_keyed_groups"),
		posts: scratchDatabase("codelearn_test_keyed_posts")
	};
	let one: Platform;
	let other: Platform;
	let alice: TestUser;

	const start = () =>
		startPlatform({
			SERVICES: "gateway,users,groups,posts",
			CACHER: "memory",
			NAMESPACE: `keyed-${randomBytes(4).toString("hex")}`,
			USERS_DATABASE_URL: dbs.users.url,
			GROUPS_DATABASE_URL: dbs.groups.url,
			POSTS_DATABASE_URL: dbs.posts.url,
			RATE_LIMIT_MAX: "1000000"
		});

	const keyed = (api: Api, method: string, path: string, key: string, body?: unknown) =>
		api(method, path, { token: alice.token, body, headers: { "idempotency-key": key } });
	const createGroup = (api: Api, key: string, name: string) => keyed(api, "POST", "/api/groups", key, { name });
	const groupName = () => `keyed ${randomBytes(4).toString("hex")}`;
	const replayed = (res: ApiResponse) => res.headers.get("idempotent-replayed") === "true";

	async function count(db: keyof typeof dbs, sql: string, bind: unknown[]): Promise<number> {
		const client = new Client({ connectionString: dbs[db].url });
		await client.connect();
		try {
			return (await client.query(sql, bind)).rows[0].n as number;
		} finally {
			await client.end();
		}
	}
	const groupsNamed = (name: string) => count("groups", "SELECT count(*)::int AS n FROM groups.groups WHERE name = $1", [name]);
	const postEvents = (type: string, title: string) =>
		count("posts", "SELECT count(*)::int AS n FROM posts.outbox WHERE type = $1 AND envelope->'payload'->>'title' = $2", [type, title]);

	before(async () => {
		// One after the other: the first migrates the databases.
		one = await start();
		other = await start();
		alice = await register(one.api, "keyed");
	});

	after(async () => {
		await Promise.all([one?.stop(), other?.stop()]);
		await Promise.all(Object.values(dbs).map(db => db.drop()));
	});

	it("when a keyed write is repeated through a gateway that never saw it then the service answers the first result, replayed, and wrote once", async () => {
		const key = randomUUID();
		const name = groupName();
		const first = await createGroup(one.api, key, name);
		assert.equal(first.status, 201, JSON.stringify(first.body));
		assert.ok(!replayed(first));

		const again = await createGroup(other.api, key, name);
		assert.equal(again.status, 201, JSON.stringify(again.body));
		assert.ok(replayed(again), "the service replayed its record");
		assert.deepEqual(again.body, first.body);
		assert.equal(again.headers.get("location"), first.headers.get("location"));
		assert.equal(await groupsNamed(name), 1);
	});

	it("when the same keyed request reaches both gateways at once then one effect stands, and both answer it", async () => {
		for (let round = 0; round < 5; round++) {
			const key = randomUUID();
			const name = groupName();
			const answers = await Promise.all([createGroup(one.api, key, name), createGroup(other.api, key, name)]);
			for (const a of answers) assert.equal(a.status, 201, JSON.stringify(a.body));
			assert.equal(answers[0].body.id, answers[1].body.id);
			assert.equal(await groupsNamed(name), 1);
		}
	});

	it("when the key comes again through the other gateway with another body then 422 and nothing is written", async () => {
		const key = randomUUID();
		assert.equal((await createGroup(one.api, key, groupName())).status, 201);
		const name = groupName();
		assertError(await createGroup(other.api, key, name), 422, "IDEMPOTENCY_KEY_REUSED");
		assert.equal(await groupsNamed(name), 0);
	});

	it("when a keyed post's slug is taken then the handler's own retry still creates it, and its events are recorded once", async () => {
		const title = `Keyed ${randomBytes(4).toString("hex")}`;
		const body = { title, content: "A post whose title another post has.", category: "algorithms", status: "published" };
		const taken = await one.api("POST", "/api/posts", { token: alice.token, body });
		assert.equal(taken.status, 201, JSON.stringify(taken.body));

		const key = randomUUID();
		const created = await keyed(one.api, "POST", "/api/posts", key, body);
		assert.equal(created.status, 201, JSON.stringify(created.body));
		assert.notEqual(created.body.slug, taken.body.slug);
		const again = await keyed(other.api, "POST", "/api/posts", key, body);
		assert.ok(replayed(again));
		assert.equal(again.body.slug, created.body.slug);
		assert.equal(await postEvents("post.created", title), 2, "one event per post: the unkeyed one and the keyed one");
		assert.equal(await postEvents("post.published", title), 2);
	});

	it("when a keyed write took effect then its record is in the owning service's database, keyed by the caller and their key", async () => {
		const key = randomUUID();
		assert.equal((await createGroup(one.api, key, groupName())).status, 201);
		const recordKey = createHash("sha256").update(`user:${alice.id}\n${key}`).digest("hex");
		assert.equal(await count("groups", "SELECT count(*)::int AS n FROM groups.idempotency_keys WHERE key = $1", [recordKey]), 1);
	});

	it("when a keyed delete is repeated after it took effect then the repeat answers its 204, not a 404", async () => {
		const body = { title: `Keyed ${randomBytes(4).toString("hex")}`, content: "Soon gone.", category: "web", status: "published" };
		const post = await one.api("POST", "/api/posts", { token: alice.token, body });
		assert.equal(post.status, 201);
		const key = randomUUID();
		const deleted = await keyed(one.api, "DELETE", `/api/posts/${post.body.id}`, key);
		assert.equal(deleted.status, 204);
		const again = await keyed(other.api, "DELETE", `/api/posts/${post.body.id}`, key);
		assert.equal(again.status, 204);
		assert.ok(replayed(again));
		assertError(await other.api("DELETE", `/api/posts/${post.body.id}`, { token: alice.token }), 404);
	});

	it("when a keyed write fails then nothing of it stays, and the same key runs again", async () => {
		const key = randomUUID();
		const missing = randomUUID();
		const first = await keyed(one.api, "POST", `/api/posts/${missing}/comments`, key, { content: "Hello?" });
		assertError(first, 404);
		const again = await keyed(other.api, "POST", `/api/posts/${missing}/comments`, key, { content: "Hello?" });
		assertError(again, 404);
		assert.ok(!replayed(again));
		// The gateway keys a record by the caller and their key (services/gateway/idempotency.ts).
		const recordKey = createHash("sha256").update(`user:${alice.id}\n${key}`).digest("hex");
		assert.equal(await count("posts", "SELECT count(*)::int AS n FROM posts.idempotency_keys WHERE key = $1", [recordKey]), 0);
	});

	it("when a keyed write takes effect then the writer's next read through its own gateway sees it: the cache is cleaned after the commit", async () => {
		const name = groupName();
		const mine = async () =>
			(await one.api("GET", "/api/groups?mine=true&pageSize=100", { token: alice.token })).body.rows as { name: string }[];
		await mine();
		assert.equal((await createGroup(one.api, randomUUID(), name)).status, 201);
		assert.ok((await mine()).some(g => g.name === name));
	});
});
