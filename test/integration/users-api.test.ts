import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { scratchDatabase } from "../helpers/database";
import { type Api, newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { unavailable } from "../helpers/services";

const ERROR_KEYS = ["code", "message", "name", "type"];

function assertError(res: { status: number; body: any }, status: number, type?: string) {
	assert.equal(res.status, status, JSON.stringify(res.body));
	assert.deepEqual(
		Object.keys(res.body)
			.filter(k => k !== "data")
			.sort(),
		ERROR_KEYS
	);
	assert.equal(res.body.code, status);
	if (type) assert.equal(res.body.type, type);
	assert.ok(!JSON.stringify(res.body).includes("    at "), "no stack trace");
}

describe("users API through the gateway, on the real PostgreSQL", { skip: unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_users");
	const auditDb = scratchDatabase("codelearn_test_audit");
	let platform: Platform;
	let api: Api;

	async function register(body = newUser()) {
		const res = await api("POST", "/api/auth/register", { body });
		assert.equal(res.status, 201, JSON.stringify(res.body));
		return { ...body, ...res.body } as ReturnType<typeof newUser> & { accessToken: string; refreshToken: string; user: any };
	}

	before(async () => {
		platform = await startPlatform({ SERVICES: "gateway,users,audit", USERS_DATABASE_URL: db.url, AUDIT_DATABASE_URL: auditDb.url });
		api = platform.api;
	});

	/** The user's events as the audit trail received them, waiting for delivery. */
	async function auditedEvents(userId: string, type: string) {
		const deadline = Date.now() + 10_000;
		for (;;) {
			const page: any = await platform.broker.call(
				"audit.list",
				{ aggregateId: userId, type },
				{ meta: { user: { id: userId, role: "admin", sessionId: userId } } }
			);
			if (page.rows.length || Date.now() > deadline) return page.rows;
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	}

	after(async () => {
		await platform?.stop();
		await Promise.all([db.drop(), auditDb.drop()]);
	});

	describe("registration", () => {
		it("when the body is valid then 201 with tokens, a Location and no secret", async () => {
			const body = newUser();
			const res = await api("POST", "/api/auth/register", { body });
			assert.equal(res.status, 201);
			assert.equal(res.headers.get("location"), `/api/users/${body.username}`);
			assert.equal(res.body.user.username, body.username);
			assert.equal(res.body.user.role, "user");
			assert.ok(res.body.accessToken && res.body.refreshToken);
			const text = JSON.stringify(res.body);
			assert.ok(!/hash|scrypt|password/i.test(text), text);
		});

		it("when the username or email is taken (any case) then 409", async () => {
			const first = await register();
			const again = newUser();
			assertError(
				await api("POST", "/api/auth/register", { body: { ...again, username: first.username.toUpperCase() } }),
				409,
				"USERNAME_TAKEN"
			);
			assertError(
				await api("POST", "/api/auth/register", { body: { ...again, email: first.email.toUpperCase() } }),
				409,
				"EMAIL_TAKEN"
			);
		});

		it("when forbidden fields such as role or id are sent then 422 and nothing is stored", async () => {
			const body = newUser();
			for (const extra of [{ role: "admin" }, { id: "00000000-0000-0000-0000-000000000001" }]) {
				const res = await api("POST", "/api/auth/register", { body: { ...body, ...extra } });
				assertError(res, 422, "VALIDATION_ERROR");
			}
			assertError(await api("POST", "/api/auth/login", { body: { login: body.username, password: body.password } }), 401);
		});

		it("when a field is smuggled through the query string then 400", async () => {
			const body = newUser();
			assertError(await api("POST", "/api/auth/register?role=admin", { body }), 400, "QUERY_NOT_ALLOWED");
		});

		it("when the password is short, long, or common then 422 naming the field", async () => {
			for (const password of ["short", "x".repeat(129), "password123"]) {
				const res = await api("POST", "/api/auth/register", { body: { ...newUser(), password } });
				assertError(res, 422, "VALIDATION_ERROR");
				assert.equal(res.body.data[0].field, "password");
			}
		});

		it("when the username is reserved (me) then 422", async () => {
			assertError(await api("POST", "/api/auth/register", { body: { ...newUser(), username: "me" } }), 422);
		});

		it("when the body is malformed, of the wrong type or too large then 400, 415, 413", async () => {
			const headers = { "content-type": "application/json" };
			assertError(await api("POST", "/api/auth/register", { rawBody: '{"username":', headers }), 400, "MALFORMED_JSON");
			assertError(
				await api("POST", "/api/auth/register", {
					rawBody: "username=a",
					headers: { "content-type": "application/x-www-form-urlencoded" }
				}),
				415
			);
			const huge = JSON.stringify({ ...newUser(), displayName: "x".repeat(200_000) });
			assertError(await api("POST", "/api/auth/register", { rawBody: huge, headers }), 413, "PAYLOAD_TOO_LARGE");
		});

		it("when an account is created then user.created reaches the audit trail without a secret", async () => {
			const user = await register();
			const [event] = await auditedEvents(user.user.id, "user.created");
			assert.ok(event, "user.created delivered");
			assert.equal(event.actorId, user.user.id);
			assert.equal(event.payload.username, user.username);
			assert.ok(!/hash|password|scrypt/i.test(JSON.stringify(event)));
		});
	});

	describe("login and sessions", () => {
		it("when logging in by username or email in any case then 200 with a session", async () => {
			const user = await register();
			for (const login of [user.username.toUpperCase(), user.email.toUpperCase()]) {
				const res = await api("POST", "/api/auth/login", { body: { login, password: user.password } });
				assert.equal(res.status, 200);
				assert.equal(res.body.user.id, user.user.id);
			}
		});

		it("when the user is unknown or the password wrong then the same 401 body", async () => {
			const user = await register();
			const wrong = await api("POST", "/api/auth/login", { body: { login: user.username, password: "not-the-password" } });
			const unknown = await api("POST", "/api/auth/login", { body: { login: "nobody-at-all", password: "not-the-password" } });
			assertError(wrong, 401, "INVALID_CREDENTIALS");
			assert.deepEqual(unknown.body, wrong.body);
			assert.equal(unknown.status, wrong.status);
		});

		it("when a refresh token is used then it rotates, and reusing it revokes the session", async () => {
			const user = await register();
			const first = await api("POST", "/api/auth/refresh", { body: { refreshToken: user.refreshToken } });
			assert.equal(first.status, 200);
			assert.notEqual(first.body.refreshToken, user.refreshToken);
			assertError(await api("POST", "/api/auth/refresh", { body: { refreshToken: user.refreshToken } }), 401, "REFRESH_TOKEN_REUSED");
			// The whole family is gone: the rotated token and the access tokens too.
			assertError(await api("POST", "/api/auth/refresh", { body: { refreshToken: first.body.refreshToken } }), 401);
			assertError(await api("GET", "/api/users/me", { token: first.body.accessToken }), 401, "SESSION_ENDED");
		});

		it("when logging out then 204 and the access token stops working", async () => {
			const user = await register();
			assert.equal((await api("GET", "/api/users/me", { token: user.accessToken })).status, 200);
			const res = await api("POST", "/api/auth/logout", { token: user.accessToken });
			assert.equal(res.status, 204);
			assertError(await api("GET", "/api/users/me", { token: user.accessToken }), 401);
			assertError(await api("POST", "/api/auth/refresh", { body: { refreshToken: user.refreshToken } }), 401);
		});

		it("when the token is missing, garbage or a refresh token then 401", async () => {
			const user = await register();
			assertError(await api("GET", "/api/users/me"), 401);
			assertError(await api("GET", "/api/users/me", { token: "garbage" }), 401, "INVALID_TOKEN");
			assertError(await api("GET", "/api/users/me", { token: user.refreshToken }), 401, "INVALID_TOKEN");
			assertError(await api("GET", "/api/users/me", { headers: { authorization: "Basic abc" } }), 401);
		});

		it("when logins keep failing from one client then 429 with Retry-After, whatever X-Forwarded-For says", async () => {
			const user = await register();
			let last;
			for (let i = 0; i < 6; i++) {
				last = await api("POST", "/api/auth/login", {
					body: { login: user.username, password: `wrong-${i}` },
					headers: { "x-forwarded-for": `198.51.100.${i}` }
				});
			}
			assertError(last!, 429, "TOO_MANY_REQUESTS");
			assert.ok(Number(last!.headers.get("retry-after")) > 0);
			// Even the right password waits: the throttle is checked before the password.
			const right = await api("POST", "/api/auth/login", {
				body: { login: user.username, password: user.password },
				headers: { "x-forwarded-for": "192.0.2.1" }
			});
			assertError(right, 429);
		});
	});

	describe("own profile", () => {
		it("when reading me then email, role and preferences are there and no hash", async () => {
			const user = await register();
			const res = await api("GET", "/api/users/me", { token: user.accessToken });
			assert.equal(res.status, 200);
			assert.equal(res.body.email, user.email);
			assert.deepEqual(res.body.preferences, { locale: "en", timezone: "UTC", theme: "system", profileVisibility: "public" });
			assert.ok(!("passwordHash" in res.body));
		});

		it("when the profile is updated then the public profile shows it at once, the gateway's copy included", async () => {
			const user = await register();
			assert.equal((await api("GET", `/api/users/${user.username}`)).body.displayName, user.username);
			const copy = await api("GET", `/api/users/${user.username}`);
			assert.match(copy.headers.get("etag") ?? "", /^"[\w-]+"$/, "anonymous readers get the gateway's copy");
			const res = await api("PATCH", "/api/users/me", {
				token: user.accessToken,
				body: { displayName: "Ada L.", bio: "I like loops" }
			});
			assert.equal(res.status, 200);
			const profile = await api("GET", `/api/users/${user.username}`);
			assert.equal(profile.body.displayName, "Ada L.");
			assert.equal(profile.body.bio, "I like loops");
			assert.ok(!("email" in profile.body));
		});

		it("when a PATCH body carries __proto__ with role and username then neither changes", async () => {
			const user = await register();
			const rawBody = '{"__proto__": {"role": "admin", "username": "x"}, "bio": "proto"}';
			const res = await api("PATCH", "/api/users/me", {
				token: user.accessToken,
				rawBody,
				headers: { "content-type": "application/json" }
			});
			assert.ok(res.status === 200 || res.status === 400, `${res.status} ${JSON.stringify(res.body)}`);
			const me = await api("GET", "/api/users/me", { token: user.accessToken });
			assert.equal(me.body.role, "user");
			assert.equal(me.body.username, user.username);
			assertError(await api("GET", "/api/users", { token: user.accessToken }), 403);
		});

		it("when updateMe's params inherit role and username from their prototype then only the declared fields are written", async () => {
			const user = await register();
			const params = Object.assign(Object.create({ role: "admin", username: "x", passwordHash: "scrypt$1" }), { bio: "own" });
			const meta = { user: { id: user.user.id, role: "user", sessionId: user.user.id } };
			const answer: any = await platform.broker.call("users.updateMe", params, { meta });
			assert.equal(answer.bio, "own");
			assert.equal(answer.role, "user");
			assert.equal(answer.username, user.username);
			assert.equal((await api("POST", "/api/auth/login", { body: { login: user.username, password: user.password } })).status, 200);
			const [event] = await auditedEvents(user.user.id, "user.updated");
			assert.deepEqual(event.payload.changed, ["bio"]);
		});

		it("when the avatar URL is not http(s) then 422", async () => {
			const user = await register();
			assertError(await api("PATCH", "/api/users/me", { token: user.accessToken, body: { avatarUrl: "javascript:alert(1)" } }), 422);
		});

		it("when preferences are replaced then unknown values are refused and private profiles disappear", async () => {
			const user = await register();
			for (let i = 0; i < 2; i++) assert.equal((await api("GET", `/api/users/${user.username}`)).status, 200, "public, and kept");
			assertError(
				await api("PUT", "/api/users/me/preferences", { token: user.accessToken, body: { timezone: "Mars/Olympus" } }),
				422
			);
			const res = await api("PUT", "/api/users/me/preferences", {
				token: user.accessToken,
				body: { timezone: "Europe/Paris", profileVisibility: "private" }
			});
			assert.equal(res.status, 200);
			assert.deepEqual(res.body, { locale: "en", timezone: "Europe/Paris", theme: "system", profileVisibility: "private" });
			assertError(await api("GET", `/api/users/${user.username}`), 404);
		});

		it("when the password changes then other sessions end and this one goes on", async () => {
			const user = await register();
			const other = await api("POST", "/api/auth/login", { body: { login: user.username, password: user.password } });
			const newPassword = "another-long-passphrase!";
			const wrong = await api("PUT", "/api/users/me/password", {
				token: user.accessToken,
				body: { currentPassword: "nope-nope", newPassword }
			});
			assertError(wrong, 422);
			const res = await api("PUT", "/api/users/me/password", {
				token: user.accessToken,
				body: { currentPassword: user.password, newPassword }
			});
			assert.equal(res.status, 204);
			assertError(await api("GET", "/api/users/me", { token: other.body.accessToken }), 401);
			assertError(await api("POST", "/api/auth/refresh", { body: { refreshToken: other.body.refreshToken } }), 401);
			assert.equal((await api("GET", "/api/users/me", { token: user.accessToken })).status, 200);
			assert.equal((await api("POST", "/api/auth/login", { body: { login: user.username, password: newPassword } })).status, 200);
		});

		it("when the account is deleted then 204, its tokens and profile are gone, and user.deleted is emitted", async () => {
			const user = await register();
			for (let i = 0; i < 2; i++) assert.equal((await api("GET", `/api/users/${user.username}`)).status, 200, "public, and kept");
			assert.equal((await api("DELETE", "/api/users/me", { token: user.accessToken })).status, 204);
			assertError(await api("GET", "/api/users/me", { token: user.accessToken }), 401);
			assertError(await api("GET", `/api/users/${user.username}`), 404);
			assertError(await api("POST", "/api/auth/login", { body: { login: user.username, password: user.password } }), 401);
			assert.equal((await auditedEvents(user.user.id, "user.deleted")).length, 1);
		});
	});

	describe("administration", () => {
		let admin: Awaited<ReturnType<typeof register>>;

		before(async () => {
			const body = newUser("admin");
			await platform.broker.call("users.createAdmin", body);
			const res = await api("POST", "/api/auth/login", { body: { login: body.username, password: body.password } });
			admin = { ...body, ...res.body };
			assert.equal(admin.user.role, "admin");
		});

		it("when a user asks for the audit trail then 403; an admin gets who did what", async () => {
			const user = await register();
			assertError(await api("GET", "/api/admin/audit", { token: user.accessToken }), 403);
			await auditedEvents(user.user.id, "user.created");
			const res = await api("GET", `/api/admin/audit?aggregateId=${user.user.id}&type=user.created`, { token: admin.accessToken });
			assert.equal(res.status, 200);
			assert.equal(res.body.total, 1);
			assert.equal(res.body.rows[0].actorId, user.user.id);
			assertError(await api("GET", "/api/admin/audit?from=yesterday", { token: admin.accessToken }), 422);
		});

		it("when a user lists users then 403; an admin gets a page", async () => {
			const user = await register();
			assertError(await api("GET", "/api/users", { token: user.accessToken }), 403, "FORBIDDEN");
			assertError(await api("GET", "/api/users"), 401);
			const res = await api("GET", `/api/users?q=${user.username}&pageSize=5`, { token: admin.accessToken });
			assert.equal(res.status, 200);
			assert.deepEqual(Object.keys(res.body).sort(), ["page", "pageSize", "rows", "total", "totalPages"]);
			assert.equal(res.body.total, 1);
			assert.equal(res.body.rows[0].username, user.username);
		});

		it("when pagination is out of range then 422", async () => {
			for (const query of ["pageSize=1e6", "page=-1", "page=0", "pageSize=abc"]) {
				assertError(await api("GET", `/api/users?${query}`, { token: admin.accessToken }), 422);
			}
		});

		it("when an admin changes a role then the user's next request has it", async () => {
			const user = await register();
			const res = await api("PATCH", `/api/users/${user.user.id}/role`, { token: admin.accessToken, body: { role: "admin" } });
			assert.equal(res.status, 200);
			assert.equal(res.body.role, "admin");
			assert.equal((await api("GET", "/api/users", { token: user.accessToken })).status, 200);
			assertError(
				await api("PATCH", `/api/users/${user.user.id}/role`, { token: user.accessToken, body: { role: "superuser" } }),
				422
			);
		});

		it("when the last admin would be demoted then 409", async () => {
			const admins = await api("GET", "/api/users?pageSize=100", { token: admin.accessToken });
			for (const row of admins.body.rows.filter((r: any) => r.role === "admin" && r.id !== admin.user.id)) {
				await api("PATCH", `/api/users/${row.id}/role`, { token: admin.accessToken, body: { role: "user" } });
			}
			assertError(
				await api("PATCH", `/api/users/${admin.user.id}/role`, { token: admin.accessToken, body: { role: "user" } }),
				409,
				"LAST_ADMIN"
			);
		});
	});

	describe("gateway rules", () => {
		it("when an internal action or $node is asked for over HTTP then 404", async () => {
			for (const path of ["/api/$node/list", "/api/users/session", "/api/users.session", "/api/users/createAdmin"]) {
				const res = await api(path.includes("createAdmin") ? "POST" : "GET", path, {
					body: path.includes("createAdmin") ? {} : undefined
				});
				assert.equal(res.status, 404, `${path}: ${res.status}`);
			}
			assertError(await api("GET", "/api/$node/list"), 404, "NOT_FOUND");
		});

		it("when a sane X-Request-ID is sent then it comes back; an insane one is replaced", async () => {
			const sane = await api("GET", "/api/users/nobody-here", { headers: { "x-request-id": "req-123.abc" } });
			assert.equal(sane.headers.get("x-request-id"), "req-123.abc");
			const insane = await api("GET", "/api/users/nobody-here", { headers: { "x-request-id": 'a b"c' } });
			assert.match(insane.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
		});

		it("when the node is healthy then /health/live and /health/ready answer 200", async () => {
			assert.equal((await api("GET", "/health/live")).status, 200);
			const ready = await api("GET", "/health/ready");
			assert.equal(ready.status, 200);
			assert.equal(ready.body.checks["users.database"], "ok");
		});
	});
});
