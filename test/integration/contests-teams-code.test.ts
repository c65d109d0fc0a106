/**
 * Programs in a team contest, in one process on the real PostgreSQL and Redis with the problems
 * service and the judge: any member's program is judged as their own (they read it, not their
 * team mates) and its verdict counts for their team on the board, at the contest's time of it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
	assertError,
	contestsPlatform,
	minutesAfter,
	ok,
	SUM_CODE_PROBLEM,
	teamRows,
	teamsClient,
	type TestUser
} from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { judgedSubmission } from "../helpers/judge";
import { eventually } from "../helpers/eventually";
import { unavailable } from "../helpers/services";

const VERDICT_MS = 60_000;
const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;
const DIFFERENCE = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a - b);\n`;

describe("code problems in a team contest, judged onto the team's row", { skip: unavailable("postgres", "redis") }, () => {
	const problemsDb = scratchDatabase("codelearn_test_problems");
	const h = contestsPlatform({
		env: { SERVICES: "gateway,users,groups,contests,audit,problems,judge", PROBLEMS_DATABASE_URL: problemsDb.url, JUDGE_SLOTS: "2" }
	});
	const t = teamsClient(h);
	let organiser: TestUser, alice: TestUser, bob: TestUser, carol: TestUser;
	let contestId: string, problemId: string, startsAt: Date, tigers: string;

	const submit = async (user: TestUser, source: string) =>
		ok(
			await h.api("POST", `/api/contests/${contestId}/problems/${problemId}/programs`, {
				token: user.token,
				body: { language: "javascript", source }
			}),
			202
		);
	const judged = (user: TestUser, id: string) => judgedSubmission(h.api, user, id, VERDICT_MS);
	const board = async () => ok(await h.api("GET", `/api/contests/${contestId}/leaderboard`, { token: organiser.token }));
	const minute = (m: number) => startsAt.getTime() + m * 60_000;

	before(async () => {
		await h.start();
		[organiser, alice, bob, carol] = await h.registerMany(4, "coder");
		const group = await t.group(organiser, [alice, bob, carol]);
		startsAt = minutesAfter(h.clock, 10);
		const contest = ok(
			await h.api("POST", "/api/contests", {
				token: organiser.token,
				body: {
					title: "Team code round",
					startsAt: startsAt.toISOString(),
					endsAt: new Date(minute(60)).toISOString(),
					scoring: "icpc",
					teams: { maxSize: 2 }
				}
			}),
			201
		);
		contestId = contest.id;
		problemId = ok(
			await h.api("POST", `/api/contests/${contestId}/problems`, {
				token: organiser.token,
				body: SUM_CODE_PROBLEM
			}),
			201
		).id;
		tigers = (await t.add(contestId, alice, group, [alice, bob], "Tigers")).id;
		await t.add(contestId, carol, group, [carol], "Solo");
	});

	after(async () => {
		await h.stop();
		await problemsDb.drop();
	});

	it("when members submit programs then each verdict counts for their team, once per problem, and each program stays its author's", async () => {
		await h.at(minute(3));
		const wrong = await submit(alice, DIFFERENCE);
		assert.equal((await judged(alice, wrong.id)).verdict, "WA");
		await h.at(minute(5));
		const right = await submit(bob, SUM);
		assert.equal((await judged(bob, right.id)).verdict, "AC");
		await h.at(minute(6));
		const again = await submit(alice, SUM);
		assert.equal((await judged(alice, again.id)).verdict, "AC");
		assertError(await h.api("GET", `/api/submissions/${right.id}`, { token: alice.token }), 404, "SUBMISSION_NOT_FOUND");

		const names = { Tigers: tigers };
		const standings = await eventually(
			"the team's solve on the board",
			board,
			b => b.rows.some((r: any) => r.team.id === tigers && r.solved === 1),
			30_000,
			100
		);
		assert.deepEqual(
			teamRows(standings.rows, names)[0],
			["Tigers", 1, 1, 5 + 20, [alice.id, bob.id]],
			"5 minutes plus alice's wrong try"
		);
		const mine = await eventually(
			"the team's three programs counted",
			async () => ok(await h.api("GET", `/api/contests/${contestId}/submissions/me`, { token: bob.token })) as any[],
			rows => rows.length === 3,
			30_000,
			100
		);
		assert.deepEqual(
			mine.map(s => [s.verdict, s.scored, s.submittedBy]),
			[
				["wrong", false, alice.id],
				["accepted", true, bob.id],
				["accepted", false, alice.id]
			]
		);
		const solved = await h.contestsDb<{ payload: any }>(
			`SELECT envelope->'payload' AS payload FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.problem_solved'`,
			[contestId]
		);
		assert.deepEqual(
			solved.map(r => [r.payload.userId, r.payload.teamId]),
			[[bob.id, tigers]]
		);
	});
});
