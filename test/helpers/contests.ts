/**
 * Helpers for the contests API tests: the platform on real PostgreSQL (and Redis) with a clock the
 * tests move, contests over HTTP, scripted submissions, leaderboards by name, and the scans that
 * look for leaked answers in responses, events and Redis.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { Client } from "pg";
import type { Clock } from "../../lib/clock";
import { scratchDatabase } from "./database";
import { eventually } from "./eventually";
import type { Api, ApiResponse } from "./http";
import { type Platform, startPlatform } from "./platform";
import { register, registerAdmin, registerMany, type TestUser } from "./accounts";
import { assertError, ok, uniqueWord } from "./posts";
import { TEST_SERVICES } from "./services";

export { assertError, ok, type TestUser, uniqueWord };

export const MINUTE = 60_000;

/** A clock the tests set and move; the contests service reads time only from its clock. */
export class FakeClock implements Clock {
	private ms: number;

	constructor(start: Date | number) {
		this.ms = Number(start);
	}

	now(): Date {
		return new Date(this.ms);
	}

	set(at: Date | number): void {
		this.ms = Number(at);
	}

	advance(ms: number): void {
		this.ms += ms;
	}
}

/** What the tests reach inside a contests service instance: its clock and its scheduler. */
export interface ContestsInstance {
	clock: Clock;
	scheduler: { tick(): Promise<void> };
}

export function contestsInstance(platform: Platform): ContestsInstance {
	const svc = platform.broker.getLocalService("contests") as unknown as ContestsInstance | undefined;
	assert.ok(svc?.scheduler, `no started contests service on ${platform.broker.nodeID}`);
	return svc;
}

/**
 * One scheduler pass by the current clock, completed. Twice: `tick()` hands back a pass already in
 * flight (the service also ticks every second), and that one may have read the clock before it moved.
 */
export async function tickNow(svc: ContestsInstance): Promise<void> {
	await svc.scheduler.tick();
	await svc.scheduler.tick();
}

/** Call options as the gateway would send them for this user id. */
export function asUser(id: string, role: "user" | "admin" = "user") {
	return { meta: { user: { id, role, sessionId: randomUUID() } } };
}

/** A whole minute at least `minutes` after the clock's now: contest times are easy to read. */
export function minutesAfter(clock: Clock, minutes: number): Date {
	return new Date(Math.ceil(clock.now().getTime() / MINUTE) * MINUTE + minutes * MINUTE);
}

/** "mm:ss" (minutes may exceed 59) as milliseconds. */
export function offset(mmss: string): number {
	const [m, s] = mmss.split(":").map(Number);
	return m * MINUTE + s * 1000;
}

/** Every key of a namespace (caches, counters, rate limits, leaderboards) with its value. */
export async function redisDump(namespace: string): Promise<{ key: string; type: string; value: unknown }[]> {
	const redis = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
	try {
		const keys = await scanKeys(redis, [`${namespace}:*`, `${namespace}-*`]);
		const dump: { key: string; type: string; value: unknown }[] = [];
		for (const key of keys) {
			const type = await redis.type(key);
			const value =
				type === "string"
					? await redis.get(key)
					: type === "zset"
						? await redis.zrange(key, 0, -1, "WITHSCORES")
						: type === "hash"
							? await redis.hgetall(key)
							: type === "list"
								? await redis.lrange(key, 0, -1)
								: type === "set"
									? await redis.smembers(key)
									: type === "none"
										? null
										: `<${type}>`;
			dump.push({ key, type, value });
		}
		return dump;
	} finally {
		redis.disconnect();
	}
}

/** Deletes the namespace's leaderboard keys (Redis losing them); how many there were. */
export async function dropLeaderboards(namespace: string): Promise<string[]> {
	const redis = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
	try {
		const keys = await scanKeys(redis, [`${namespace}:leaderboard:*`]);
		if (keys.length) await redis.del(...keys);
		return keys;
	} finally {
		redis.disconnect();
	}
}

async function scanKeys(redis: Redis, patterns: string[]): Promise<string[]> {
	const keys = new Set<string>();
	for (const pattern of patterns) {
		let cursor = "0";
		do {
			const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
			cursor = next;
			for (const key of batch) keys.add(key);
		} while (cursor !== "0");
	}
	return [...keys];
}

