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

/** A contest's code problem (POST /api/contests/:id/problems): print a + b, one sample and one hidden test. */
export const SUM_CODE_PROBLEM = {
	kind: "code",
	title: "Sum",
	statement: "Print a + b.",
	timeLimitMs: 1000,
	memoryLimitMb: 64,
	tests: [
		{ input: "1 2\n", output: "3\n", sample: true },
		{ input: "20 22\n", output: "42\n" }
	]
};

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
				async () =>
					ok(
						await harness.api("GET", `/api/admin/audit?type=${type}&aggregateId=${contestId}&pageSize=100`, {
							token: admin.token
						})
					).rows as any[],
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
	/** A team contest's team size limit. */
	teams?: { maxSize: number } | null;
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
			return ok(
				await c.postProblem(id, as, {
					title: `Problem ${uniqueWord(6)}`,
					statement: "Find the *number*.",
					points: 1,
					answer,
					...extra
				}),
				201
			);
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
		leaderboard: (id: string, as?: Caller, queryString = "pageSize=100") =>
			h.api("GET", `/api/contests/${id}/leaderboard?${queryString}`, { token: as?.token }),
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
export async function play(
	clock: FakeClock,
	cast: Cast,
	submit: Submitter,
	attempts: Attempt[],
	solved = new Set<string>()
): Promise<void> {
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

/** A contest 10 minutes ahead, an hour long, with problems A and B, and these users registered (over the broker). */
export async function castOf(h: ContestsHarness, c: ContestsClient, organiser: TestUser, users: string[]): Promise<Cast> {
	const start = minutesAfter(h.clock, 10);
	const contest = await c.create(organiser, start, 60);
	const cast: Cast = { contestId: contest.id, startsAt: start, users: {}, problems: {} };
	for (const name of ["A", "B"]) {
		const answer = secretAnswer(name);
		cast.problems[name] = { id: (await c.addProblem(contest.id, organiser, answer)).id, answer };
	}
	for (const name of users) {
		cast.users[name] = { id: randomUUID() };
		await h.call("contests.register", { id: contest.id }, cast.users[name].id);
	}
	return cast;
}

/**
 * Reads the same leaderboard pages (anonymous, and as participants, with their own rows) before
 * and after each kind of change: a wrong try (no score moves), a solve that moves nobody, a solve
 * that reorders the board, a registration. Every read must show the change before it: a page or
 * an own row served from before would fail. The contest started minutes before the reads.
 */
export async function assertPagesFollowChanges(h: ContestsHarness, c: ContestsClient, organiser: TestUser): Promise<Cast> {
	const cast = await castOf(h, c, organiser, ["u1", "u2", "u3"]);
	const contest = { id: cast.contestId };
	const start = cast.startsAt;
	const join = async (name: string) => {
		cast.users[name] = { id: randomUUID() };
		await h.call("contests.register", { id: contest.id }, cast.users[name].id);
	};
	cast.users.u4 = { id: randomUUID() };
	await h.at(start);
	const submit = overBroker(h, cast);
	const solved = new Set<string>();
	await play(
		h.clock,
		cast,
		submit,
		[
			["01:00", "u1", "A", "AC"],
			["02:00", "u2", "A", "AC"]
		],
		solved
	);

	const views = async () => {
		const mine = (who: string) => h.call("contests.leaderboard", { id: contest.id, page: 2, pageSize: 2 }, cast.users[who].id);
		const all = await c.board(contest.id);
		const first = await c.board(contest.id, undefined, "page=1&pageSize=2");
		const second = await c.board(contest.id, undefined, "page=2&pageSize=2");
		const [u3, u4] = [await mine("u3"), await mine("u4")];
		return {
			all: byName(all.rows, cast),
			first: byName(first.rows, cast).map(r => r.who),
			second: byName(second.rows, cast).map(r => r.who),
			total: [all.total, second.total, second.totalPages],
			mine: { u3: u3.me && byName([u3.me], cast)[0], u4: u4.me && byName([u4.me], cast)[0] },
			asU3: byName(u3.rows, cast).map(r => r.who)
		};
	};
	const u1: NamedRow = { who: "u1", rank: 1, solved: 1, penalty: 1, problems: { A: [true, 0, 1] } };
	const u2: NamedRow = { who: "u2", rank: 2, solved: 1, penalty: 2, problems: { A: [true, 0, 2] } };
	let u3: NamedRow = { who: "u3", rank: 3, solved: 0, penalty: 0, problems: {} };
	// Twice: the second read is served from what the first cached, and must be the same.
	for (let i = 0; i < 2; i++) {
		assert.deepEqual(
			await views(),
			{ all: [u1, u2, u3], first: ["u1", "u2"], second: ["u3"], total: [3, 3, 2], mine: { u3, u4: null }, asU3: ["u3"] },
			"before any change"
		);
	}

	await play(h.clock, cast, submit, [["03:00", "u3", "B", "WA"]], solved);
	u3 = { ...u3, problems: { B: [false, 1, null] } };
	assert.deepEqual(
		await views(),
		{ all: [u1, u2, u3], first: ["u1", "u2"], second: ["u3"], total: [3, 3, 2], mine: { u3, u4: null }, asU3: ["u3"] },
		"a wrong try: no score moved, the rows show it"
	);

	await play(h.clock, cast, submit, [["04:00", "u3", "A", "AC"]], solved);
	u3 = { ...u3, solved: 1, penalty: 4, problems: { A: [true, 0, 4], B: [false, 1, null] } };
	assert.deepEqual(
		await views(),
		{ all: [u1, u2, u3], first: ["u1", "u2"], second: ["u3"], total: [3, 3, 2], mine: { u3, u4: null }, asU3: ["u3"] },
		"a solve that moves nobody"
	);

	await play(h.clock, cast, submit, [["06:00", "u3", "B", "AC"]], solved);
	u3 = { ...u3, rank: 1, solved: 2, penalty: 30, problems: { A: [true, 0, 4], B: [true, 1, 6] } };
	const [u1Second, u2Third] = [
		{ ...u1, rank: 2 },
		{ ...u2, rank: 3 }
	];
	assert.deepEqual(
		await views(),
		{ all: [u3, u1Second, u2Third], first: ["u3", "u1"], second: ["u2"], total: [3, 3, 2], mine: { u3, u4: null }, asU3: ["u2"] },
		"a solve that reorders the board"
	);

	await join("u4");
	const u4: NamedRow = { who: "u4", rank: 4, solved: 0, penalty: 0, problems: {} };
	assert.deepEqual(
		await views(),
		{
			all: [u3, u1Second, u2Third, u4],
			first: ["u3", "u1"],
			second: ["u2", "u4"],
			total: [4, 4, 2],
			mine: { u3, u4 },
			asU3: ["u2", "u4"]
		},
		"a registration"
	);
	return cast;
}

/** Team contests over HTTP: groups for the teams, and teams registered, listed and withdrawn. */
export function teamsClient(h: { api: Api }) {
	const t = {
		/** A group of `owner` that `members` joined (public and open; `private` once they joined). */
		async group(owner: TestUser, members: TestUser[], visibility: "public" | "private" = "public"): Promise<string> {
			const body = { name: `teams ${uniqueWord(8)}`, visibility: "public", joinPolicy: "open" };
			const group = ok(await h.api("POST", "/api/groups", { token: owner.token, body }), 201);
			for (const member of members) ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: member.token }));
			if (visibility === "private") ok(await h.api("PATCH", `/api/groups/${group.id}`, { token: owner.token, body: { visibility } }));
			return group.id as string;
		},
		register: (contestId: string, as: Caller, body: unknown) =>
			h.api("POST", `/api/contests/${contestId}/teams`, { token: as?.token, body }),
		/** Registers a team of these members, as `as`; asserts the 201. */
		async add(contestId: string, as: TestUser, groupId: string, members: TestUser[], name = `Team ${uniqueWord(8)}`) {
			return ok(await t.register(contestId, as, { groupId, name, memberIds: members.map(m => m.id) }), 201);
		},
		list: (contestId: string, as?: Caller, queryString = "pageSize=100") =>
			h.api("GET", `/api/contests/${contestId}/teams?${queryString}`, { token: as?.token }),
		async all(contestId: string, as?: Caller): Promise<any[]> {
			return ok(await t.list(contestId, as)).rows;
		},
		withdraw: (contestId: string, teamId: string, as: Caller) =>
			h.api("DELETE", `/api/contests/${contestId}/teams/${teamId}`, { token: as?.token })
	};
	return t;
}

/**
 * A team board's rows as the tests write them, in rank order (ties by name): the team's name (by
 * id in `names`), rank, solved, penalty or points, and its members' ids. A row naming a user fails.
 */
export function teamRows(rows: any[], names: Record<string, string>): [string, number, number, number, string[]][] {
	return rows
		.map(row => {
			assert.ok(row.team && !("userId" in row), `a team's row: ${JSON.stringify(row)}`);
			const name = Object.entries(names).find(([, id]) => id === row.team.id)?.[0] ?? row.team.id;
			const members = (row.team.members as { userId: string }[]).map(m => m.userId);
			return [name, row.rank, row.solved, row.penalty ?? row.points, members] as [string, number, number, number, string[]];
		})
		.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}
