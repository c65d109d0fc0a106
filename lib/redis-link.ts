import { Redis } from "ioredis";
import { boundedRedisOptions, REDIS_PAUSE_MS } from "./redis-options";

/** Redis could not serve a read: the caller answers from its database instead. */
export class RedisUnavailableError extends Error {
	constructor(cause?: unknown) {
		super(cause instanceof Error ? `Redis unavailable: ${cause.message}` : "Redis unavailable", { cause });
		this.name = "RedisUnavailableError";
	}
}

export interface RedisLinkLogger {
	warn(message: string): void;
	info(message: string): void;
}

export interface RedisLinkOptions {
	/** What the link holds, for the log: "the contest leaderboards". */
	holds: string;
	/**
	 * Forgets whatever may have missed a write (markers, or whole boards), so that readers rebuild
	 * it from the database. Runs once Redis answers again after a missed write or a lost connection,
	 * before the link serves reads again.
	 */
	clean(redis: Redis): Promise<void>;
	logger?: RedisLinkLogger;
}

/**
 * A Redis client for data derived from a database (the leaderboards), which the platform keeps
 * serving while Redis is away, in the manner of lib/resilient-redis-cacher.ts:
 * - a read waits half a second at most (lib/redis-options.ts), then throws RedisUnavailableError;
 * - a write never throws: one Redis cannot take is skipped (the database has it);
 * - after a failure, Redis is left alone for a second: an outage costs one such wait a second;
 * - once a write was missed, or the connection lost (Redis restarted, or the link cut, maybe for
 *   every node, some of which missed writes), what Redis holds may be stale: reads do not use it
 *   until `clean` has run, as soon as Redis answers again. Writes go on meanwhile: they only ever
 *   make Redis fresher, and skipping them during a clean could keep it stale for ever under load.
 */
export class RedisLink {
	readonly redis: Redis;
	private pausedUntil = 0;
	/** Writes missed so far (a lost connection counts as one), and how many of them a clean has covered. */
	private missed = 0;
	private cleaned = 0;
	private cleaning?: Promise<void>;
	/** An outage is logged once, at its start, and its end once. */
	private down = false;
	private closing = false;

	constructor(
		url: string,
		private readonly options: RedisLinkOptions
	) {
		this.redis = new Redis(boundedRedisOptions(url));
		this.redis.on("error", (err: Error) => this.failed(err));
		this.redis.on("close", () => this.lost());
		this.redis.on("ready", () => {
			this.pausedUntil = 0;
			this.startCleaning();
		});
	}

	/** Runs a read; throws RedisUnavailableError when Redis is away or what it holds may be stale. */
	async read<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
		if (!this.readable()) throw new RedisUnavailableError();
		try {
			const result = await command(this.redis);
			this.answered();
			return result;
		} catch (err) {
			this.failed(err);
			throw new RedisUnavailableError(err);
		}
	}

	/** Runs a write, or skips it when Redis is away (and marks what Redis holds as maybe stale); never throws. */
	async write(command: (redis: Redis) => Promise<unknown>): Promise<void> {
		if (this.paused()) {
			this.missed++;
			return;
		}
		this.startCleaning();
		try {
			await command(this.redis);
			this.answered();
		} catch (err) {
			this.missed++;
			this.failed(err);
		}
	}

	async close(): Promise<void> {
		this.closing = true;
		await this.cleaning;
		await this.redis.quit().catch(() => this.redis.disconnect());
	}

	private paused(): boolean {
		return Date.now() < this.pausedUntil;
	}

	private readable(): boolean {
		if (this.paused()) return false;
		if (this.missed === this.cleaned) return true;
		this.startCleaning();
		return false;
	}

	private startCleaning(): void {
		if (this.cleaning || this.closing || this.missed === this.cleaned || this.paused()) return;
		const upTo = this.missed;
		this.cleaning = this.options
			.clean(this.redis)
			.then(() => {
				this.cleaned = upTo;
				this.answered();
			}, this.failed)
			.finally(() => (this.cleaning = undefined));
	}

	/** The connection went: other nodes may have lost theirs and missed writes too. */
	private lost(): void {
		if (this.closing) return;
		this.missed++;
		this.failed(new Error("connection lost"));
	}

	private readonly failed = (err: unknown): void => {
		this.pausedUntil = Date.now() + REDIS_PAUSE_MS;
		if (this.down || this.closing) return;
		this.down = true;
		this.options.logger?.warn(
			`Redis unreachable (${(err as Error)?.message}): ${this.options.holds} are read from the database until it is back.`
		);
	};

	private answered(): void {
		if (!this.down || this.missed !== this.cleaned) return;
		this.down = false;
		this.options.logger?.info(
			`Redis is back: ${this.options.holds} are read from it again, rebuilt where they may have missed a write.`
		);
	}
}

/** Deletes every key matching the glob `pattern` (SCAN, then UNLINK a batch at a time), except those `keep` names. */
export async function deleteMatching(redis: Redis, pattern: string, keep: (key: string) => boolean = () => false): Promise<void> {
	let cursor = "0";
	do {
		const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
		const doomed = keys.filter(key => !keep(key));
		if (doomed.length) await redis.unlink(...doomed);
		cursor = next;
	} while (cursor !== "0");
}

/** `text` as a literal inside a Redis glob pattern. */
export function globLiteral(text: string): string {
	return text.replace(/[*?[\]\\]/g, "\\$&");
}
