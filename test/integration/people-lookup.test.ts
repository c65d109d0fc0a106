import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { register, type TestUser } from "../helpers/accounts";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { unavailable } from "../helpers/services";

const ERROR_KEYS = ["code", "message", "name", "type"];

/** A 422 in the public error shape, naming the `ids` parameter. */
function assertInvalidIds(res: { status: number; body: any }) {
	assert.equal(res.status, 422, JSON.stringify(res.body));
	assert.deepEqual(
		Object.keys(res.body)
			.filter(k => k !== "data")
			.sort(),
		ERROR_KEYS
	);
	assert.equal(res.body.code, 422);
	assert.equal(res.body.type, "VALIDATION_ERROR");
	assert.ok(
		res.body.data.some((d: { field: string }) => d.field === "ids"),
		JSON.stringify(res.body.data)
	);
}

describe("GET /api/people: names and avatars by id, on the real PostgreSQL", { skip: unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_people");
	let platform: Platform;
	let ada: TestUser;
	let bob: TestUser;

	/** The people answered for these ids, anonymously, by id. */
	async function people(ids: string[], token?: string) {
		const res = await platform.api("GET", `/api/people?ids=${ids.join(",")}`, { token });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		assert.deepEqual(Object.keys(res.body), ["rows"]);
		return new Map<string, any>(res.body.rows.map((row: { id: string }) => [row.id, row]));
	}

	before(async () => {
		platform = await startPlatform({ SERVICES: "gateway,users", USERS_DATABASE_URL: db.url });
		[ada, bob] = await Promise.all([register(platform.api, "ppla"), register(platform.api, "pplb")]);
		const patched = await platform.api("PATCH", "/api/users/me", {
			token: ada.token,
			body: { displayName: "Ada L.", avatarUrl: "https://example.com/ada.png" }
		});
		assert.equal(patched.status, 200);
	});

	after(async () => {
		await platform?.stop();
		await db.drop();
	});

	it("when anonymous asks for known and unknown ids then the known ones come back with their public names only", async () => {
		const unknown = randomUUID();
		const found = await people([ada.id, unknown, bob.id]);
		assert.deepEqual([...found.keys()].sort(), [ada.id, bob.id].sort(), "the unknown id is simply absent");
		assert.deepEqual(found.get(ada.id), {
			id: ada.id,
			username: ada.username,
			displayName: "Ada L.",
			avatarUrl: "https://example.com/ada.png"
		});
		assert.deepEqual(found.get(bob.id), { id: bob.id, username: bob.username, displayName: bob.username, avatarUrl: null });
	});

	it("when a signed-in user asks, in capitals and with an id twice, then each person comes back once", async () => {
		const found = await people([ada.id.toUpperCase(), bob.id, ada.id], bob.token);
		assert.deepEqual([...found.keys()].sort(), [ada.id, bob.id].sort());
		const res = await platform.api("GET", `/api/people?ids=${ada.id},${ada.id}`);
		assert.equal(res.body.rows.length, 1);
	});

	it("when people are looked up then it is one SELECT of the users table with all the ids in it", async () => {
		// Sequelize reads its `logging` option at every query (the typings leave `options` out).
		const users = platform.broker.getLocalService("users") as unknown as { sequelize: { options: { logging?: unknown } } };
		const options = users.sequelize.options;
		const statements: string[] = [];
		const logging = options.logging;
		// A fresh id list: not in the cache yet.
		const ids = [ada.id, bob.id, randomUUID(), randomUUID()];
		options.logging = (sql: string) => statements.push(sql);
		try {
			await people(ids);
		} finally {
			options.logging = logging;
		}
		const reads = statements.filter(sql => /\bSELECT\b/i.test(sql) && /"users"/.test(sql));
		assert.equal(reads.length, 1, reads.join("\n"));
		assert.match(reads[0], /\bIN \(/);
		for (const id of ids) assert.ok(reads[0].includes(id), `${id} in ${reads[0]}`);
	});

	it("when a cached lookup's person changes their name then the next lookup shows the new name", async () => {
		const carol = await register(platform.api, "pplc");
		const ids = [carol.id, ada.id];
		assert.equal((await people(ids)).get(carol.id).displayName, carol.username);
		const patched = await platform.api("PATCH", "/api/users/me", { token: carol.token, body: { displayName: "Carol C." } });
		assert.equal(patched.status, 200);
		assert.equal((await people(ids)).get(carol.id).displayName, "Carol C.");
	});

	it("when an account is deleted then lookups no longer return it, cached ones included", async () => {
		const dave = await register(platform.api, "ppld");
		const ids = [dave.id, ada.id];
		assert.ok((await people(ids)).has(dave.id));
		assert.equal((await platform.api("DELETE", "/api/users/me", { token: dave.token })).status, 204);
		const found = await people(ids);
		assert.ok(!found.has(dave.id), "the deleted account is absent");
		assert.ok(found.has(ada.id));
	});

	it("when a profile is private then lookups leave it out, as the profile route answers 404; public again, it is back", async () => {
		const eve = await register(platform.api, "pple");
		const ids = [eve.id, bob.id];
		assert.ok((await people(ids)).has(eve.id));
		const visibility = (profileVisibility: string) =>
			platform.api("PUT", "/api/users/me/preferences", { token: eve.token, body: { profileVisibility } });
		assert.equal((await visibility("private")).status, 200);
		assert.equal((await platform.api("GET", `/api/users/${eve.username}`)).status, 404);
		assert.ok(!(await people(ids)).has(eve.id), "absent for strangers");
		assert.ok(!(await people(ids, bob.token)).has(eve.id), "absent for signed-in strangers");
		assert.ok((await people(ids)).has(bob.id));
		assert.equal((await visibility("public")).status, 200);
		assert.ok((await people(ids)).has(eve.id));
	});

	it("when 100 ids are asked then 200; when 101 then 422", async () => {
		const hundred = Array.from({ length: 100 }, () => randomUUID());
		const found = await people([ada.id, ...hundred.slice(1)]);
		assert.deepEqual([...found.keys()], [ada.id]);
		assertInvalidIds(await platform.api("GET", `/api/people?ids=${[ada.id, ...hundred].join(",")}`));
	});

	it("when an id is malformed, missing or given twice as a parameter then 422 in the error shape, never a 5xx", async () => {
		const bad = [
			`ids=${ada.id},not-a-uuid`,
			`ids=${ada.id.slice(0, 35)}`,
			`ids=${ada.id}x`,
			`ids=${ada.id},`,
			`ids=,${ada.id}`,
			`ids=${ada.id},,${bob.id}`,
			`ids=${ada.id}%20`,
			`ids=${ada.id.replaceAll("-", "")}`,
			`ids=${"g".repeat(8)}-0000-0000-0000-000000000000`,
			"ids=1",
			"ids=",
			"ids",
			"",
			`ids=${ada.id}&ids=${bob.id}`,
			`ids[]=${ada.id}`,
			`ids[a]=${ada.id}`
		];
		for (const query of bad) assertInvalidIds(await platform.api("GET", `/api/people?${query}`));
		// An id list asked for the first time (a cached answer is found by `ids` alone, before validation).
		const extra = await platform.api("GET", `/api/people?ids=${randomUUID()}&role=admin`);
		assert.equal(extra.status, 422, JSON.stringify(extra.body));
	});
});
