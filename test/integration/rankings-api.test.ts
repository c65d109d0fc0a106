/**
 * The rankings service through the gateway, in one process on the real PostgreSQL and Redis, fed
 * by the real producers: users register and delete their accounts, groups are joined and left,
 * contests run on a clock the tests move, archive problems are published and their submissions
 * judged (the tests play the judge through its two internal actions, so verdicts are chosen).
 * What the tests observe: the API (each answer checked against the served OpenAPI document), the
 * rankings database, and Redis. A last suite runs one process on PGlite with boards in memory.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import { Redis } from "ioredis";
import { createEvent, type DomainEvent } from "../../lib/events/envelope";
import type { ContestEndedEvent } from "../../services/contests/contests.contract";
import { rateContest } from "../../services/rankings/rating/codeforces";
import { registerMany, type TestUser } from "../helpers/accounts";
import { assertError, contestsClient, contestsPlatform, MINUTE, minutesAfter, ok, query, secretAnswer } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { judgedEvent, playJudge } from "../helpers/judge";
import { uniqueName } from "../helpers/groups";
import type { Api, ApiResponse } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** From the producer's commit to the boards, with margin for a loaded machine. */
const DELIVERY_MS = 20_000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;
const SUM_TESTS = [
	{ input: "1 2\n", output: "3\n", sample: true },
	{ input: "20 22\n", output: "42\n" }
];

type Ended = DomainEvent<ContestEndedEvent, "contest.ended">;

interface Inbox {
	deliver(event: DomainEvent<unknown>): Promise<void>;
}

/** A board's rows as [rank, username, rating, solved]: comparable at a glance. */
type Line = [number, string | null, number | null, number];
const lines = (rows: any[]): Line[] => rows.map(r => [r.rank, r.user.username, r.rating, r.solved]);
/** Rows in rank order; equal ranks by name (their order on the board is by user id). */
const sorted = (rows: Line[]) => [...rows].sort((a, b) => a[0] - b[0] || String(a[1]).localeCompare(String(b[1])));

/** The rankings routes' answers, each checked against the response schema the served OpenAPI document declares. */
function rankingsClient(api: () => Api) {
	let doc: any;
	const ajv = new Ajv2020({ strict: true, validateFormats: false });
	const validators = new Map<string, ReturnType<Ajv2020["compile"]>>();

	const checked = (route: string, res: ApiResponse) => {
		if (res.status !== 200) return res;
		let validate = validators.get(route);
		if (!validate) {
			const [method, template] = route.split(" ");
			const operation = doc.paths[`/api${template.replace(/:(\w+)/g, "{$1}")}`][method.toLowerCase()];
			validate = ajv.compile(operation.responses["200"].content["application/json"].schema);
			validators.set(route, validate);
		}
		assert.ok(validate(res.body), `${route}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(res.body)}`);
		return res;
	};

	const r = {
		async load() {
			doc = ok(await api()("GET", "/api/openapi.json"));
		},
		global: async (queryString = "", as?: TestUser) =>
			checked("GET /leaderboard", await api()("GET", `/api/leaderboard?${queryString}`, { token: as?.token })),
		group: async (id: string, queryString = "", as?: TestUser) =>
			checked(
				"GET /groups/:id/leaderboard",
				await api()("GET", `/api/groups/${id}/leaderboard?${queryString}`, { token: as?.token })
			),
		rating: async (username: string, as?: TestUser) =>
			checked(
				"GET /users/:username/rating",
				await api()("GET", `/api/users/${encodeURIComponent(username)}/rating`, { token: as?.token })
			),
		/** The board's whole content (one page of 100) once `accept` holds of it: delivery is asynchronous. */
		board: (what: string, read: () => Promise<ApiResponse>, accept: (rows: Line[]) => boolean) =>
			eventually(what, async () => sorted(lines(ok(await read()).rows)), accept, DELIVERY_MS, 100)
	};
	return r;
}

