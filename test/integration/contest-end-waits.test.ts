/**
 * A contest's end waits for its programs still being judged (up to JUDGING_GRACE_MS), so that the final standings
 * of `contest.ended` count a program submitted in its last minute. The judge is played through the problems
 * service's internal actions, and the contests' clock is moved by the test.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { JUDGING_GRACE_MS } from "../../services/contests/scheduler";
import { contestsPlatform, MINUTE, minutesAfter, ok, SUM_CODE_PROBLEM, type TestUser } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { playJudge } from "../helpers/judge";
import { unavailable } from "../helpers/services";

const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;

describe("a contest's end waits for its programs to be judged", { skip: unavailable("postgres", "redis") }, () => {
	const problemsDb = scratchDatabase("codelearn_test_problems");
	const h = contestsPlatform({
		env: { SERVICES: "gateway,users,groups,contests,audit,problems", PROBLEMS_DATABASE_URL: problemsDb.url }
	});
	let organiser: TestUser, alice: TestUser, bob: TestUser;

	before(async () => {
		await h.start();
		[organiser, alice, bob] = await Promise.all([h.register("org"), h.register("alice"), h.register("bob")]);
	});

	after(async () => {
		await h.stop();
		await problemsDb.drop();
	});

	/** A 30-minute contest with one code problem, alice and bob registered; returns its id, problem and start. */
	async function contestWithProgramsAtTheEnd() {
		const start = minutesAfter(h.clock, 10);
		const body = {
			title: "Last minute",
			startsAt: start.toISOString(),
			endsAt: new Date(start.getTime() + 30 * MINUTE).toISOString(),
			scoring: "icpc"
		};
		const contest = ok(await h.api("POST", "/api/contests", { token: organiser.token, body }), 201);
		const problem = ok(
			await h.api("POST", `/api/contests/${contest.id}/problems`, { token: organiser.token, body: SUM_CODE_PROBLEM }),
			201
		);
		for (const user of [alice, bob]) ok(await h.api("POST", `/api/contests/${contest.id}/register`, { token: user.token }), 201);
		await h.at(start.getTime() + 29 * MINUTE);
		const programs = [];
		for (const user of [alice, bob]) {
			const path = `/api/contests/${contest.id}/problems/${problem.id}/programs`;
			programs.push(ok(await h.api("POST", path, { token: user.token, body: { language: "javascript", source: SUM } }), 202).id);
		}
		return { contestId: contest.id as string, programs, end: start.getTime() + 30 * MINUTE };
	}

	const ended = (contestId: string) =>
		h.contestsDb<{ envelope: { payload: { standings: { userId: string; rank: number }[] } } }>(
			`SELECT envelope FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.ended'`,
			[contestId]
		);
	const judgedOnBoard = (contestId: string, count: number) =>
		eventually(
			"the verdicts in the contest's inbox",
			() => h.contestsDb(`SELECT 1 FROM contests.programs WHERE contest_id = $1 AND judged_at IS NOT NULL`, [contestId]),
			rows => rows.length === count,
			10_000
		);

	it("when programs submitted in the last minute are still being judged at the end then contest.ended comes once they are, counting them", async () => {
		const { contestId, programs, end } = await contestWithProgramsAtTheEnd();
		await h.at(end + MINUTE);
		assert.deepEqual(await ended(contestId), [], "no end while two programs wait for their verdict");
		await playJudge(h.platform.broker, programs[0], "AC");
		await judgedOnBoard(contestId, 1);
		await h.at(end + 2 * MINUTE);
		assert.deepEqual(await ended(contestId), [], "one still waits");
		await playJudge(h.platform.broker, programs[1], "WA");
		await judgedOnBoard(contestId, 2);
		await h.at(end + 3 * MINUTE);
		const [event] = await ended(contestId);
		assert.ok(event, "ended once both are judged");
		assert.deepEqual(event.envelope.payload.standings, [
			{ userId: alice.id, rank: 1 },
			{ userId: bob.id, rank: 2 }
		]);
	});

	it("when a program is never judged then the contest ends at the grace's end without it", async () => {
		const { contestId, programs, end } = await contestWithProgramsAtTheEnd();
		await playJudge(h.platform.broker, programs[0], "AC");
		await judgedOnBoard(contestId, 1);
		await h.at(end + JUDGING_GRACE_MS - MINUTE);
		assert.deepEqual(await ended(contestId), [], "still within the grace");
		await h.at(end + JUDGING_GRACE_MS + 1000);
		const [event] = await ended(contestId);
		assert.ok(event, "ended at the grace's end");
		assert.deepEqual(event.envelope.payload.standings, [{ userId: alice.id, rank: 1 }], "bob's program, never judged, is not counted");
	});
});
