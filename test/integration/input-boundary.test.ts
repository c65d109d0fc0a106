import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { register, registerAdmin, type TestUser } from "../helpers/accounts";
import { scratchDatabase } from "../helpers/database";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { unavailable } from "../helpers/services";

const ERROR_KEYS = ["code", "message", "name", "type"];

function assertError(res: { status: number; body: any }, status: number, type: string) {
	assert.equal(res.status, status, JSON.stringify(res.body));
	assert.deepEqual(
		Object.keys(res.body)
			.filter(k => k !== "data")
			.sort(),
		ERROR_KEYS
	);
	assert.equal(res.body.code, status);
	assert.equal(res.body.type, type);
}

describe("the input boundary, in the one-process platform where gateway and users share params", { skip: unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_boundary");
	let platform: Platform;
	let user: TestUser;

	before(async () => {
		platform = await startPlatform({ SERVICES: "gateway,users", USERS_DATABASE_URL: db.url });
		user = await register(platform.api, "boundary");
	});

	after(async () => {
		await platform?.stop();
		await db.drop();
	});

	const me = async () => (await platform.api("GET", "/api/users/me", { token: user.token })).body;

	it("when PATCH /users/me carries a __proto__ object then 400 and neither role nor username changes", async () => {
		const rawBody = `{"bio":"hello","__proto__":{"role":"admin","username":"takeover"}}`;
		const res = await platform.api("PATCH", "/api/users/me", {
			token: user.token,
			rawBody,
			headers: { "content-type": "application/json" }
		});
		assertError(res, 400, "FORBIDDEN_KEY");
		const after = await me();
		assert.equal(after.role, "user");
		assert.equal(after.username, user.username);
		assert.equal(after.bio, "");
	});

	it("when a body hides constructor.prototype deep inside then 400", async () => {
		const rawBody = `{"bio":"x","avatarUrl":null,"displayName":"a","z":[{"constructor":{"prototype":{"role":"admin"}}}]}`;
		assertError(
			await platform.api("PATCH", "/api/users/me", { token: user.token, rawBody, headers: { "content-type": "application/json" } }),
			400,
			"FORBIDDEN_KEY"
		);
	});

	it("when a query string names __proto__ then 400, not a silently dropped key", async () => {
		assertError(await platform.api("GET", "/api/users?__proto__[role]=admin", { token: user.token }), 400, "FORBIDDEN_KEY");
		assertError(await platform.api("GET", "/api/users?q=a&page[constructor]=1", { token: user.token }), 400, "FORBIDDEN_KEY");
	});

	it("when a body nests 10,000 levels then 400 TOO_DEEP", async () => {
		const rawBody = `{"bio":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
		assertError(
			await platform.api("PATCH", "/api/users/me", { token: user.token, rawBody, headers: { "content-type": "application/json" } }),
			400,
			"TOO_DEEP"
		);
	});

	it("when a registration's e-mail is 90,000 '@' then 422 naming the e-mail's length, and the node kept answering", async () => {
		const body = { ...newUser("longmail"), email: "@".repeat(90_000) };
		const [res, live] = await Promise.all([platform.api("POST", "/api/auth/register", { body }), platform.api("GET", "/health/live")]);
		assert.equal(res.status, 422, JSON.stringify(res.body));
		assert.deepEqual(
			res.body.data.map((d: { field: string; type: string }) => [d.field, d.type]),
			[["email", "stringMax"]]
		);
		assert.equal(live.status, 200);
	});

	it("when an avatar URL is longer than its declared max then 422 (the URL rule alone never checked it)", async () => {
		const res = await platform.api("PATCH", "/api/users/me", {
			token: user.token,
			body: { avatarUrl: `https://example.com/${"a".repeat(3000)}` }
		});
		assertError(res, 422, "VALIDATION_ERROR");
		assert.equal((await me()).avatarUrl, null);
	});

	it("when 30 anonymous calls are refused by an action then the caller with a token is still served (the bulkhead gave every slot back)", async () => {
		for (let i = 0; i < 30; i++) assertError(await platform.api("GET", "/api/users/me"), 401, "UNAUTHORIZED");
		const res = await platform.api("GET", "/api/users/me", { token: user.token });
		assert.equal(res.status, 200, JSON.stringify(res.body));
	});

	it("when a query gives a number parameter as an object then 422 naming it, in one process too", async () => {
		const admin = await registerAdmin(platform.api, platform.broker);
		const res = await platform.api("GET", "/api/users?page[a]=1", { token: admin.token });
		assertError(res, 422, "VALIDATION_ERROR");
		assert.deepEqual(
			res.body.data.map((d: { field: string }) => d.field),
			["page"]
		);
	});

	it("when a partial update sends null for a field that is not nullable then 422 and nothing changes", async () => {
		assertError(
			await platform.api("PATCH", "/api/users/me", { token: user.token, body: { displayName: null, bio: "changed" } }),
			422,
			"VALIDATION_ERROR"
		);
		assert.equal((await me()).bio, "");
	});

	it("when a URL is longer than Node's 16 KB header limit then 431 in the API's error shape", async () => {
		const res = await platform.api("GET", `/api/users?q=${"a".repeat(20_000)}`, { token: user.token });
		assertError(res, 431, "HEADERS_TOO_LARGE");
	});

	it("when the gateway listens then a request's headers must arrive within 10 s and the whole request within 30 s", () => {
		const { server } = platform.broker.getLocalService("gateway") as unknown as { server: import("node:http").Server };
		assert.equal(server.headersTimeout, 10_000);
		assert.equal(server.requestTimeout, 30_000);
	});
});