/** Deletes a namespace's board keys from the real Redis (a flush, or the clean-up after a suite); the keys it deleted. */
async function dropBoardKeys(namespace: string, only?: string): Promise<string[]> {
	const redis = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
	try {
		const keys = only ? [`${namespace}:rankings:${only}`] : await redis.keys(`${namespace}:rankings:*`);
		if (keys.length) await redis.del(...keys);
		return keys;
	} finally {
		redis.disconnect();
	}
}

describe("rankings in one process, on the real PostgreSQL and Redis", { skip: unavailable("postgres", "redis"), concurrency: 1 }, () => {
	const problemsDb = scratchDatabase("codelearn_test_problems");
	const rankingsDb = scratchDatabase("codelearn_test_rankings");
	const h = contestsPlatform({
		env: {
			SERVICES: "gateway,users,groups,contests,problems,rankings",
			PROBLEMS_DATABASE_URL: problemsDb.url,
			RANKINGS_DATABASE_URL: rankingsDb.url
		}
	});
	const c = contestsClient(h);
	const r = rankingsClient(() => h.api);
	let organiser: TestUser, ann: TestUser, ben: TestUser, cat: TestUser, dan: TestUser, eve: TestUser;
	let ratedId: string;
	let groupId: string;

	const rankings = <T = any>(sql: string, params: unknown[] = []) => query<T>(rankingsDb.url, sql, params);
	const inbox = () => (h.platform.broker.getLocalService("rankings") as unknown as { inbox: Inbox }).inbox;
	const broker = () => h.platform.broker;

	/** The contest's `contest.ended` as the contests service recorded it, once applied by rankings. */
	async function endedEvent(contestId: string): Promise<Ended> {
		const [row] = await eventually(
			`contest.ended of ${contestId} in the contests outbox`,
			() =>
				h.contestsDb<{ envelope: Ended }>(
					`SELECT envelope FROM contests.outbox WHERE type = 'contest.ended' AND aggregate_id = $1`,
					[contestId]
				),
			rows => rows.length === 1,
			DELIVERY_MS
		);
		await applied(row.envelope.id);
		return row.envelope;
	}

	/** Rankings has applied the event (its inbox recorded the id). */
	const applied = (eventId: string) =>
		eventually(
			`event ${eventId} applied by rankings`,
			() => rankings(`SELECT 1 FROM rankings.processed_events WHERE event_id = $1`, [eventId]),
			rows => rows.length === 1,
			DELIVERY_MS
		);

	/**
	 * A contest of ann, ben, cat and dan on two answer problems, played to its end: ann solves both,
	 * ben and cat one each at the same minute with no wrong try (tied), dan tries one and fails.
	 */
	async function tiedContest(rated: boolean): Promise<string> {
		const start = minutesAfter(h.clock, 10);
		const contest = ok(await c.post(organiser, { ...c.body(start, 60), rated }), 201);
		const answers = [secretAnswer("one"), secretAnswer("two")];
		const [one, two] = [await c.addProblem(contest.id, organiser, answers[0]), await c.addProblem(contest.id, organiser, answers[1])];
		await c.join(contest.id, ann, ben, cat, dan);
		await h.at(start.getTime() + 5 * MINUTE);
		for (const [who, problem, answer] of [
			[ann, one, answers[0]],
			[ann, two, answers[1]],
			[ben, one, answers[0]],
			[cat, one, answers[0]],
			[dan, one, "wrong"]
		] as const) {
			ok(await c.submit(contest.id, problem.id, who, answer), 201);
		}
		await h.at(start.getTime() + 61 * MINUTE);
		return contest.id;
	}

	before(async () => {
		await h.start();
		// Only the platform's admins make a contest rated.
		organiser = await h.registerAdmin();
		[ann, ben, cat, dan, eve] = await registerMany(h.api, 5, "rk");
		await r.load();
	});

	after(async () => {
		await h.stop();
		await Promise.all([problemsDb.drop(), rankingsDb.drop(), dropBoardKeys(h.namespace)]);
	});

	describe("ratings", () => {
		it("when a rated contest of four newcomers ends 1st, 2nd=, 2nd=, 4th then they gain +125, −26, −26, −80 and each has one history row", async () => {
			ratedId = await tiedContest(true);
			const event = await endedEvent(ratedId);
			const byId = (a: { userId: string }, b: { userId: string }) => (a.userId < b.userId ? -1 : 1);
			assert.deepEqual(
				[...event.payload.standings].sort(byId),
				[
					{ userId: ann.id, rank: 1 },
					{ userId: ben.id, rank: 2 },
					{ userId: cat.id, rank: 2 },
					{ userId: dan.id, rank: 4 }
				].sort(byId),
				"the producer's final standings"
			);
			const expected: [TestUser, number, number, number][] = [
				[ann, 1, 1625, 1],
				[ben, 2, 1474, 2],
				[cat, 2, 1474, 2],
				[dan, 4, 1420, 4]
			];
			for (const [user, place, after, rank] of expected) {
				const view = ok(await r.rating(user.username));
				const { title } = event.payload;
				assert.deepEqual(view, {
					rating: after,
					rank,
					solved: 0,
					solvedRank: null,
					history: [{ contestId: ratedId, title, place, before: 1500, after, at: event.occurredAt }],
					contests: [{ contestId: ratedId, title, place, rated: true, ratingChange: after - 1500, at: event.occurredAt }]
				});
				assert.match(view.history[0].at, ISO);
			}
			const never = { rating: null, rank: null, solved: 0, solvedRank: null, history: [], contests: [] };
			assert.deepEqual(ok(await r.rating(organiser.username)), never, "never rated, in no contest");
			assert.deepEqual(ok(await r.rating(ann.username.toUpperCase())).rating, 1625, "usernames in any case, as profiles");
		});

		it("when the same contest.ended is delivered again, twice at once, and re-driven under new event ids then the contest is rated once", async () => {
			const event = await endedEvent(ratedId);
			const before = await rankings(`SELECT user_id, rating FROM rankings.players WHERE rating IS NOT NULL ORDER BY user_id`);
			await Promise.all([inbox().deliver(event), inbox().deliver(event)]);
			const redriven = [
				{ ...event, id: randomUUID() },
				{ ...event, id: randomUUID() }
			];
			await Promise.all(redriven.map(e => inbox().deliver(e)));
			for (const e of redriven) await applied(e.id);
			assert.deepEqual(
				await rankings(`SELECT user_id, rating FROM rankings.players WHERE rating IS NOT NULL ORDER BY user_id`),
				before
			);
			const [changes] = await rankings(`SELECT count(*)::int AS n FROM rankings.contest_results WHERE contest_id = $1`, [ratedId]);
			assert.equal(changes.n, 4);
			const [retries] = await rankings(`SELECT count(*)::int AS n FROM rankings.event_retries`);
			assert.equal(retries.n, 0, "nothing failed");
			assert.equal(ok(await r.rating(dan.username)).history.length, 1);
		});

		it("when an unrated contest ends then no rating, rank or history changes; it joins each participant's contests", async () => {
			const before = await Promise.all([ann, ben, cat, dan].map(async u => ok(await r.rating(u.username))));
			const unratedId = await tiedContest(false);
			const event = await endedEvent(unratedId);
			assert.equal(event.payload.rated, false);
			assert.equal(event.payload.standings.length, 4);
			const after = await Promise.all([ann, ben, cat, dan].map(async u => ok(await r.rating(u.username))));
			assert.deepEqual(
				after.map(({ contests: _, ...rest }) => rest),
				before.map(({ contests: _, ...rest }) => rest)
			);
			const { title } = event.payload;
			assert.deepEqual(
				after.map(view => view.contests[0]),
				[1, 2, 2, 4].map(place => ({ contestId: unratedId, title, place, rated: false, ratingChange: null, at: event.occurredAt })),
				"the newest contest first, with the place and no rating change"
			);
			assert.deepEqual(await rankings(`SELECT contest_id, rated FROM rankings.ended_contests ORDER BY rated DESC`), [
				{ contest_id: ratedId, rated: true },
				{ contest_id: unratedId, rated: false }
			]);
		});
	});

	describe("leaderboards", () => {
		it("when the rating board is paged then equal ratings share a rank across pages, and the caller gets their own line", async () => {
			const first = ok(await r.global("by=rating&pageSize=2&page=1", dan));
			const second = ok(await r.global("by=rating&pageSize=2&page=2", dan));
			assert.deepEqual(
				{ ...first, rows: undefined },
				{ rows: undefined, total: 4, page: 1, pageSize: 2, totalPages: 2, by: "rating", me: first.me }
			);
			assert.deepEqual(first.me, { rank: 4, user: { id: dan.id, username: dan.username }, rating: 1420, solved: 0 });
			assert.deepEqual(lines(first.rows).slice(0, 1), [[1, ann.username, 1625, 0]]);
			assert.deepEqual(
				[first.rows[1], second.rows[0]].map(row => row.rank),
				[2, 2],
				"the tie spans the pages"
			);
			assert.deepEqual(
				sorted([...lines(first.rows), ...lines(second.rows)]),
				sorted([
					[1, ann.username, 1625, 0],
					[2, ben.username, 1474, 0],
					[2, cat.username, 1474, 0],
					[4, dan.username, 1420, 0]
				])
			);
			assert.deepEqual(second.rows[1].user, { id: dan.id, username: dan.username });
			const anonymous = ok(await r.global());
			assert.equal(anonymous.by, "rating", "by rating unless asked");
			assert.equal(anonymous.pageSize, 20);
			assert.equal(anonymous.me, null);
			assert.equal(ok(await r.global("", organiser)).me, null, "the unrated are not on the rating board");
			assert.deepEqual(ok(await r.global("page=9", ann)).rows, [], "past the end: no rows, the total still");
		});

		it("when archive problems are solved then by=solved counts distinct archive problems; a contest's problem counts once released; a rejudge to WA lowers the count", async () => {
			const problem = ok(
				await h.api("POST", "/api/problems", {
					token: organiser.token,
					body: { title: "Sum", statement: "Print a + b.", timeLimitMs: 1000, memoryLimitMb: 64, tests: SUM_TESTS }
				}),
				201
			);
			ok(await h.api("POST", `/api/problems/${problem.id}/publish`, { token: organiser.token }));
			const submit = async (user: TestUser, verdict: "AC" | "WA") => {
				const { id } = ok(
					await h.api("POST", `/api/problems/${problem.id}/submissions`, {
						token: user.token,
						body: { language: "javascript", source: SUM }
					}),
					202
				);
				await playJudge(broker(), id, verdict);
				return id;
			};
			const submissions = [await submit(ann, "AC"), await submit(ben, "WA"), await submit(ben, "AC"), await submit(ben, "AC")];
			await submit(cat, "WA");
			await r.board(
				"ann and ben on the solved board",
				() => r.global("by=solved&pageSize=100"),
				rows => rows.length === 2
			);
			assert.deepEqual(
				sorted(lines(ok(await r.global("by=solved")).rows)),
				sorted([
					[1, ann.username, 1625, 1],
					[1, ben.username, 1474, 1]
				]),
				"two accepted submissions of one problem count once"
			);
			const profile = ok(await r.rating(ben.username));
			assert.deepEqual([profile.solved, profile.solvedRank], [1, 1], "the profile shows it");
			assert.deepEqual([ok(await r.rating(cat.username)).solved, ok(await r.rating(cat.username)).solvedRank], [0, null]);

			// A contest's code problem: cat's accepted program counts only once the organiser releases the problem.
			const start = minutesAfter(h.clock, 10);
			const contest = ok(await c.post(organiser, c.body(start, 30)), 201);
			const code = ok(
				await h.api("POST", `/api/contests/${contest.id}/problems`, {
					token: organiser.token,
					body: {
						kind: "code",
						title: "Sum again",
						statement: "Print a + b.",
						timeLimitMs: 1000,
						memoryLimitMb: 64,
						tests: SUM_TESTS
					}
				}),
				201
			);
			await c.join(contest.id, cat);
			await h.at(start.getTime() + 5 * MINUTE);
			const program = ok(
				await h.api("POST", `/api/contests/${contest.id}/problems/${code.id}/programs`, {
					token: cat.token,
					body: { language: "javascript", source: SUM }
				}),
				202
			);
			await playJudge(broker(), program.id, "AC");
			await eventually(
				"cat's contest solve mirrored",
				() => rankings(`SELECT 1 FROM rankings.judged_submissions WHERE submission_id = $1 AND accepted`, [program.id]),
				rows => rows.length === 1,
				DELIVERY_MS
			);
			assert.ok(!lines(ok(await r.global("by=solved")).rows).some(l => l[1] === cat.username), "not in the archive yet");
			await h.at(start.getTime() + 31 * MINUTE);
			ok(await h.api("POST", `/api/contests/${contest.id}/archive`, { token: organiser.token }), 202);
			await r.board(
				"cat on the solved board once the problem is in the archive",
				() => r.global("by=solved"),
				rows => rows.some(l => l[1] === cat.username)
			);

			// The archive problem rejudged: every submission of it now fails; ann and ben lose it, cat keeps the contest's.
			assert.equal(ok(await h.api("POST", `/api/problems/${problem.id}/rejudge`, { token: organiser.token }), 202).requeued, 5);
			for (const id of submissions) await playJudge(broker(), id, "WA");
			const solved = await r.board(
				"ann and ben off the solved board",
				() => r.global("by=solved"),
				rows => rows.length === 1
			);
			assert.deepEqual(solved, [[1, cat.username, 1474, 1]]);
			const [judged] = await rankings(`SELECT count(*)::int AS n FROM rankings.judged_submissions WHERE NOT accepted`);
			assert.equal(judged.n, submissions.length, "rows only for the accepted and the rejudged");
		});

		it("when a judgement arrives after a later one of the same submission then the later one stands", async () => {
			const problemId = randomUUID();
			const submissionId = randomUUID();
			const judged = (judgement: number, verdict: "AC" | "WA") => judgedEvent(eve.id, problemId, submissionId, judgement, verdict);
			await inbox().deliver(
				createEvent("problems", {
					type: "problem.published",
					aggregateId: problemId,
					actorId: null,
					payload: { problemId, title: "T", authorId: organiser.id }
				})
			);
			await inbox().deliver(judged(3, "WA"));
			await inbox().deliver(judged(2, "AC"));
			await inbox().deliver(judged(1, "AC"));
			assert.ok(!lines(ok(await r.global("by=solved")).rows).some(l => l[1] === eve.username), "the third judgement (WA) stands");
			await inbox().deliver(judged(4, "AC"));
			assert.ok(
				lines(ok(await r.global("by=solved")).rows).some(l => l[1] === eve.username),
				"a fourth (AC) counts"
			);
			await inbox().deliver(judged(5, "WA"));
		});

		it("when members join, leave and are removed then the group's board follows; the unrated sit below the rated", async () => {
			const group = ok(
				await h.api("POST", "/api/groups", {
					token: ann.token,
					body: { name: uniqueName("rk"), description: "Ranked.", visibility: "public", joinPolicy: "open" }
				}),
				201
			);
			groupId = group.id;
			await r.board(
				"the owner on the group's board",
				() => r.group(groupId),
				rows => rows.length === 1
			);
			for (const user of [ben, cat, dan, eve]) ok(await h.api("POST", `/api/groups/${groupId}/join`, { token: user.token }));
			const byRating = await r.board(
				"five members",
				() => r.group(groupId, "pageSize=100"),
				rows => rows.length === 5
			);
			assert.deepEqual(byRating, [
				[1, ann.username, 1625, 0],
				...sorted([
					[2, ben.username, 1474, 0],
					[2, cat.username, 1474, 1]
				]),
				[4, dan.username, 1420, 0],
				[5, eve.username, null, 0]
			]);
			const mine = ok(await r.group(groupId, "", eve));
			assert.deepEqual(mine.me, { rank: 5, user: { id: eve.id, username: eve.username }, rating: null, solved: 0 });
			assert.equal(mine.total, 5);
			assert.deepEqual(
				sorted(lines(ok(await r.group(groupId, "by=solved")).rows)),
				sorted([
					[1, cat.username, 1474, 1],
					[2, ann.username, 1625, 0],
					[2, ben.username, 1474, 0],
					[2, dan.username, 1420, 0],
					[2, eve.username, null, 0]
				]),
				"by solved: every member, 0 included"
			);

			assert.equal((await h.api("POST", `/api/groups/${groupId}/leave`, { token: ben.token })).status, 204);
			assert.equal((await h.api("DELETE", `/api/groups/${groupId}/members/${dan.id}`, { token: ann.token })).status, 204);
			assert.deepEqual(
				await r.board(
					"ben and dan off the board",
					() => r.group(groupId),
					rows => rows.length === 3
				),
				[
					[1, ann.username, 1625, 0],
					[2, cat.username, 1474, 1],
					[3, eve.username, null, 0]
				]
			);
			assert.equal(ok(await r.group(groupId, "", ben)).me, null, "a former member has no line");
			assert.deepEqual(lines(ok(await r.group(groupId, "by=solved")).rows).slice(0, 1), [[1, cat.username, 1474, 1]]);

			const hidden = ok(
				await h.api("POST", "/api/groups", {
					token: dan.token,
					body: { name: uniqueName("rk"), description: "Private.", visibility: "private", joinPolicy: "invite" }
				}),
				201
			);
			await r.board(
				"the private group's owner",
				() => r.group(hidden.id, "", dan),
				rows => rows.length === 1
			);
			assertError(await r.group(hidden.id, "", ann), 404);
			assertError(await r.group(hidden.id), 404);
		});

		it("when Redis loses the boards then the next reads rebuild them from PostgreSQL, the same as before", async () => {
			const reads = () =>
				Promise.all([r.global("", dan), r.global("by=solved"), r.group(groupId, "", eve), r.group(groupId, "by=solved")]);
			const before = (await reads()).map(res => ok(res));
			const keys = await dropBoardKeys(h.namespace);
			assert.ok(
				keys.some(k => k.endsWith(":complete")),
				"complete boards were there"
			);
			assert.deepEqual(
				(await reads()).map(res => ok(res)),
				before
			);
			const rebuilt = await dropBoardKeys(h.namespace);
			for (const board of ["rating", "solved", `group:${groupId}:rating`, `group:${groupId}:solved`])
				assert.ok(rebuilt.includes(`${h.namespace}:rankings:board:${board}:complete`), `${board} rebuilt in Redis`);
			assert.deepEqual(
				(await reads()).map(res => ok(res)),
				before
			);
			// Only the rows lost (evicted): the reader rebuilds too.
			await dropBoardKeys(h.namespace, "players");
			assert.deepEqual(
				(await reads()).map(res => ok(res)),
				before
			);
		});

		it("when an account is deleted then it leaves every board and its data goes; a late event does not bring it back", async () => {
			assert.equal((await h.api("DELETE", "/api/users/me", { token: cat.token })).status, 204);
			assert.deepEqual(
				await r.board(
					"cat off the rating board",
					() => r.global(),
					rows => rows.length === 3
				),
				[
					[1, ann.username, 1625, 0],
					[2, ben.username, 1474, 0],
					[3, dan.username, 1420, 0]
				]
			);
			assert.deepEqual(lines(ok(await r.global("by=solved")).rows), []);
			assert.deepEqual(lines(ok(await r.group(groupId)).rows), [
				[1, ann.username, 1625, 0],
				[2, eve.username, null, 0]
			]);
			assertError(await r.rating(cat.username), 404);
			const footprint = await rankings(
				`SELECT (SELECT count(*) FROM rankings.players WHERE user_id = $1)::int AS players,
				        (SELECT count(*) FROM rankings.contest_results WHERE user_id = $1)::int AS ratings,
				        (SELECT count(*) FROM rankings.judged_submissions WHERE user_id = $1)::int AS judged,
				        (SELECT count(*) FROM rankings.group_members WHERE user_id = $1)::int AS memberships`,
				[cat.id]
			);
			assert.deepEqual(footprint, [{ players: 0, ratings: 0, judged: 0, memberships: 0 }]);
			await inbox().deliver(
				createEvent("groups", {
					type: "group.member.joined",
					aggregateId: groupId,
					actorId: cat.id,
					payload: { groupId, name: "late", visibility: "public", userId: cat.id, role: "member", via: "open" }
				})
			);
			assert.equal(ok(await r.group(groupId)).total, 2);
			assert.deepEqual(await rankings(`SELECT count(*)::int AS n FROM rankings.players WHERE user_id = $1`, [cat.id]), [{ n: 0 }]);
		});

		it("when the input is bad or the profile private then 4xx in the error shape", async () => {
			assertError(await r.global("by=foo"), 422, "VALIDATION_ERROR");
			assertError(await r.global("page=0"), 422, "VALIDATION_ERROR");
			assertError(await r.global("pageSize=101"), 422, "VALIDATION_ERROR");
			assertError(await r.global("order=desc"), 422, "VALIDATION_ERROR");
			assertError(await r.group("not-a-uuid"), 422, "VALIDATION_ERROR");
			assertError(await r.group(groupId, "by=foo"), 422, "VALIDATION_ERROR");
			assertError(await r.group(randomUUID()), 404, "NOT_FOUND");
			assertError(await r.rating(`nobody${Date.now()}`), 404, "NOT_FOUND");
			assertError(await r.rating("x".repeat(33)), 422, "VALIDATION_ERROR");
			// A private profile's rating is as hidden as the profile.
			ok(await h.api("PUT", "/api/users/me/preferences", { token: dan.token, body: { profileVisibility: "private" } }));
			assertError(await r.rating(dan.username), 404, "NOT_FOUND");
		});
	});
});