/** One query on a database, with a client of its own. */
export async function query<T = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
	const client = new Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query(sql, params)).rows as T[];
	} finally {
		await client.end();
	}
}

/**
 * The gateway with users, groups, contests and audit, each on its own scratch database; Redis as
 * cacher (and leaderboard) under a namespace of its own unless `redis: false`. Every HTTP response
 * is kept in `seen`, for the scans that prove no answer leaks. The contests service reads `clock`.
 */
export function contestsPlatform(options: { redis?: boolean; env?: Record<string, string> } = {}) {
	const dbs = {
		users: scratchDatabase("codelearn_test_users"),
		groups: scratchDatabase("codelearn_test_groups"),
		contests: scratchDatabase("codelearn_test_contests"),
		audit: scratchDatabase("codelearn_test_audit")
	};
	let platform: Platform | undefined;
	const seen: string[] = [];

	const harness = {
		namespace: `contests-test-${randomBytes(4).toString("hex")}`,
		dbs,
		/** Starts on a whole minute: contest times in the tests are minutes from it. */
		clock: new FakeClock(Math.ceil(Date.now() / MINUTE) * MINUTE),
		/** Each response as text: method, path, status, headers and body. */
		seen,

		get platform(): Platform {
			assert.ok(platform, "platform started");
			return platform;
		},
		get service(): ContestsInstance {
			return contestsInstance(harness.platform);
		},

		/** The gateway, with every response remembered. */
		api: (async (method: string, path: string, opts?: Parameters<Api>[2]): Promise<ApiResponse> => {
			const res = await harness.platform.api(method, path, opts);
			seen.push(`${method} ${path} ${res.status} ${JSON.stringify([...res.headers])} ${JSON.stringify(res.body)}`);
			return res;
		}) as Api,

		/** A broker call as this user id, its result remembered like a response. */
		async call<T = any>(action: string, params: object, userId: string): Promise<T> {
			const result = await harness.platform.broker.call<T, object>(action, params, asUser(userId));
			seen.push(`${action} ${JSON.stringify(result)}`);
			return result;
		},

		async start() {
			platform = await startPlatform({
				SERVICES: "gateway,users,groups,contests,audit",
				NAMESPACE: harness.namespace,
				...(options.redis === false ? {} : { CACHER: TEST_SERVICES.redis }),
				USERS_DATABASE_URL: dbs.users.url,
				GROUPS_DATABASE_URL: dbs.groups.url,
				CONTESTS_DATABASE_URL: dbs.contests.url,
				AUDIT_DATABASE_URL: dbs.audit.url,
				// Hundreds of requests from one address within a minute: not what these tests are about.
				RATE_LIMIT_MAX: "1000000",
				ACCESS_TOKEN_TTL_S: "3600",
				// A loaded machine: a hundred concurrent submissions queue for the database.
				REQUEST_TIMEOUT_MS: "20000",
				...options.env
			});
			harness.service.clock = harness.clock;
		},

		async stop() {
			await platform?.stop();
			await Promise.all(Object.values(dbs).map(db => db.drop()));
		},

		/** Moves the clock and runs the scheduler's transitions at once. */
		async at(when: Date | number) {
			harness.clock.set(when);
			await tickNow(harness.service);
		},

		register: (prefix = "user") => register(harness.api, prefix),
		registerMany: (count: number, prefix = "user") => registerMany(harness.api, count, prefix),
		registerAdmin: () => registerAdmin(harness.api, harness.platform.broker),

		/** The audit rows of one contest's events of one type, waiting until `accept` holds (delivery is asynchronous). */
		async audited(admin: TestUser, contestId: string, type: string, accept: (rows: any[]) => boolean = rows => rows.length > 0) {
			return eventually(
				`${type} of contest ${contestId} in the audit trail`,
				async () => ok(await harness.api("GET", `/api/admin/audit?type=${type}&aggregateId=${contestId}&pageSize=100`, { token: admin.token })).rows as any[],
				accept,
				30_000,
				200
			);
		},

		/** The whole audit trail, every page. */
		async auditTrail(admin: TestUser): Promise<any[]> {
			const rows: any[] = [];
			for (let page = 1; ; page++) {
				const body = ok(await harness.api("GET", `/api/admin/audit?page=${page}&pageSize=100`, { token: admin.token }));
				rows.push(...body.rows);
				if (page >= body.totalPages) return rows;
			}
		},

		/** A query on the contests service's database. */
		contestsDb<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
			return query<T>(dbs.contests.url, sql, params);
		}
	};
	return harness;
}

