/**
 * The leaderboard store family, as Moleculer core keeps its cachers: the interface (store.ts), one
 * file per implementation (memory.ts, redis.ts), and here the factory that picks one. The
 * implementations import the interface, never this file, so nothing circles back.
 */
import { MemoryLeaderboardStore } from "./memory";
import { RedisLeaderboardStore } from "./redis";
import type { LeaderboardStore } from "./store";

export type { Entry, Kept, LeaderboardStore, Placement } from "./store";

export function createLeaderboardStore(redisUrl: string | null, prefix: string): LeaderboardStore {
	return redisUrl ? new RedisLeaderboardStore(redisUrl, prefix) : new MemoryLeaderboardStore();
}
