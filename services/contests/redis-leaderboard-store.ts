import { randomUUID } from "node:crypto";
import { type ChainableCommander, Redis } from "ioredis";
import type { Entry, LeaderboardStore } from "./leaderboard-store";

/**
 * A board is a sorted set; its `:complete` marker holds the board's version. Every change sets a
 * new random version, only if the marker exists (XX), in the same MULTI as the change: a flushed
 * board stays incomplete, and a version never comes back after a flush.
 */
export class RedisLeaderboardStore implements LeaderboardStore {
	private readonly redis: Redis;

	constructor(
		url: string,
		private readonly prefix: string
	) {
		this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
	}

	private key(board: string) {
		return `${this.prefix}${board}`;
	}

	private marker(board: string) {
		return `${this.key(board)}:complete`;
	}

	/** EXEC reports a failed command in its results, not by rejecting: rethrow it. */
	private async transact(multi: ChainableCommander) {
		const failed = (await multi.exec())?.find(([err]) => err);
		if (failed) throw failed[0];
	}

	async raise(board: string, entries: Entry[]) {
		if (!entries.length) return;
		await this.transact(
			this.redis
				.multi()
				.zadd(this.key(board), "GT", ...entries.flatMap(e => [e.score, e.userId]))
				.set(this.marker(board), randomUUID(), "XX")
		);
	}

	async remove(board: string, userId: string) {
		await this.transact(this.redis.multi().zrem(this.key(board), userId).set(this.marker(board), randomUUID(), "XX"));
	}

	async range(board: string, offset: number, limit: number) {
		const flat = await this.redis.zrevrange(this.key(board), offset, offset + limit - 1, "WITHSCORES");
		const entries: Entry[] = [];
		for (let i = 0; i < flat.length; i += 2) entries.push({ userId: flat[i], score: Number(flat[i + 1]) });
		return entries;
	}

	async higherThan(board: string, score: number) {
		return this.redis.zcount(this.key(board), `(${score}`, "+inf");
	}

	async size(board: string) {
		return this.redis.zcard(this.key(board));
	}

	async version(board: string) {
		return this.redis.get(this.marker(board));
	}

	async markComplete(board: string) {
		await this.redis.set(this.marker(board), randomUUID());
	}

	async bump(board: string) {
		await this.redis.set(this.marker(board), randomUUID(), "XX");
	}

	async drop(board: string) {
		await this.redis.del(this.key(board), this.marker(board));
	}

	async close() {
		await this.redis.quit().catch(() => this.redis.disconnect());
	}
}