export type ContestsHarness = ReturnType<typeof contestsPlatform>;

export interface ContestBody {
	title?: string;
	description?: string;
	startsAt: string;
	endsAt: string;
	scoring: "icpc" | "points";
	groupId?: string;
	freezeMinutes?: number | null;
}

/** Who calls: a user with a token, or nobody (anonymous). */
type Caller = { token?: string } | undefined;

/** Contest calls over HTTP; `create*`, `addProblem`, `join` and `board` assert their own success. */
export function contestsClient(h: { api: Api }) {
	const c = {
		/** A valid body: starts at `start`, lasts `minutes`. */
		body(start: Date, minutes: number, extra: Partial<ContestBody> = {}): ContestBody {
			return {
				title: `Contest ${uniqueWord(8)}`,
				description: "Answers only: compute and submit.",
				startsAt: start.toISOString(),
				endsAt: new Date(start.getTime() + minutes * MINUTE).toISOString(),
				scoring: "icpc",
				...extra
			};
		},
		post: (as: Caller, body: unknown) => h.api("POST", "/api/contests", { token: as?.token, body }),
		async create(as: Caller, start: Date, minutes: number, extra: Partial<ContestBody> = {}) {
			return ok(await c.post(as, c.body(start, minutes, extra)), 201);
		},
		get: (id: string, as?: Caller) => h.api("GET", `/api/contests/${id}`, { token: as?.token }),
		async read(id: string, as?: Caller) {
			return ok(await c.get(id, as));
		},
		list: (queryString: string, as?: Caller) => h.api("GET", `/api/contests?${queryString}`, { token: as?.token }),
		/** Every row of a listing, all pages. */
		async all(queryString: string, as?: Caller): Promise<any[]> {
			const rows: any[] = [];
			for (let page = 1; ; page++) {
				const body = ok(await c.list(`${queryString}&page=${page}&pageSize=100`, as));
				rows.push(...body.rows);
				if (page >= body.totalPages) return rows;
			}
		},
		patch: (id: string, as: Caller, body: unknown) => h.api("PATCH", `/api/contests/${id}`, { token: as?.token, body }),
		remove: (id: string, as: Caller) => h.api("DELETE", `/api/contests/${id}`, { token: as?.token }),
		postProblem: (id: string, as: Caller, body: unknown) => h.api("POST", `/api/contests/${id}/problems`, { token: as?.token, body }),
		async addProblem(id: string, as: Caller, answer: string, extra: Record<string, unknown> = {}) {
			return ok(await c.postProblem(id, as, { title: `Problem ${uniqueWord(6)}`, statement: "Find the *number*.", points: 1, answer, ...extra }), 201);
		},
		problems: (id: string, as?: Caller) => h.api("GET", `/api/contests/${id}/problems`, { token: as?.token }),
		register: (id: string, as: Caller) => h.api("POST", `/api/contests/${id}/register`, { token: as?.token }),
		async join(id: string, ...users: Caller[]) {
			for (const user of users) ok(await c.register(id, user), 201);
		},
		submit: (id: string, problemId: string, as: Caller, answer: unknown) =>
			h.api("POST", `/api/contests/${id}/problems/${problemId}/submissions`, { token: as?.token, body: { answer } }),
		mine: (id: string, as: Caller) => h.api("GET", `/api/contests/${id}/submissions/me`, { token: as?.token }),
		async mySubmissions(id: string, as: Caller): Promise<any[]> {
			return ok(await c.mine(id, as));
		},
		leaderboard: (id: string, as?: Caller, queryString = "pageSize=100") => h.api("GET", `/api/contests/${id}/leaderboard?${queryString}`, { token: as?.token }),
		async board(id: string, as?: Caller, queryString = "pageSize=100") {
			return ok(await c.leaderboard(id, as, queryString));
		}
	};
	return c;
}

export type ContestsClient = ReturnType<typeof contestsClient>;

/** A problem's result as the tests write it: [solved, wrongTries, solvedAtMinute]. */
export type Cell = [boolean, number, number | null];

