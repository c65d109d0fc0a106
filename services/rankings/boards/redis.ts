import { randomUUID } from "node:crypto";
import type { ChainableCommander, Redis } from "ioredis";
import { pageRanks } from "../../../lib/rank-order";
import { deleteMatching, globLiteral, RedisLink, type RedisLinkLogger } from "../../../lib/redis-link";
import type { BoardRead, BoardStore, Entry, Placement, PlayerRow } from "./store";

/**
 * The writers' changes in one script, so that no reader sees half of them. KEYS: the rows hash,
 * then each board and its marker. ARGV: the number of rows, then per row its user id and JSON (""
 * forgets it), then per placement the board's number (1-based), the user id and the score ("" removes).
 */
const APPLY = `
local rows = tonumber(ARGV[1])
local i = 2
for _ = 1, rows do
	if ARGV[i + 1] == "" then redis.call("HDEL", KEYS[1], ARGV[i]) else redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1]) end
	i = i + 2
end
while i <= #ARGV do
	local k = tonumber(ARGV[i]) * 2
	if ARGV[i + 2] == "" then redis.call("ZREM", KEYS[k], ARGV[i + 1])
	elseif redis.call("EXISTS", KEYS[k + 1]) == 1 then redis.call("ZADD", KEYS[k], ARGV[i + 2], ARGV[i + 1]) end
	i = i + 3
end
`;

/**
 * A page in one round trip: nil if the board is not complete, else its size, how many entries
 * score above the page's first, the page's entries with scores, their rows, and the caller's
 * score, count above and row. KEYS: the board, its marker, the rows hash. ARGV: offset, limit, caller ("" for none).
 */
const READ = `
if redis.call("EXISTS", KEYS[2]) == 0 then return false end
local total = redis.call("ZCARD", KEYS[1])
local entries = {}
if tonumber(ARGV[2]) > 0 then entries = redis.call("ZREVRANGE", KEYS[1], ARGV[1], tonumber(ARGV[1]) + tonumber(ARGV[2]) - 1, "WITHSCORES") end
local above = 0
local ids = {}
if #entries > 0 then above = redis.call("ZCOUNT", KEYS[1], "(" .. entries[2], "+inf") end
for j = 1, #entries, 2 do ids[#ids + 1] = entries[j] end
local rows = {}
if #ids > 0 then rows = redis.call("HMGET", KEYS[3], unpack(ids)) end
local me = {}
if ARGV[3] ~= "" then
	local score = redis.call("ZSCORE", KEYS[1], ARGV[3])
	if score then me = { score, redis.call("ZCOUNT", KEYS[1], "(" .. score, "+inf"), redis.call("HGET", KEYS[3], ARGV[3]) } end
end
return { total, above, entries, rows, me }
`;

type ReadReply = [number, number, string[], (string | null)[], [string, number, string | null] | []] | null;

/** Placements per script call: a rating of 10,000 people is a few calls, none holding Redis long. */
const BATCH = 2000;
/** A rebuild's scratch key disappears on its own if its node dies before the swap. */
const SCRATCH_TTL_S = 600;

const rowOf = (json: string | null): PlayerRow | null => (json ? (JSON.parse(json) as PlayerRow) : null);

/**
 * Each board is a sorted set `<prefix>board:<name>` beside its marker `…:complete`; every player's
 * row is a field of the hash `<prefix>players`, shared by the boards. While Redis is away (lib/redis-link.ts)
 * reads and rebuilds throw RedisUnavailableError and writes are skipped; once it is back, every
 * board's marker is deleted before boards are read again, so each is rebuilt (whole: a rebuild
 * replaces the set) before it is served.
 */
export class RedisBoardStore implements BoardStore {
	private readonly link: RedisLink;

	constructor(
		url: string,
		private readonly prefix: string,
		logger?: RedisLinkLogger
	) {
		this.link = new RedisLink(url, {
			holds: "the ranking boards",
			clean: redis => deleteMatching(redis, `${globLiteral(this.key(""))}*:complete`),
			logger
		});
	}

	private key(board: string) {
		return `${this.prefix}board:${board}`;
	}

