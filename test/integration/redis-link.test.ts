/**
 * lib/redis-link.ts against the real Redis behind the fault proxy: bounded reads that fail over,
 * writes that never fail, and the clean that must run before reads use Redis again once a write
 * was missed or the connection lost, and only then.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { Redis } from "ioredis";
import { deleteMatching, RedisLink, RedisUnavailableError } from "../../lib/redis-link";
import { REDIS_COMMAND_TIMEOUT_MS, REDIS_PAUSE_MS } from "../../lib/redis-options";
import { eventually } from "../helpers/eventually";
import { FaultProxy } from "../helpers/fault-proxy";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** A read's bound: one command timeout, and some slack for a loaded machine. */
const READ_WITHIN_MS = REDIS_COMMAND_TIMEOUT_MS + 300;

describe("a Redis link that rides out Redis going away", { skip: unavailable("redis") }, () => {
	const prefix = `redis-link-test-${randomBytes(4).toString("hex")}:`;
	const key = `${prefix}value`;
	let proxy: FaultProxy;
	let link: RedisLink;
	let direct: Redis;
	let cleans = 0;

	/** The read's outcome and how long it took. */
	async function timedRead(): Promise<{ value: string | null | RedisUnavailableError; ms: number }> {
		const startedAt = performance.now();
		const value = await link
			.read(redis => redis.get(key))
			.catch((err: unknown) => {
				assert.ok(err instanceof RedisUnavailableError, String(err));
				return err;
			});
		return { value, ms: performance.now() - startedAt };
	}

	const readsRedis = async () => (await timedRead()).value === "1";

	before(async () => {
		const redis = new URL(TEST_SERVICES.redis);
		proxy = await FaultProxy.start(Number(redis.port || 6379), redis.hostname);
		direct = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
		link = new RedisLink(proxy.urlFor(TEST_SERVICES.redis), {
			holds: "the test's values",
			clean: async () => {
				cleans++;
			}
		});
		await link.write(r => r.set(key, "1"));
		await eventually("the link reads Redis", readsRedis, ok => ok, 5000);
	});

	after(async () => {
		proxy.restore();
		await link.close();
		await deleteMatching(direct, `${prefix}*`);
		direct.disconnect();
		await proxy.close();
	});

	it("when Redis is cut then a read fails over within one command timeout, the next at once, and a write is skipped without an error", async () => {
		proxy.cut();
		const first = await timedRead();
		assert.ok(first.value instanceof RedisUnavailableError);
		assert.ok(first.ms <= READ_WITHIN_MS, `the first read took ${Math.round(first.ms)} ms`);
		const next = await timedRead();
		assert.ok(next.value instanceof RedisUnavailableError);
		assert.ok(next.ms < 50, `within the pause a read does not try Redis (${Math.round(next.ms)} ms)`);
		await link.write(r => r.set(key, "2"));
		assert.equal(await direct.get(key), "1", "the write was skipped");
	});

	it("when Redis is back after a missed write and a lost connection then the clean runs before reads use Redis again", async () => {
		const cleansBefore = cleans;
		proxy.restore();
		await eventually("the link reads Redis again", readsRedis, ok => ok, 10_000, 100);
		assert.equal(cleans, cleansBefore + 1, "one clean, before the first read served from Redis");
	});

	it("when only a read failed (a slow network, the connection kept) then nothing is cleaned", async () => {
		const cleansBefore = cleans;
		proxy.delay(REDIS_COMMAND_TIMEOUT_MS + 200);
		assert.ok((await timedRead()).value instanceof RedisUnavailableError, "the slow read failed over");
		proxy.restore();
		await delay(REDIS_PAUSE_MS);
		await eventually("the link reads Redis again", readsRedis, ok => ok, 5000, 100);
		assert.equal(cleans, cleansBefore, "no write was missed: no clean");
	});
});
