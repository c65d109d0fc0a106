import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCounterStore } from "../../lib/counter-store";
import { accountDelayMs, LoginThrottle, SLOWDOWN_STEP_MS } from "../../services/users/login-throttle";

const limits = {
	maxFailuresPerAccountAndClient: 3,
	maxFailuresPerClient: 5,
	windowS: 60,
	accountSlowdownAfter: 4,
	accountMaxDelayMs: 1000
};

async function failTimes(throttle: LoginThrottle, login: string, client: string, times: number) {
	for (let i = 0; i < times; i++) await throttle.failed(login, client);
}

describe("login throttle", () => {
	it("when an account fails too often from one client then that client waits, with a Retry-After", async () => {
		const throttle = new LoginThrottle(createCounterStore(null, ""), limits);
		await failTimes(throttle, "alice", "10.0.0.1", 3);
		await assert.rejects(throttle.check("ALICE", "10.0.0.1"), (err: { code: number; data: { retryAfter: number } }) => {
			assert.equal(err.code, 429);
			assert.ok(err.data.retryAfter > 0 && err.data.retryAfter <= 60);
			return true;
		});
	});

	it("when an attacker fails on an account from elsewhere then the owner's client is not locked out", async () => {
		const throttle = new LoginThrottle(createCounterStore(null, ""), limits);
		await failTimes(throttle, "alice", "203.0.113.9", 3);
		await throttle.check("alice", "198.51.100.7");
	});

	it("when one client sprays many accounts then the client is throttled", async () => {
		const throttle = new LoginThrottle(createCounterStore(null, ""), limits);
		for (let i = 0; i < 5; i++) await throttle.failed(`user${i}`, "10.0.0.2");
		await assert.rejects(throttle.check("someone-else", "10.0.0.2"), { code: 429 });
	});

	it("when the login succeeds then that account's failures from that client are forgotten", async () => {
		const throttle = new LoginThrottle(createCounterStore(null, ""), limits);
		await failTimes(throttle, "bob", "10.0.0.3", 2);
		await throttle.succeeded("bob", "10.0.0.3");
		await failTimes(throttle, "bob", "10.0.0.3", 2);
		await throttle.check("bob", "10.0.0.3");
	});

	it("when an account fails from many clients then its attempts wait longer each time, up to the cap", () => {
		const delays = Array.from({ length: 12 }, (_, failures) => accountDelayMs(failures, limits));
		assert.deepEqual(delays.slice(0, 5), [0, 0, 0, 0, 0], "no delay up to the allowance");
		assert.deepEqual(delays.slice(5, 9), [SLOWDOWN_STEP_MS, 2 * SLOWDOWN_STEP_MS, 4 * SLOWDOWN_STEP_MS, 8 * SLOWDOWN_STEP_MS]);
		assert.ok(delays.every(d => d <= limits.accountMaxDelayMs));
		assert.equal(accountDelayMs(1_000_000, limits), limits.accountMaxDelayMs);
		assert.equal(accountDelayMs(1_000_000, { ...limits, accountMaxDelayMs: 0 }), 0, "0 turns the slowdown off");
	});

	it("when an account is guessed at from a hundred clients then the owner's clean client is slowed, never refused", async () => {
		const throttle = new LoginThrottle(createCounterStore(null, ""), limits);
		for (let i = 0; i < 100; i++) await throttle.failed("carol", `203.0.113.${i}`);
		const owner = await throttle.check("Carol", "198.51.100.7");
		assert.equal(owner.delayMs, limits.accountMaxDelayMs);
		await throttle.succeeded("carol", "198.51.100.7");
		assert.deepEqual(await throttle.check("someone-else", "198.51.100.7"), { delayMs: 0 }, "other accounts are not slowed");
	});
});
