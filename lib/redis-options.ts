import type { RedisOptions } from "ioredis";

/** How long a Redis command may take before its caller goes on without it. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
/** After a failed command, Redis is left alone this long: a silent network costs one timeout a second, not one per call. */
export const REDIS_PAUSE_MS = 1000;

/**
 * ioredis options for a Redis the platform can do without for a while (the cacher, counters): a
 * command waits half a second at most, queued while the connection is (re)opening or sent into a
 * silent network, so that callers fall back (to the database, to this node's memory) instead of
 * waiting. ioredis reconnects on its own meanwhile; callers leave Redis alone for a second after a
 * failure, so an outage costs a node one such wait a second.
 */
export function boundedRedisOptions(url: string): RedisOptions {
	const target = new URL(url);
	return {
		host: target.hostname,
		port: Number(target.port || 6379),
		username: decodeURIComponent(target.username) || undefined,
		password: decodeURIComponent(target.password) || undefined,
		db: Number(target.pathname.slice(1) || 0),
		...(target.protocol === "rediss:" ? { tls: {} } : {}),
		commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
		connectTimeout: 2000,
		maxRetriesPerRequest: 1
	};
}
