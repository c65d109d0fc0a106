import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { register, type TestUser } from "../helpers/accounts";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { type Api, type ApiResponse, newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { assertError, ok } from "../helpers/posts";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const CACHERS = { memory: "memory", redis: TEST_SERVICES.redis };
/** Requests per client address and window: low, so that a test can spend it; each test that does has an address of its own. */
const RATE_LIMIT = { max: 40, windowMs: 3000 };

let addresses = 0;

for (const [name, cacher] of Object.entries(CACHERS)) {
	describe(
		`Idempotency-Key on writes, ${name} cacher`,
		{ skip: unavailable(...(name === "redis" ? (["postgres", "redis"] as const) : (["postgres"] as const))) },
		() => {
			const dbs = { users: scratchDatabase("codelearn_test_idem_users"), groups: scratchDatabase("codelearn_test_idem_groups") };
			let platform: Platform;
			let alice: TestUser;
			let bob: TestUser;

			const createGroup = (as: TestUser, key: string | undefined, name: string, api: Api = platform.api) =>
				api("POST", "/api/groups", {
					token: as.token,
					body: { name },
					headers: key === undefined ? {} : { "idempotency-key": key }
				});
			const groupName = () => `idem ${randomBytes(4).toString("hex")}`;

			/** Calls from an address of its own (the gateway trusts loopback's X-Forwarded-For): a rate-limit window of its own. */
			function fromNewAddress(): Api {
				const address = `203.0.113.${++addresses}`;
				return (method, path, options = {}) =>
					platform.api(method, path, { ...options, headers: { "x-forwarded-for": address, ...options.headers } });
			}

			/** Calls until the rate limit answers 429 (the window is then spent for a few seconds). */
			async function spendRateLimit(api: Api, as: TestUser) {
				for (let i = 0; i <= RATE_LIMIT.max; i++) {
					if ((await api("GET", "/api/users/me", { token: as.token })).status === 429) return;
				}
				assert.fail(`no 429 after ${RATE_LIMIT.max + 1} calls`);
			}

			const notReplayed = (res: ApiResponse) => assert.equal(res.headers.get("idempotent-replayed"), null, "not a replay");
			const groupsOf = async (as: TestUser) =>
				(await platform.api("GET", "/api/groups?mine=true", { token: as.token })).body.total as number;

			before(async () => {
				platform = await startPlatform({
					SERVICES: "gateway,users,groups",
					CACHER: cacher,
					NAMESPACE: `idem-${randomBytes(4).toString("hex")}`,
					USERS_DATABASE_URL: dbs.users.url,
					GROUPS_DATABASE_URL: dbs.groups.url,
					TRUST_PROXY: "loopback",
					RATE_LIMIT_MAX: String(RATE_LIMIT.max),
					RATE_LIMIT_WINDOW_MS: String(RATE_LIMIT.windowMs)
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
				for (const a of answers)
					assert.ok(
						a.status === 201 || (a.status === 409 && a.body.type === "IDEMPOTENCY_KEY_IN_USE"),
						`${a.status} ${JSON.stringify(a.body)}`
					);
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

			it("when a spent refresh token is sent again with its Idempotency-Key then reuse detection runs: 401 REFRESH_TOKEN_REUSED, no token pair, and the session is revoked", async () => {
				const api = fromNewAddress();
				const registered = ok(await api("POST", "/api/auth/register", { body: newUser("idem") }), 201);
				const headers = { "idempotency-key": randomUUID() };
				const body = { refreshToken: registered.refreshToken };
				const first = ok(await api("POST", "/api/auth/refresh", { body, headers }));
				assert.ok(first.accessToken && first.refreshToken);
				const again = await api("POST", "/api/auth/refresh", { body, headers });
				assertError(again, 401, "REFRESH_TOKEN_REUSED");
				notReplayed(again);
				assert.equal(again.body.accessToken, undefined);
				// Reuse revoked the session: the pair the first call returned works no more.
				assertError(await api("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } }), 401);
				assertError(await api("GET", "/api/users/me", { token: first.accessToken }), 401);
			});

			it("when a login or the stream ticket is repeated with the same Idempotency-Key then each runs again: fresh tokens, never a replay", async () => {
				const api = fromNewAddress();
				const body = newUser("idem");
				ok(await api("POST", "/api/auth/register", { body }), 201);
				const headers = { "idempotency-key": randomUUID() };
				const logins = [];
				for (let i = 0; i < 2; i++)
					logins.push(await api("POST", "/api/auth/login", { body: { login: body.username, password: body.password }, headers }));
				for (const login of logins) {
					assert.equal(login.status, 200, JSON.stringify(login.body));
					notReplayed(login);
				}
				assert.notEqual(logins[0].body.refreshToken, logins[1].body.refreshToken);
				const tickets = [];
				for (let i = 0; i < 2; i++)
					tickets.push(await api("POST", "/api/notifications/stream-ticket", { token: logins[0].body.accessToken, headers }));
				for (const ticket of tickets) notReplayed(ticket);
				assert.notEqual(ok(tickets[0]).ticket, ok(tickets[1]).ticket);
			});

			it("when a write was answered 429 then a retry with the same key runs once the window allows; the 429 is never replayed", async () => {
				const api = fromNewAddress();
				const key = randomUUID();
				const name = groupName();
				await spendRateLimit(api, alice);
				const limited = await createGroup(alice, key, name, api);
				assertError(limited, 429);
				const retried = await eventually(
					"the retry past the rate limit",
					() => createGroup(alice, key, name, api),
					res => res.status !== 429,
					3 * RATE_LIMIT.windowMs,
					250
				);
				assert.equal(retried.status, 201, JSON.stringify(retried.body));
				notReplayed(retried);
				const replayed = await createGroup(alice, key, name, api);
				assert.equal(replayed.headers.get("idempotent-replayed"), "true");
				assert.deepEqual(replayed.body, retried.body);
			});

			it("when a stored answer is asked for again then the replay counts against the rate limit, and over it the answer is 429, not the replay", async () => {
				const api = fromNewAddress();
				const key = randomUUID();
				const name = groupName();
				const first = await createGroup(alice, key, name, api);
				assert.equal(first.status, 201, JSON.stringify(first.body));
				const remaining = Number(first.headers.get("x-rate-limit-remaining"));
				const replayed = await createGroup(alice, key, name, api);
				assert.equal(replayed.headers.get("idempotent-replayed"), "true");
				assert.equal(Number(replayed.headers.get("x-rate-limit-remaining")), remaining - 1, "the replay was counted");
				await spendRateLimit(api, alice);
				const limited = await createGroup(alice, key, name, api);
				assertError(limited, 429);
				notReplayed(limited);
			});

			it("when the session that stored an answer has ended then the replay is 401, not the stored answer", async () => {
				const api = fromNewAddress();
				const carol = await register(api, "idem");
				const key = randomUUID();
				const name = groupName();
				assert.equal((await createGroup(carol, key, name, api)).status, 201);
				assert.equal((await api("POST", "/api/auth/logout", { token: carol.token })).status, 204);
				const replay = await createGroup(carol, key, name, api);
				assertError(replay, 401);
				notReplayed(replay);
			});

			it("when a write was answered 409 then a retry with the same key runs again once the conflict is gone", async () => {
				const api = fromNewAddress();
				const name = groupName();
				const taken = ok(await createGroup(alice, undefined, name, api), 201);
				const key = randomUUID();
				assertError(await createGroup(bob, key, name, api), 409, "GROUP_NAME_TAKEN");
				ok(await api("PATCH", `/api/groups/${taken.id}`, { token: alice.token, body: { name: groupName() } }));
				const retried = await createGroup(bob, key, name, api);
				assert.equal(retried.status, 201, JSON.stringify(retried.body));
				notReplayed(retried);
			});

			it("when a write was answered 403 then a retry with the same key runs again once the caller may", async () => {
				const api = fromNewAddress();
				const [dave, target] = [await register(api, "idem"), await register(api, "idem")];
				const headers = { "idempotency-key": randomUUID() };
				const setRole = () => api("PATCH", `/api/users/${target.id}/role`, { token: dave.token, body: { role: "user" }, headers });
				assertError(await setRole(), 403);
				// Promoted by an operator (as `npm run create-admin` does): the same session now may.
				await platform.broker.call("users.createAdmin", {
					username: dave.username,
					email: `${dave.username}@example.com`,
					password: dave.password
				});
				const retried = await setRole();
				assert.equal(retried.status, 200, JSON.stringify(retried.body));
				notReplayed(retried);
			});
		}
	);
}
