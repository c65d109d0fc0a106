import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { type ApiResponse, newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";
import type { HashingLanes } from "../../services/users/hashing-lanes";
import type { LoginThrottle } from "../../services/users/login-throttle";
import { derivationCount } from "../../services/users/passwords";

const REGISTER_MAX_PER_CLIENT = 3;
const SLOWDOWN_AFTER = 3;
const MAX_DELAY_MS = 50;

let clients = 0;
/** A client address nobody else in this file uses (the gateway trusts loopback's X-Forwarded-For). */
function newClient(): string {
	clients++;
	return `198.18.${clients >> 8}.${clients & 255}`;
}

function assert429(res: ApiResponse) {
	assert.equal(res.status, 429, JSON.stringify(res.body));
	assert.equal(res.body.type, "TOO_MANY_REQUESTS");
	assert.ok(Number(res.headers.get("retry-after")) > 0, "Retry-After");
}

describe("credentials: registration throttle, hashing lanes, login slowdown", { skip: unavailable("postgres", "redis") }, () => {
	const db = scratchDatabase("codelearn_test_credentials");
	let platform: Platform;
	let users: { hashing: HashingLanes; throttle: LoginThrottle };

	const register = (client: string, body: object = newUser()) =>
		platform.api("POST", "/api/auth/register", { body, headers: { "x-forwarded-for": client } });
	const login = (client: string, body: { login: string; password: string }) =>
		platform.api("POST", "/api/auth/login", { body, headers: { "x-forwarded-for": client } });

	before(async () => {
		platform = await startPlatform({
			SERVICES: "gateway,users",
			USERS_DATABASE_URL: db.url,
			// Counters in Redis, as in a cluster; a namespace of its own so no other run shares them.
			CACHER: TEST_SERVICES.redis,
			NAMESPACE: `credentials-${process.pid}-${randomBytes(3).toString("hex")}`,
			TRUST_PROXY: "loopback",
			REGISTER_MAX_PER_CLIENT: String(REGISTER_MAX_PER_CLIENT),
			LOGIN_ACCOUNT_SLOWDOWN_AFTER: String(SLOWDOWN_AFTER),
			LOGIN_ACCOUNT_MAX_DELAY_MS: String(MAX_DELAY_MS),
			// Costlier than other tests' 2^12, so that a flood of registrations keeps the lane busy.
			PASSWORD_HASH_LOG_N: "15"
		});
		users = platform.broker.getLocalService("users") as unknown as typeof users;
	});

	after(async () => {
		await platform?.stop();
		await db.drop();
	});

	async function registered(client = newClient()) {
		const body = newUser("cred");
		const res = await register(client, body);
		assert.equal(res.status, 201, JSON.stringify(res.body));
		return { ...body, id: res.body.user.id as string, refreshToken: res.body.refreshToken as string };
	}

	it("when one client registers past the limit then 429 with Retry-After and nothing is stored; other clients go on", async () => {
		const client = newClient();
		for (let i = 0; i < REGISTER_MAX_PER_CLIENT; i++) assert.equal((await register(client)).status, 201);
		const refused = newUser("cred");
		assert429(await register(client, refused));
		assert.equal((await login(newClient(), { login: refused.username, password: refused.password })).status, 401);
		await registered(newClient());
	});

	it("when IPv6 clients share a /64 then they share one registration budget; the next /64 has its own", async () => {
		for (let i = 1; i <= REGISTER_MAX_PER_CLIENT; i++) assert.equal((await register(`2001:db8:7:1::${i}`)).status, 201);
		assert429(await register("2001:db8:7:1:ffff::99"));
		assert.equal((await register("2001:db8:7:2::1")).status, 201);
	});

	it("when logins fail from addresses of one /64 then they count as one client", async () => {
		const user = await registered();
		for (let i = 1; i <= 5; i++) {
			assert.equal((await login(`2001:db8:9:1::${i}`, { login: user.username, password: `wrong-${i}` })).status, 401);
		}
		assert429(await login("2001:db8:9:1::77", { login: user.username, password: user.password }));
		assert.equal((await login("2001:db8:9:2::1", { login: user.username, password: user.password })).status, 200);
	});

	it("when the username or e-mail is taken then 409 without any password hashed", async () => {
		const user = await registered();
		const before = derivationCount();
		const byName = await register(newClient(), { ...newUser("cred"), username: user.username.toUpperCase() });
		const byEmail = await register(newClient(), { ...newUser("cred"), email: user.email.toUpperCase() });
		assert.equal(byName.status, 409);
		assert.equal(byName.body.type, "USERNAME_TAKEN");
		assert.equal(byEmail.status, 409);
		assert.equal(byEmail.body.type, "EMAIL_TAKEN");
		assert.equal(derivationCount(), before, "no scrypt run for a taken name or e-mail");
		await registered();
		assert.equal(derivationCount(), before + 1, "a free registration hashes once: the counter sees this process's hashes");
	});

	it("when answers carry tokens then they say Cache-Control: no-store", async () => {
		const body = newUser("cred");
		const client = newClient();
		const created = await register(client, body);
		const loggedIn = await login(client, { login: body.username, password: body.password });
		const refreshed = await platform.api("POST", "/api/auth/refresh", { body: { refreshToken: loggedIn.body.refreshToken } });
		for (const res of [created, loggedIn, refreshed]) {
			assert.ok(res.status < 300, JSON.stringify(res.body));
			assert.equal(res.headers.get("cache-control"), "no-store");
		}
	});

	it("when registrations flood the hashing lane then logins are still served beside them", async () => {
		const user = await registered();
		const flood = Array.from({ length: 20 }, () => register(newClient()));
		let busiest = 0;
		await eventually(
			"registrations queued in their lane",
			async () => {
				const stats = users.hashing.account.stats();
				busiest = Math.max(busiest, stats.running);
				return stats;
			},
			stats => stats.queued >= 5,
			10_000,
			2
		);
		const res = await login(newClient(), { login: user.username, password: user.password });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		assert.ok(users.hashing.account.stats().queued > 0, "the login was answered while registrations still waited");
		const statuses = (await Promise.all(flood)).map(r => r.status);
		assert.ok(
			statuses.every(s => s === 201 || s === 429),
			String(statuses)
		);
		assert.ok(statuses.includes(429), "past its queue the lane refuses at once");
		assert.equal(busiest, 1, "registrations never hash more than one at a time");
	});

	it("when an account is guessed at from many clients then it is slowed but its owner, from a clean client, logs in", async () => {
		const user = await registered();
		const guesses = Array.from({ length: 3 * SLOWDOWN_AFTER }, (_, i) =>
			login(newClient(), { login: user.username, password: `guess-${i}` })
		);
		assert.deepEqual(
			(await Promise.all(guesses)).map(r => r.status),
			guesses.map(() => 401)
		);
		const owner = newClient();
		assert.equal((await users.throttle.check(user.username, owner)).delayMs, MAX_DELAY_MS, "the slowdown is in force");
		const res = await login(owner, { login: user.username, password: user.password });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		assert.equal(res.body.user.id, user.id);
	});
});