	private marker(board: string) {
		return `${this.key(board)}:complete`;
	}

	private get rowsKey() {
		return `${this.prefix}players`;
	}

	/** EXEC reports a failed command in its results, not by rejecting: rethrow it. */
	private async transact(multi: ChainableCommander) {
		const failed = (await multi.exec())?.find(([err]) => err);
		if (failed) throw failed[0];
	}

	async read(board: string, offset: number, limit: number, callerId?: string): Promise<BoardRead | null> {
		const reply = await this.link.read(
			async redis =>
				(await redis.eval(READ, 3, this.key(board), this.marker(board), this.rowsKey, offset, limit, callerId ?? "")) as ReadReply
		);
		if (!reply) return null;
		const [total, above, flat, rows, me] = reply;
		const ids: string[] = [];
		const scores: number[] = [];
		for (let i = 0; i < flat.length; i += 2) {
			ids.push(flat[i]);
			scores.push(Number(flat[i + 1]));
		}
		const ranks = pageRanks(offset, above, scores);
		return {
			total,
			rows: ids.map((userId, j) => ({ userId, rank: ranks[j], row: rowOf(rows[j]) })),
			me: me.length ? { userId: callerId!, rank: me[1] + 1, row: rowOf(me[2]) } : null
		};
	}

	async apply(rows: ReadonlyMap<string, PlayerRow | null>, placements: readonly Placement[]) {
		if (!rows.size && !placements.length) return;
		await this.link.write(redis => this.applyIn(redis, rows, placements));
	}

	private async applyIn(redis: Redis, rows: ReadonlyMap<string, PlayerRow | null>, placements: readonly Placement[]) {
		const rowArgs = [...rows].flatMap(([userId, row]) => [userId, row ? JSON.stringify(row) : ""]);
		for (let start = 0; start === 0 || start < placements.length; start += BATCH) {
			const batch = placements.slice(start, start + BATCH);
			const boards = [...new Set(batch.map(p => p.board))];
			const index = new Map(boards.map((b, i) => [b, i + 1]));
			const keys = [this.rowsKey, ...boards.flatMap(b => [this.key(b), this.marker(b)])];
			const args = batch.flatMap(p => [index.get(p.board)!, p.userId, p.score === null ? "" : String(p.score)]);
			// The rows go with the first batch.
			const head = start === 0 ? [rowArgs.length / 2, ...rowArgs] : [0];
			await redis.eval(APPLY, keys.length, ...keys, ...head, ...args);
		}
	}

	/** Part of a read: if Redis fails meanwhile, the board stays incomplete and the reader answers from PostgreSQL. */
	async replace(board: string, entries: readonly Entry[], rows: ReadonlyMap<string, PlayerRow>) {
		await this.link.read(redis => this.replaceIn(redis, board, entries, rows));
	}

	private async replaceIn(redis: Redis, board: string, entries: readonly Entry[], rows: ReadonlyMap<string, PlayerRow>) {
		const scratch = `${this.prefix}scratch:${randomUUID()}`;
		for (let start = 0; start < entries.length; start += BATCH) {
			const batch = entries.slice(start, start + BATCH).flatMap(e => [e.score, e.userId]);
			await this.transact(
				redis
					.multi()
					.zadd(scratch, ...batch)
					.expire(scratch, SCRATCH_TTL_S)
			);
		}
		const list = [...rows];
		for (let start = 0; start < list.length; start += BATCH) {
			await redis.hset(this.rowsKey, ...list.slice(start, start + BATCH).flatMap(([userId, row]) => [userId, JSON.stringify(row)]));
		}
		const swap = redis.multi();
		if (entries.length) swap.rename(scratch, this.key(board)).persist(this.key(board));
		else swap.del(this.key(board));
		await this.transact(swap.set(this.marker(board), "1"));
	}

	async complete(board: string) {
		return (await this.link.read(redis => redis.exists(this.marker(board)))) === 1;
	}

	async drop(boards: readonly string[]) {
		if (boards.length) await this.link.write(redis => redis.del(...boards.flatMap(b => [this.key(b), this.marker(b)])));
	}

	async close() {
		await this.link.close();
	}
}