/** A leaderboard row with names for users and problems, as the hand-computed tables are written. */
export interface NamedRow {
	who: string;
	rank: number;
	solved: number;
	penalty?: number;
	points?: number;
	problems: Record<string, Cell>;
}

/** The players of a scenario: users and problems by name, and each problem's answer. */
export interface Cast {
	contestId: string;
	startsAt: Date;
	users: Record<string, { id: string; token?: string }>;
	problems: Record<string, { id: string; answer: string }>;
}

/** Rows by name, in rank order (ties by name: their order is not specified). */
export function byName(rows: any[], cast: Cast): NamedRow[] {
	const userName = new Map(Object.entries(cast.users).map(([name, u]) => [u.id, name]));
	const problemName = new Map(Object.entries(cast.problems).map(([name, p]) => [p.id, name]));
	return sortRows(
		rows.map(row => {
			const named: NamedRow = { who: userName.get(row.userId) ?? row.userId, rank: row.rank, solved: row.solved, problems: {} };
			if ("penalty" in row) named.penalty = row.penalty;
			if ("points" in row) named.points = row.points;
			for (const [id, r] of Object.entries(row.problems as Record<string, any>)) {
				named.problems[problemName.get(id) ?? id] = [r.solved, r.wrongTries, r.solvedAtMinute];
			}
			const extra = Object.keys(row).filter(k => !["rank", "userId", "solved", "penalty", "points", "problems"].includes(k));
			assert.deepEqual(extra, [], `no other fields in a leaderboard row: ${JSON.stringify(row)}`);
			return named;
		})
	);
}

export function sortRows(rows: NamedRow[]): NamedRow[] {
	return [...rows].sort((a, b) => a.rank - b.rank || a.who.localeCompare(b.who));
}

/** A scripted submission: "mm:ss" after the start, who, which problem, the right answer or a wrong one. */
export type Attempt = [at: string, who: string, problem: string, answer: "AC" | "WA"];

/** Submits an answer as a named player; resolves to the submission view (a refusal rejects or fails). */
export type Submitter = (who: string, problemId: string, answer: string) => Promise<any>;

export function overHttp(c: ContestsClient, cast: Cast): Submitter {
	return async (who, problemId, answer) => ok(await c.submit(cast.contestId, problemId, cast.users[who], answer), 201);
}

export function overBroker(h: ContestsHarness, cast: Cast): Submitter {
	return (who, problemId, answer) => h.call("contests.submit", { id: cast.contestId, problemId, answer }, cast.users[who].id);
}

/**
 * Plays the attempts in order, the clock set to each one's time: each is accepted (201) and judged
 * as scripted, and only a problem's first accepted answer scores.
 */
export async function play(clock: FakeClock, cast: Cast, submit: Submitter, attempts: Attempt[], solved = new Set<string>()): Promise<void> {
	for (const [at, who, problem, answer] of attempts) {
		clock.set(cast.startsAt.getTime() + offset(at));
		const p = cast.problems[problem];
		const view = await submit(who, p.id, answer === "AC" ? p.answer : `wrong ${uniqueWord(6)}`);
		const key = `${who}/${problem}`;
		assert.equal(view.verdict, answer === "AC" ? "accepted" : "wrong", `${at} ${key} ${answer}`);
		assert.equal(view.scored, answer === "AC" && !solved.has(key), `${at} ${key}: only the first accepted answer scores`);
		assert.equal(view.submittedAt, clock.now().toISOString(), "judged at the service's time");
		if (answer === "AC") solved.add(key);
	}
}

/** A distinctive answer: lowercase consonants that no id, hash or word of the tests contains. */
export function secretAnswer(label = "ans"): string {
	return `${label}-${uniqueWord(10)}-${uniqueWord(6)}`;
}

/** Where in `texts` any of the needles occurs (case-insensitive): "<what>: <needle>" for each hit. */
export function leaks(what: string, texts: string[], needles: string[]): string[] {
	const found: string[] = [];
	const lowered = texts.map(t => t.toLowerCase());
	for (const needle of needles) {
		const n = needle.toLowerCase();
		const hit = lowered.find(t => t.includes(n));
		if (hit !== undefined) found.push(`${what}: ${needle} in ${hit.slice(Math.max(0, hit.indexOf(n) - 200), hit.indexOf(n) + 200)}`);
	}
	return found;
}
