import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { scratchDatabase } from "../helpers/database";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { unavailable } from "../helpers/services";

describe("Cache-Control on answers that carry tokens or private data", { skip: unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_cache_control");
	let platform: Platform;

	before(async () => {
		platform = await startPlatform({ SERVICES: "gateway,users", USERS_DATABASE_URL: db.url });
	});

	after(async () => {
		await platform?.stop();
		await db.drop();
	});

	it("when tokens are issued, rotated or a profile is read then every answer says no-store, errors included", async () => {
		const body = newUser("nostore");
		const registered = await platform.api("POST", "/api/auth/register", { body });
		assert.equal(registered.status, 201);
		const login = await platform.api("POST", "/api/auth/login", { body: { login: body.username, password: body.password } });
		assert.equal(login.status, 200);
		const refreshed = await platform.api("POST", "/api/auth/refresh", { body: { refreshToken: login.body.refreshToken } });
		assert.equal(refreshed.status, 200);
		const me = await platform.api("GET", "/api/users/me", { token: refreshed.body.accessToken });
		assert.equal(me.status, 200);
		const denied = await platform.api("GET", "/api/users/me");
		assert.equal(denied.status, 401);
		for (const res of [registered, login, refreshed, me, denied]) assert.equal(res.headers.get("cache-control"), "no-store");
	});
});
