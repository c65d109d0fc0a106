import { Redis } from "ioredis";
import { boundedRedisOptions, REDIS_PAUSE_MS } from "./redis-options";

export interface WindowCount {
	count: number;
	/** Milliseconds until this key's window ends. */
	resetInMs: number;
}

/**
 * Fixed-window counters for rate limits and login throttling: in memory in one process, in
 * Redis in a cluster so that every gateway and users replica sees the same counts. While Redis
 * is away each node counts in its own memory: limits still hold, per node, and nothing waits.
 */
export interface CounterStore {
	increment(key: string, windowMs: number): Promise<WindowCount>;
	peek(key: string): Promise<WindowCount>;
	reset(key: string): Promise<void>;
	close(): Promise<void>;
}

class MemoryCounterStore implements CounterStore {
	private readonly counters = new Map<string, { count: number; expiresAt: number }>();
	private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

	async increment(key: string, windowMs: number) {
		const now = Date.now();
		let entry = this.counters.get(key);
		if (!entry || entry.expiresAt <= now) {
			entry = { count: 0, expiresAt: now + windowMs };
			this.counters.set(key, entry);
		}
		entry.count++;
		return { count: entry.count, resetInMs: entry.expiresAt - now };
	}

	async peek(key: string) {
		const now = Date.now();
		const entry = this.counters.get(key);
		return entry && entry.expiresAt > now ? { count: entry.count, resetInMs: entry.expiresAt - now } : { count: 0, resetInMs: 0 };
	}

	async reset(key: string) {
		this.counters.delete(key);
	}

	async close() {
		clearInterval(this.sweeper);
	}

	private sweep() {
		const now = Date.now();
		for (const [key, entry] of this.counters) if (entry.expiresAt <= now) this.counters.delete(key);
	}
}

/** INCR and the window's expiry in one atomic step, so a key can never be left without a TTL. */
const INCREMENT_SCRIPT = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
return { count, redis.call("PTTL", KEYS[1]) }`;

class RedisCounterStore implements CounterStore {
	private readonly redis: Redis;
	/** Counts while Redis is away. */
	private readonly fallback = new MemoryCounterStore();
	/** After a failure Redis is left alone this long (lib/redis-options.ts). */
	private pausedUntil = 0;

	constructor(
		url: string,
		private readonly prefix: string
	) {
		this.redis = new Redis(boundedRedisOptions(url));
		this.redis.on("error", () => {}); // each command falls back; readiness reports Redis
	}

	async increment(key: string, windowMs: number) {
		if (Date.now() < this.pausedUntil) return this.fallback.increment(key, windowMs);
		try {
			const [count, ttl] = (await this.redis.eval(INCREMENT_SCRIPT, 1, this.prefix + key, windowMs)) as [number, number];
			return { count, resetInMs: Math.max(ttl, 0) };
		} catch {
			this.pausedUntil = Date.now() + REDIS_PAUSE_MS;
			return this.fallback.increment(key, windowMs);
		}
	}

	async peek(key: string) {
		if (Date.now() < this.pausedUntil) return this.fallback.peek(key);
		try {
			const [count, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
			return { count: Number(count ?? 0), resetInMs: Math.max(ttl, 0) };
		} catch {
			this.pausedUntil = Date.now() + REDIS_PAUSE_MS;
			return this.fallback.peek(key);
		}
	}

	async reset(key: string) {
		await Promise.all([this.fallback.reset(key), this.redis.del(this.prefix + key).catch(() => {})]);
	}

	async close() {
		await this.fallback.close();
		await this.redis.quit().catch(() => this.redis.disconnect());
	}
}

export function createCounterStore(redisUrl: string | null, prefix: string): CounterStore {
	return redisUrl ? new RedisCounterStore(redisUrl, prefix) : new MemoryCounterStore();
}
