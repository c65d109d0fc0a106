/**
 * The leaderboard store family, as Moleculer core keeps its cachers: the interface (store.ts), one
 * file per implementation (memory.ts, redis.ts), and here the factory that picks one. The
 * implementations import the interface, never this file, so nothing circles back.
 */
import type { RedisLinkLogger } from "../../../lib/redis-link";
import { MemoryLeaderboardStore } from "./memory";
import { RedisLeaderboardStore } from "./redis";
import type { LeaderboardStore } from "./store";

export type { Entry, Kept, LeaderboardStore, Placement } from "./store";

/** Redis when the node has the Redis cacher (boards shared by every node), memory in one process; `logger` hears of Redis outages. */
export function createLeaderboardStore(redisUrl: string | null, prefix: string, logger?: RedisLinkLogger): LeaderboardStore {
	return redisUrl ? new RedisLeaderboardStore(redisUrl, prefix, logger) : new MemoryLeaderboardStore();
}
