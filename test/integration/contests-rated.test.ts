/**
 * Rated contests through the gateway, on the real PostgreSQL, Redis and RabbitMQ, with the clock
 * the tests move: `rated` on the contest (set, shown, fixed at the start, validated) and the final
 * standings `contest.ended` carries for the rankings service (ties, the freeze, who is left out,
 * a 10,000-participant payload through the outbox and RabbitMQ).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { deleteEventTopology } from "../helpers/amqp";
import {
	assertError,
	type Cast,
	contestsClient,
	contestsPlatform,
	MINUTE,
	minutesAfter,
	offset,
	ok,
	overHttp,
	play,
	secretAnswer,
	type TestUser
} from "../helpers/contests";
import { TEST_SERVICES, unavailable } from "../helpers/services";

type Place = { userId: string; rank: number };
const byRank = (rows: Place[]) => [...rows].sort((a, b) => a.rank - b.rank || (a.userId < b.userId ? -1 : 1));

describe("rated contests and the final standings of contest.ended", { skip: unavailable("postgres", "redis", "amqp") }, () => {
	const h = contestsPlatform({ env: { EVENTS_AMQP_URL: TEST_SERVICES.amqp } });
	const c = contestsClient(h);
	/** A platform admin: only admins make a contest rated. */
	let organiser: TestUser;
	let users: TestUser[];
	let admin: TestUser;

	/** The one `contest.ended` of a contest, as its outbox row holds it. */
	async function endedPayload(contestId: string) {
		const rows = await h.contestsDb<{ envelope: { payload: any } }>(
			`SELECT envelope FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.ended'`,
			[contestId]
		);
		assert.equal(rows.length, 1, "contest.ended recorded exactly once");
		return rows[0].envelope.payload;
	}

	/** A contest `minutes` long starting 10 minutes ahead, with answer problems A, B; `extra` joins the body. */
	async function contestOf(minutes: number, extra: Record<string, unknown>) {
		const start = minutesAfter(h.clock, 10);
		const contest = ok(await c.post(organiser, { ...c.body(start, minutes), ...extra }), 201);
		const cast: Cast = { contestId: contest.id, startsAt: start, users: {}, problems: {} };
		for (const name of ["A", "B"]) {
			const answer = secretAnswer(name);
			cast.problems[name] = { id: (await c.addProblem(contest.id, organiser, answer)).id, answer };
		}
		return { contest, start, end: new Date(contest.endsAt), cast };
	}

	before(async () => {
		await h.start();
		users = await h.registerMany(6, "rated");
		admin = organiser = await h.registerAdmin();
	});

	after(async () => {
		await h.stop();
		await deleteEventTopology(h.namespace);
	});

	it("when a contest is created with or without `rated` then its view shows it, false by default", async () => {
		const start = minutesAfter(h.clock, 10);
		const rated = ok(await c.post(organiser, { ...c.body(start, 60), rated: true }), 201);
		const plain = await c.create(organiser, start, 60);
		assert.deepEqual([rated.rated, plain.rated], [true, false]);
		assert.equal((await c.read(rated.id)).rated, true);
		assert.equal((await c.all("status=upcoming")).find(row => row.id === rated.id)?.rated, true);
	});

	it("when an organiser who is not a platform admin sets `rated` then 403 and nothing is created or changed", async () => {
		const start = minutesAfter(h.clock, 10);
		assertError(await c.post(users[0], { ...c.body(start, 60), rated: true }), 403, "FORBIDDEN");
		assert.equal(ok(await c.post(users[0], { ...c.body(start, 60), rated: false }), 201).rated, false, "unrated is anyone's");
		const own = await c.create(users[0], start, 60);
		assertError(await c.patch(own.id, users[0], { rated: true }), 403, "FORBIDDEN");
		assert.deepEqual(await c.read(own.id, users[0]), own, "unchanged by the refused edit");
	});

	it("when `rated` is not a boolean then 422 naming it, on creation and on edit, and nothing changes", async () => {
		const start = minutesAfter(h.clock, 10);
		for (const value of ["yes", "true", 1, 0, null, {}]) {
			const res = await c.post(organiser, { ...c.body(start, 60), rated: value });
			assertError(res, 422);
			assert.ok(
				(res.body.data as { field: string }[]).some(d => d.field === "rated"),
				`${JSON.stringify(value)}: 422 names rated: ${JSON.stringify(res.body.data)}`
			);
		}
		const contest = await c.create(organiser, start, 60);
		for (const value of ["false", 1, null]) {
			const res = await c.patch(contest.id, organiser, { rated: value });
			assertError(res, 422);
			assert.ok(
				(res.body.data as { field: string }[]).some(d => d.field === "rated"),
				JSON.stringify(res.body.data)
			);
		}
		assert.deepEqual(await c.read(contest.id, organiser), contest, "unchanged by refused edits");
	});

	it("when the organiser changes `rated` before the start then it changes; after the start 409 CONTEST_STARTED and it stays", async () => {
		const start = minutesAfter(h.clock, 10);
		const contest = await c.create(organiser, start, 30);
		assertError(await c.patch(contest.id, users[0], { rated: true }), 403, "FORBIDDEN");
		assert.equal(ok(await c.patch(contest.id, organiser, { rated: true })).rated, true);
		const updated = await h.contestsDb<{ changed: string[] }>(
			`SELECT envelope->'payload'->'changed' AS changed FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.updated'`,
			[contest.id]
		);
		assert.deepEqual(
			updated.map(r => r.changed),
			[["rated"]]
		);

		await h.at(start);
		assertError(await c.patch(contest.id, organiser, { rated: false }), 409, "CONTEST_STARTED");
		assertError(await c.patch(contest.id, organiser, { rated: true, title: "Renamed after the start" }), 409, "CONTEST_STARTED");
		assert.equal((await c.read(contest.id)).rated, true, "fixed from the start on");
		await h.at(new Date(contest.endsAt));
		assert.equal((await endedPayload(contest.id)).rated, true);
	});

	it("when a rated contest with a freeze ends with a tie then contest.ended carries the live final standings: ties share a rank, non-submitters are left out", async () => {
		const { contest, start, end, cast } = await contestOf(60, { rated: true, freezeMinutes: 20 });
		const [u1, u2, u3, u4, u5] = users;
		cast.users = { u1, u2, u3, u4, u5 };
		await c.join(contest.id, u1, u2, u3, u4, u5);
		await h.at(start);
		// ICPC penalty = Σ (minute of first accepted + 20 × wrong tries before it); the freeze is at 40:00.
		await play(h.clock, cast, overHttp(c, cast), [
			["03:00", "u4", "A", "WA"], // u4: nothing solved
			["05:00", "u1", "A", "AC"],
			["10:00", "u2", "A", "AC"],
			["12:00", "u2", "B", "WA"],
			["25:00", "u2", "B", "AC"], // u2: 2 solved, 10 + 25 + 20 = 55
			["30:00", "u3", "A", "AC"], // u3: 1 solved, 30
			["50:00", "u1", "B", "AC"] // u1: 2 solved, 5 + 50 = 55, after the freeze: ties u2
		]);
		h.clock.set(start.getTime() + offset("55:00"));
		const frozen = await c.board(contest.id);
		assert.deepEqual(
			frozen.rows.map((r: Place) => [r.userId, r.rank]).slice(0, 3),
			[
				[u2.id, 1],
				[u1.id, 2],
				[u3.id, 3]
			],
			"the frozen board still shows u1 behind"
		);

		await h.at(end);
		const ended = await endedPayload(contest.id);
		assert.equal(ended.rated, true);
		assert.equal(ended.participantCount, 5);
		assert.deepEqual(
			byRank(ended.standings),
			byRank([
				{ userId: u1.id, rank: 1 },
				{ userId: u2.id, rank: 1 },
				{ userId: u3.id, rank: 3 },
				{ userId: u4.id, rank: 4 }
			])
		);
		assert.ok(
			ended.standings.every((p: Place) => Object.keys(p).sort().join() === "rank,userId"),
			"only userId and rank"
		);
		// `top` keeps its shape: the board's first ten rows, u5 (no submission) among them, tied with u4.
		assert.deepEqual(
			byRank(ended.top.map((r: any) => ({ userId: r.userId, rank: r.rank }))),
			byRank([...ended.standings, { userId: u5.id, rank: 4 }])
		);
		assert.deepEqual(
			ended.top.map((r: any) => Object.keys(r).sort().join()),
			Array(5).fill("penalty,rank,solved,userId")
		);

		// The board everyone reads after the end, and contests.ranks, rank them the same.
		const board = (await c.board(contest.id)).rows.map((r: Place) => ({ userId: r.userId, rank: r.rank }));
		assert.deepEqual(byRank(board.filter((p: Place) => p.userId !== u5.id)), byRank(ended.standings));
		// Delivered through RabbitMQ as recorded; more scheduler passes record nothing more.
		const [audited] = await h.audited(admin, contest.id, "contest.ended");
		assert.deepEqual(audited.payload, ended);
		await h.at(end.getTime() + MINUTE);
		await endedPayload(contest.id);
	});

	it("when an unrated contest ends then contest.ended says rated false and still carries the standings", async () => {
		const { contest, start, end, cast } = await contestOf(30, {});
		const [u1, u2] = users;
		cast.users = { u1, u2 };
		await c.join(contest.id, u1, u2);
		await h.at(start);
		await play(h.clock, cast, overHttp(c, cast), [["04:00", "u1", "B", "AC"]]);
		await h.at(end);
		const ended = await endedPayload(contest.id);
		assert.deepEqual([ended.rated, ended.participantCount, ended.standings], [false, 2, [{ userId: u1.id, rank: 1 }]]);
	});

	it("when 10,000 participants end a rated contest then its half-megabyte contest.ended goes through the outbox and RabbitMQ whole", async () => {
		const { contest, start, end, cast } = await contestOf(60, { rated: true });
		await h.at(start);
		// Written straight into the tables (as the service would): one accepted answer each, 50 minutes → ties of 200.
		await h.contestsDb(
			`WITH p AS (
				INSERT INTO contests.participants (contest_id, user_id, registered_at)
				SELECT $1, gen_random_uuid(), $2 FROM generate_series(0, 9999) RETURNING user_id)
			 INSERT INTO contests.submissions (contest_id, problem_id, user_id, verdict, scored, submitted_at)
			 SELECT $1, $3, user_id, 'accepted', true, $2::timestamptz + (row_number() OVER () % 50) * interval '1 minute' FROM p`,
			[contest.id, start, cast.problems.A.id]
		);
		const startedAt = Date.now();
		await h.at(end);
		const endingMs = Date.now() - startedAt;
		const [{ bytes }] = await h.contestsDb<{ bytes: number }>(
			`SELECT octet_length(envelope::text) AS bytes FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.ended'`,
			[contest.id]
		);
		const ended = await endedPayload(contest.id);
		assert.equal(ended.standings.length, 10_000);
		const ranks = new Map<number, number>();
		for (const p of ended.standings as Place[]) ranks.set(p.rank, (ranks.get(p.rank) ?? 0) + 1);
		assert.deepEqual(
			[...ranks].sort((a, b) => a[0] - b[0]),
			Array.from({ length: 50 }, (_, m) => [1 + 200 * m, 200])
		);
		const [audited] = await h.audited(admin, contest.id, "contest.ended");
		assert.deepEqual(audited.payload.standings, ended.standings);
		process.stdout.write(`# 10,000 participants: contest.ended is ${bytes} bytes; the ending pass took ${endingMs} ms\n`);
	});
});