describe("rankings in one process on PGlite, boards in memory (npm start)", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "codelearn-rankings-"));
	const env = { DATA_DIR: dataDir, SERVICES: "gateway,users,groups,rankings", RATE_LIMIT_MAX: "1000000" };
	let platform: Platform;
	const r = rankingsClient(() => platform.api);

	before(async () => {
		platform = await startPlatform(env);
		await r.load();
	});

	after(async () => {
		await platform?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("when a rated contest ends and a group fills then the boards show it, and again after a restart (rebuilt from the database)", async () => {
		const [a, b, cc] = await registerMany(platform.api, 3, "rkm");
		const group = ok(
			await platform.api("POST", "/api/groups", {
				token: a.token,
				body: { name: uniqueName("rkm"), description: "In memory.", visibility: "public", joinPolicy: "open" }
			}),
			201
		);
		ok(await platform.api("POST", `/api/groups/${group.id}/join`, { token: cc.token }));
		const contestId = randomUUID();
		const inbox = (platform.broker.getLocalService("rankings") as unknown as { inbox: Inbox }).inbox;
		await inbox.deliver(
			createEvent("contests", {
				type: "contest.ended",
				aggregateId: contestId,
				actorId: null,
				payload: {
					contestId,
					title: "Memory round",
					groupId: null,
					organiserId: a.id,
					participantCount: 2,
					top: [],
					rated: true,
					standings: [
						{ userId: b.id, rank: 1 },
						{ userId: a.id, rank: 2 }
					]
				}
			})
		);
		const [won, lost] = rateContest([
			{ userId: b.id, rank: 1, ratingBefore: null },
			{ userId: a.id, rank: 2, ratingBefore: null }
		]).map(change => change.after);
		const expected: Line[] = [
			[1, b.username, won, 0],
			[2, a.username, lost, 0]
		];
		assert.ok(won > 1500 && lost < 1500, `the winner gains, the other loses: ${won}, ${lost}`);
		assert.deepEqual(lines(ok(await r.global()).rows), expected);
		assert.deepEqual(ok(await r.rating(b.username)).rating, won);
		const groupBoard = await r.board(
			"both members",
			() => r.group(group.id),
			rows => rows.length === 2
		);
		assert.deepEqual(groupBoard, [
			[1, a.username, lost, 0],
			[2, cc.username, null, 0]
		]);

		await platform.stop();
		platform = await startPlatform(env);
		assert.deepEqual(lines(ok(await r.global()).rows), expected, "the rating board rebuilt after the restart");
		assert.deepEqual(lines(ok(await r.group(group.id, "", cc)).rows), groupBoard);
		assert.equal(ok(await r.group(group.id, "", cc)).me.rank, 2);
		assert.equal(ok(await r.rating(b.username)).history.length, 1);
	});
});
