/**
 * The board store family, as Moleculer core keeps its cachers: the interface (store.ts), one file
 * per implementation (memory.ts, redis.ts), and here the factory that picks one. The
 * implementations import the interface, never this file, so nothing circles back.
 */
import type { RedisLinkLogger } from "../../../lib/redis-link";
import { MemoryBoardStore } from "./memory";
import { RedisBoardStore } from "./redis";
import type { BoardStore } from "./store";

export type { BoardRead, BoardStore, Entry, Placed, Placement, Player, PlayerRow } from "./store";

/** Redis when the node has the Redis cacher (boards shared by every node), memory in one process; `logger` hears of Redis outages. */
export function createBoardStore(redisUrl: string | null, prefix: string, logger?: RedisLinkLogger): BoardStore {
	return redisUrl ? new RedisBoardStore(redisUrl, prefix, logger) : new MemoryBoardStore();
}
