import { randomUUID } from "node:crypto";
import { type ChainableCommander, Redis } from "ioredis";
import type { Entry, Kept, LeaderboardStore, Placement } from "./store";
import type { Standing } from "../scoring";

/**
 * Raises scores (ZADD GT) and replaces each standing unless the stored one counts more attempts,
 * then sets a new version if the board is complete: one script, so no reader sees half of it.
 * KEYS: the sorted set, the standings hash, the marker. ARGV: the version, then per placement
 * user id, score, attempts, standing ("attempts|json").
 */
const RAISE = `
for i = 2, #ARGV, 4 do
	local user, attempts = ARGV[i], tonumber(ARGV[i + 2])
	redis.call("ZADD", KEYS[1], "GT", ARGV[i + 1], user)
	local kept = redis.call("HGET", KEYS[2], user)
	if not kept or tonumber(string.match(kept, "^%d+")) <= attempts then redis.call("HSET", KEYS[2], user, ARGV[i + 3]) end
end
redis.call("SET", KEYS[3], ARGV[1], "XX")
`;

/**
 * A board is a sorted set, beside a hash of its participants' standings; its `:complete` marker
 * holds the board's version. Every change sets a new random version, only if the marker exists
 * (XX), atomically with the change: a flushed board stays incomplete, and a version never comes
 * back after a flush.
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

	private standingsKey(board: string) {
		return `${this.key(board)}:standings`;
	}

	private marker(board: string) {
		return `${this.key(board)}:complete`;
	}

	/** EXEC reports a failed command in its results, not by rejecting: rethrow it. */
	private async transact(multi: ChainableCommander) {
		const failed = (await multi.exec())?.find(([err]) => err);
		if (failed) throw failed[0];
	}

	async raise(board: string, placements: Placement[]) {
		if (!placements.length) return;
		const args = placements.flatMap(p => [p.userId, p.score, p.attempts, `${p.attempts}|${JSON.stringify(p.standing)}`]);
		await this.redis.eval(RAISE, 3, this.key(board), this.standingsKey(board), this.marker(board), randomUUID(), ...args);
	}

	async remove(board: string, userId: string) {
		await this.transact(
			this.redis
				.multi()
				.zrem(this.key(board), userId)
				.hdel(this.standingsKey(board), userId)
				.set(this.marker(board), randomUUID(), "XX")
		);
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

	async standings(board: string, userIds: string[]) {
		const found = new Map<string, Kept>();
		if (!userIds.length) return found;
		const values = await this.redis.hmget(this.standingsKey(board), ...userIds);
		userIds.forEach((userId, i) => {
			const value = values[i];
			if (!value) return;
			const bar = value.indexOf("|");
			found.set(userId, { attempts: Number(value.slice(0, bar)), standing: JSON.parse(value.slice(bar + 1)) as Standing });
		});
		return found;
	}

	async version(board: string) {
		return this.redis.get(this.marker(board));
	}

	async markComplete(board: string) {
		await this.redis.set(this.marker(board), randomUUID());
	}

	async drop(board: string) {
		await this.redis.del(this.key(board), this.standingsKey(board), this.marker(board));
	}

	async close() {
		await this.redis.quit().catch(() => this.redis.disconnect());
	}
}
