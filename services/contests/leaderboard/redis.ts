import { randomUUID } from "node:crypto";
import type { ChainableCommander, Redis } from "ioredis";
import { deleteMatching, globLiteral, RedisLink, type RedisLinkLogger } from "../../../lib/redis-link";
import type { Entry, Kept, LeaderboardStore, Placement } from "./store";
import type { Standing } from "../scoring";

/**
 * Raises scores (ZADD GT) and replaces each standing unless the stored one counts more attempts,
 * then sets a new version if the board is complete: one script, so no reader sees half of it. A
 * rebuild (an epoch given) does nothing if the epoch moved, and marks the board complete.
 * KEYS: the sorted set, the standings hash, the marker, the epoch. ARGV: the version, the epoch
 * ("" for a plain raise), then per placement user id, score, attempts, standing ("attempts|json").
 */
const RAISE = `
local rebuild = ARGV[2] ~= ""
if rebuild and (redis.call("GET", KEYS[4]) or "0") ~= ARGV[2] then return 0 end
for i = 3, #ARGV, 4 do
	local user, attempts = ARGV[i], tonumber(ARGV[i + 2])
	redis.call("ZADD", KEYS[1], "GT", ARGV[i + 1], user)
	local kept = redis.call("HGET", KEYS[2], user)
	if not kept or tonumber(string.match(kept, "^%d+")) <= attempts then redis.call("HSET", KEYS[2], user, ARGV[i + 3]) end
end
if rebuild then redis.call("SET", KEYS[3], ARGV[1]) else redis.call("SET", KEYS[3], ARGV[1], "XX") end
return 1
`;

/**
 * A board is a sorted set, beside a hash of its participants' standings; its `:complete` marker
 * holds the board's version. Every change sets a new random version, only if the marker exists
 * (XX), atomically with the change: a flushed board stays incomplete, and a version never comes
 * back after a flush. `<prefix>epoch` counts what left the boards (lib/redis-link.ts for Redis away).
 */
export class RedisLeaderboardStore implements LeaderboardStore {
	private readonly link: RedisLink;

	constructor(
		url: string,
		private readonly prefix: string,
		logger?: RedisLinkLogger
	) {
		this.link = new RedisLink(url, {
			holds: "the contest leaderboards",
			// The epoch first: a rebuild in flight elsewhere cannot then mark complete what it filled from before.
			clean: async redis => {
				await redis.incr(this.epochKey);
				await deleteMatching(redis, `${globLiteral(this.prefix)}*`, key => key === this.epochKey);
			},
			logger
		});
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

	private get epochKey() {
		return `${this.prefix}epoch`;
	}

	/** EXEC reports a failed command in its results, not by rejecting: rethrow it. */
	private async transact(multi: ChainableCommander) {
		const failed = (await multi.exec())?.find(([err]) => err);
		if (failed) throw failed[0];
	}

	private raiseIn(redis: Redis, board: string, placements: Placement[], epoch = "") {
		const args = placements.flatMap(p => [p.userId, p.score, p.attempts, `${p.attempts}|${JSON.stringify(p.standing)}`]);
		const keys = [this.key(board), this.standingsKey(board), this.marker(board), this.epochKey];
		return redis.eval(RAISE, keys.length, ...keys, randomUUID(), epoch, ...args) as Promise<number>;
	}

	async raise(board: string, placements: Placement[]) {
		if (placements.length) await this.link.write(redis => this.raiseIn(redis, board, placements));
	}

	async remove(board: string, userId: string) {
		await this.link.write(redis =>
			this.transact(
				redis
					.multi()
					.zrem(this.key(board), userId)
					.hdel(this.standingsKey(board), userId)
					.set(this.marker(board), randomUUID(), "XX")
					.incr(this.epochKey)
			)
		);
	}

	async range(board: string, offset: number, limit: number) {
		const flat = await this.link.read(redis => redis.zrevrange(this.key(board), offset, offset + limit - 1, "WITHSCORES"));
		const entries: Entry[] = [];
		for (let i = 0; i < flat.length; i += 2) entries.push({ userId: flat[i], score: Number(flat[i + 1]) });
		return entries;
	}

	async higherThan(board: string, score: number) {
		return this.link.read(redis => redis.zcount(this.key(board), `(${score}`, "+inf"));
	}

	async size(board: string) {
		return this.link.read(redis => redis.zcard(this.key(board)));
	}

	async standings(board: string, userIds: string[]) {
		const found = new Map<string, Kept>();
		if (!userIds.length) return found;
		const values = await this.link.read(redis => redis.hmget(this.standingsKey(board), ...userIds));
		userIds.forEach((userId, i) => {
			const value = values[i];
			if (!value) return;
			const bar = value.indexOf("|");
			found.set(userId, { attempts: Number(value.slice(0, bar)), standing: JSON.parse(value.slice(bar + 1)) as Standing });
		});
		return found;
	}

	async version(board: string) {
		return this.link.read(redis => redis.get(this.marker(board)));
	}

	async epoch() {
		return (await this.link.read(redis => redis.get(this.epochKey))) ?? "0";
	}

	/** Part of a read: if Redis fails meanwhile, the board stays incomplete and the reader answers from PostgreSQL. */
	async rebuild(board: string, placements: Placement[], epoch: string) {
		return (await this.link.read(redis => this.raiseIn(redis, board, placements, epoch))) === 1;
	}

	async drop(board: string) {
		await this.link.write(redis =>
			this.transact(redis.multi().del(this.key(board), this.standingsKey(board), this.marker(board)).incr(this.epochKey))
		);
	}

	async close() {
		await this.link.close();
	}
}
