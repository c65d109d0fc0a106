/**
 * Team contests played through the gateway, on the real PostgreSQL and Redis, with the clock the
 * tests move: any member's answer counts for their team (its first accepted answer only, its wrong
 * tries, its shared throttle), the board ranks teams under ICPC and points rules against
 * hand-computed tables, the freeze hides late solves from all but the organiser, and
 * `contest.ended` lists every member with their team's final rank.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
	assertError,
	type Cast,
	contestsClient,
	contestsPlatform,
	minutesAfter,
	offset,
	ok,
	overHttp,
	play,
	secretAnswer,
	teamRows,
	teamsClient,
	type TestUser
} from "../helpers/contests";
import { unavailable } from "../helpers/services";

type Place = { userId: string; rank: number; teamId?: string; penalty?: number };
const byRank = (rows: Place[]) => [...rows].sort((a, b) => a.rank - b.rank || (a.userId < b.userId ? -1 : 1));

describe("team contests: teams on the board, ICPC and points, with the freeze", { skip: unavailable("postgres", "redis") }, () => {
	const h = contestsPlatform();
	const c = contestsClient(h);
	const t = teamsClient(h);
	let organiser: TestUser, observer: TestUser, a1: TestUser, a2: TestUser, a3: TestUser, b1: TestUser, b2: TestUser;
	let A: string, B: string;

	/** A team contest of `organiser`, an hour long with a 20-minute freeze, problems A and B; the cast's users are the members. */
	async function teamContest(scoring: "icpc" | "points") {
		const start = minutesAfter(h.clock, 10);
		const contest = await c.create(organiser, start, 60, { scoring, freezeMinutes: 20, teams: { maxSize: 2 } });
		const cast: Cast = { contestId: contest.id, startsAt: start, users: { a1, a2, a3, b1, b2 }, problems: {} };
		for (const [name, points] of [
			["A", 100],
			["B", 300]
		] as const) {
			const answer = secretAnswer(name);
			cast.problems[name] = { id: (await c.addProblem(contest.id, organiser, answer, { points })).id, answer };
		}
		return { contest, start, end: new Date(contest.endsAt), cast, at: (mmss: string) => new Date(start.getTime() + offset(mmss)) };
	}

	/** The one `contest.ended` of a contest, as its outbox row holds it. */
	async function endedPayload(contestId: string) {
		const rows = await h.contestsDb<{ payload: any }>(
			`SELECT envelope->'payload' AS payload FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.ended'`,
			[contestId]
		);
		assert.equal(rows.length, 1, "contest.ended recorded exactly once");
		return rows[0].payload;
	}

	const ranksOf = async (contestId: string) =>
		(await h.call<Place[]>("contests.ranks", { id: contestId }, organiser.id)).map(r => `${r.rank} ${r.userId}`).sort();

	before(async () => {
		await h.start();
		[organiser, observer, a1, a2, a3, b1, b2] = await h.registerMany(7, "teamplay");
		A = await t.group(organiser, [a1, a2, a3]);
		B = await t.group(b1, [b2], "private");
	});

	after(() => h.stop());

	it("when teams play an ICPC contest with a freeze then a member's answer counts for the team and each board equals the hand-computed table", async () => {
		const { contest, start, end, cast, at } = await teamContest("icpc");
		const tigers = await t.add(contest.id, a1, A, [a1, a2], "Tigers");
		const owls = await t.add(contest.id, b2, B, [b1, b2], "Owls");
		const solo = await t.add(contest.id, a3, A, [a3], "Solo");
		const names = { Tigers: tigers.id, Owls: owls.id, Solo: solo.id };
		assertError(await c.register(contest.id, observer), 409, "TEAM_CONTEST");
		await h.at(start);
		const submit = overHttp(c, cast);
		const A_ = cast.problems.A;

		await play(h.clock, cast, submit, [["05:00", "a1", "A", "WA"]]);
		// The team shares one throttle per problem: its next answer waits, whoever sends it.
		h.clock.set(at("05:02"));
		assertError(await c.submit(contest.id, A_.id, a2, A_.answer), 429, "TOO_MANY_REQUESTS");
		await play(h.clock, cast, submit, [
			["07:00", "a2", "A", "AC"], // Tigers: A at 7 after a wrong try: 27
			["10:00", "b1", "B", "AC"] // Owls: 10
		]);
		h.clock.set(at("12:00"));
		const again = ok(await c.submit(contest.id, cast.problems.B.id, b2, cast.problems.B.answer), 201);
		assert.deepEqual([again.verdict, again.scored], ["accepted", false], "a problem the team solved scores nothing more");
		await play(h.clock, cast, submit, [
			["30:00", "a3", "A", "AC"], // Solo: 30
			// the freeze: 40:00
			["50:00", "a1", "B", "AC"], // Tigers: 2 solved, 27 + 50 = 77
			["52:00", "b2", "A", "WA"]
		]);
		assertError(await c.submit(contest.id, A_.id, observer, A_.answer), 403, "NOT_REGISTERED");
		h.clock.set(at("55:00"));

		const FROZEN = [
			["Owls", 1, 1, 10, [b1.id, b2.id]],
			["Tigers", 2, 1, 27, [a1.id, a2.id]],
			["Solo", 3, 1, 30, [a3.id]]
		];
		const LIVE = [
			["Tigers", 1, 2, 77, [a1.id, a2.id]],
			["Owls", 2, 1, 10, [b1.id, b2.id]],
			["Solo", 3, 1, 30, [a3.id]]
		];
		// Twice: the second read comes from what the first cached.
		for (let i = 0; i < 2; i++) {
			for (const who of [undefined, observer, a2, b1]) {
				const board = await c.board(contest.id, who);
				assert.equal(board.frozenAt, at("40:00").toISOString());
				assert.deepEqual(
					[teamRows(board.rows, names), board.total],
					[FROZEN, 3],
					"the board at the freeze, for all but the organiser"
				);
			}
			const live = await c.board(contest.id, organiser);
			assert.deepEqual([teamRows(live.rows, names), live.frozenAt], [LIVE, null], "the organiser reads the live board");
		}
		// A member's own row is their team's, live, ranked against the board at the freeze.
		const asTiger = await c.board(contest.id, a2);
		assert.deepEqual(teamRows([asTiger.me], names), [["Tigers", 1, 2, 77, [a1.id, a2.id]]]);
		assert.deepEqual(asTiger.me.problems, {
			[A_.id]: { solved: true, wrongTries: 1, solvedAtMinute: 7 },
			[cast.problems.B.id]: { solved: true, wrongTries: 0, solvedAtMinute: 50 }
		});
		const asOwl = await c.board(contest.id, b1);
		assert.deepEqual(teamRows([asOwl.me], names), [["Owls", 1, 1, 10, [b1.id, b2.id]]]);
		assert.deepEqual(asOwl.me.problems[A_.id], { solved: false, wrongTries: 1, solvedAtMinute: null }, "its own try after the freeze");
		assert.equal((await c.board(contest.id, observer)).me, null);
		assert.deepEqual(
			(await c.mySubmissions(contest.id, a2)).map(s => [s.verdict, s.scored, s.submittedBy]),
			[
				["wrong", false, a1.id],
				["accepted", true, a2.id],
				["accepted", true, a1.id]
			],
			"the team's submissions, each naming its member"
		);
		assert.deepEqual(await ranksOf(contest.id), [`1 ${b1.id}`, `1 ${b2.id}`, `2 ${a1.id}`, `2 ${a2.id}`, `3 ${a3.id}`].sort());

		await h.at(end);
		const final = await c.board(contest.id);
		assert.deepEqual([teamRows(final.rows, names), final.frozenAt], [LIVE, null], "after the end, the final board for everyone");
		assert.deepEqual(await ranksOf(contest.id), [`1 ${a1.id}`, `1 ${a2.id}`, `2 ${b1.id}`, `2 ${b2.id}`, `3 ${a3.id}`].sort());
		const ended = await endedPayload(contest.id);
		assert.deepEqual([ended.rated, ended.participantCount], [false, 3]);
		assert.deepEqual(
			byRank(ended.standings),
			byRank([
				{ userId: a1.id, rank: 1, teamId: tigers.id },
				{ userId: a2.id, rank: 1, teamId: tigers.id },
				{ userId: b1.id, rank: 2, teamId: owls.id },
				{ userId: b2.id, rank: 2, teamId: owls.id },
				{ userId: a3.id, rank: 3, teamId: solo.id }
			])
		);
		assert.deepEqual(
			byRank(ended.top.map((r: any) => ({ userId: r.userId, rank: r.rank, teamId: r.teamId, penalty: r.penalty }))),
			byRank([
				{ userId: a1.id, rank: 1, teamId: tigers.id, penalty: 77 },
				{ userId: a2.id, rank: 1, teamId: tigers.id, penalty: 77 },
				{ userId: b1.id, rank: 2, teamId: owls.id, penalty: 10 },
				{ userId: b2.id, rank: 2, teamId: owls.id, penalty: 10 },
				{ userId: a3.id, rank: 3, teamId: solo.id, penalty: 30 }
			])
		);
		const solved = await h.contestsDb<{ payload: any }>(
			`SELECT envelope->'payload' AS payload FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.problem_solved' ORDER BY seq`,
			[contest.id]
		);
		assert.deepEqual(
			solved.map(r => [r.payload.userId, r.payload.teamId]),
			[
				[a2.id, tigers.id],
				[b1.id, owls.id],
				[a3.id, solo.id],
				[a1.id, tigers.id]
			],
			"one solve per team and problem, by the member who solved it"
		);
	});

	it("when teams play a points contest with a freeze then the board ranks them by points, then the earlier last solve", async () => {
		const { contest, start, end, cast, at } = await teamContest("points");
		const p1 = await t.add(contest.id, a1, A, [a1], "Pioneers");
		const p2 = await t.add(contest.id, b1, B, [b1, b2], "Pelicans");
		const p3 = await t.add(contest.id, a2, A, [a2, a3], "Pumas");
		const names = { Pioneers: p1.id, Pelicans: p2.id, Pumas: p3.id };
		await h.at(start);
		await play(h.clock, cast, overHttp(c, cast), [
			["05:00", "b1", "A", "AC"], // Pelicans: 100
			["08:00", "a1", "B", "AC"], // Pioneers: 300
			["15:00", "a2", "A", "AC"], // Pumas: 100
			["20:00", "a3", "B", "WA"],
			// the freeze: 40:00
			["45:00", "b2", "B", "AC"], // Pelicans: 400, last at 45
			["50:00", "a3", "B", "AC"] // Pumas: 400, last at 50
		]);
		h.clock.set(at("55:00"));
		const FROZEN = [
			["Pioneers", 1, 1, 300, [a1.id]],
			["Pelicans", 2, 1, 100, [b1.id, b2.id]],
			["Pumas", 3, 1, 100, [a2.id, a3.id]]
		];
		const LIVE = [
			["Pelicans", 1, 2, 400, [b1.id, b2.id]],
			["Pumas", 2, 2, 400, [a2.id, a3.id]],
			["Pioneers", 3, 1, 300, [a1.id]]
		];
		for (const who of [undefined, observer, a3]) assert.deepEqual(teamRows((await c.board(contest.id, who)).rows, names), FROZEN);
		assert.deepEqual(teamRows((await c.board(contest.id, organiser)).rows, names), LIVE);
		const asPuma = await c.board(contest.id, a3);
		assert.deepEqual(teamRows([asPuma.me], names), [["Pumas", 1, 2, 400, [a2.id, a3.id]]], "live, above the board at the freeze");

		await h.at(end);
		assert.deepEqual(teamRows((await c.board(contest.id, observer)).rows, names), LIVE);
		const ended = await endedPayload(contest.id);
		assert.deepEqual(
			byRank(ended.standings),
			byRank([
				{ userId: b1.id, rank: 1, teamId: p2.id },
				{ userId: b2.id, rank: 1, teamId: p2.id },
				{ userId: a2.id, rank: 2, teamId: p3.id },
				{ userId: a3.id, rank: 2, teamId: p3.id },
				{ userId: a1.id, rank: 3, teamId: p1.id }
			])
		);
		assert.deepEqual([ended.rated, ended.participantCount], [false, 3]);
	});
});
