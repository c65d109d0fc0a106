import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { register, type TestUser } from "../helpers/accounts";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const CACHERS = { memory: "memory", redis: TEST_SERVICES.redis };

for (const [name, cacher] of Object.entries(CACHERS)) {
	describe(`Idempotency-Key on writes, ${name} cacher`, { skip: unavailable(...(name === "redis" ? (["postgres", "redis"] as const) : (["postgres"] as const))) }, () => {
		const dbs = { users: scratchDatabase("codelearn_test_idem_users"), groups: scratchDatabase("codelearn_test_idem_groups") };
		let platform: Platform;
		let alice: TestUser;
		let bob: TestUser;

		const createGroup = (as: TestUser, key: string | undefined, name: string) =>
			platform.api("POST", "/api/groups", { token: as.token, body: { name }, headers: key === undefined ? {} : { "idempotency-key": key } });
		const groupsOf = async (as: TestUser) => (await platform.api("GET", "/api/groups?mine=true", { token: as.token })).body.total as number;

		before(async () => {
			platform = await startPlatform({
				SERVICES: "gateway,users,groups",
				CACHER: cacher,
				NAMESPACE: `idem-${randomBytes(4).toString("hex")}`,
				USERS_DATABASE_URL: dbs.users.url,
				GROUPS_DATABASE_URL: dbs.groups.url
			});
			[alice, bob] = [await register(platform.api, "idem"), await register(platform.api, "idem")];
		});

		after(async () => {
			await platform?.stop();
			await Promise.all([dbs.users.drop(), dbs.groups.drop()]);
		});

		it("when a write is repeated with the same key and body then the first response comes back and nothing is written twice", async () => {
			const key = randomUUID();
			const name = `idem ${randomBytes(4).toString("hex")}`;
			const before = await groupsOf(alice);
			const first = await createGroup(alice, key, name);
			assert.equal(first.status, 201, JSON.stringify(first.body));
			const again = await createGroup(alice, key, name);
			assert.equal(again.status, 201);
			assert.deepEqual(again.body, first.body);
			assert.equal(again.headers.get("location"), first.headers.get("location"));
			assert.equal(again.headers.get("idempotent-replayed"), "true");
			assert.equal(await groupsOf(alice), before + 1);
		});

		it("when the same key comes with another body then 422 and nothing is written", async () => {
			const key = randomUUID();
			assert.equal((await createGroup(alice, key, `idem ${randomBytes(4).toString("hex")}`)).status, 201);
			const before = await groupsOf(alice);
			const reused = await createGroup(alice, key, `idem ${randomBytes(4).toString("hex")}`);
			assert.equal(reused.status, 422);
			assert.equal(reused.body.type, "IDEMPOTENCY_KEY_REUSED");
			assert.equal(await groupsOf(alice), before);
		});

		it("when two identical requests race then one group is created, and every answer is that group or a 409 to retry", async () => {
			const key = randomUUID();
			const name = `idem ${randomBytes(4).toString("hex")}`;
			const before = await groupsOf(alice);
			const answers = await Promise.all(Array.from({ length: 5 }, () => createGroup(alice, key, name)));
			const created = answers.filter(a => a.status === 201);
			assert.ok(created.length >= 1, answers.map(a => a.status).join());
			for (const a of answers) assert.ok(a.status === 201 || (a.status === 409 && a.body.type === "IDEMPOTENCY_KEY_IN_USE"), `${a.status} ${JSON.stringify(a.body)}`);
			assert.equal(new Set(created.map(a => a.body.id)).size, 1);
			assert.equal(await groupsOf(alice), before + 1);
		});

		it("when another user sends the same key then it is theirs: their own write runs", async () => {
			const key = randomUUID();
			const a = await createGroup(alice, key, `idem ${randomBytes(4).toString("hex")}`);
			const b = await createGroup(bob, key, `idem ${randomBytes(4).toString("hex")}`);
			assert.equal(a.status, 201);
			assert.equal(b.status, 201);
			assert.notEqual(a.body.id, b.body.id);
		});

		it("when a client error answered the first time then the retry gets the same error; a malformed key is 400", async () => {
			const key = randomUUID();
			const first = await createGroup(alice, key, "x");
			assert.equal(first.status, 422);
			const again = await createGroup(alice, key, "x");
			assert.equal(again.status, 422);
			assert.deepEqual(again.body, first.body);
			const malformed = await createGroup(alice, "not a sane key!", `idem ${randomBytes(4).toString("hex")}`);
			assert.equal(malformed.status, 400);
			assert.equal(malformed.body.type, "INVALID_IDEMPOTENCY_KEY");
		});
	});
}
