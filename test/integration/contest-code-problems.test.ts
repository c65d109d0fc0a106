/**
 * Code problems in contests, in one process on the real PostgreSQL and Redis: the organiser adds a
 * problem with hidden tests beside an answer problem, participants submit programs, the judge's
 * verdicts reach the ICPC board at the contest's time of each submission, and a rejudge after new
 * tests moves the board once per changed verdict.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { strToU8, zipSync } from "fflate";
import { assertError, contestsPlatform, minutesAfter, ok, SUM_CODE_PROBLEM, type TestUser } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { judgedSubmission } from "../helpers/judge";
import { eventually } from "../helpers/eventually";
import { unavailable } from "../helpers/services";

const VERDICT_MS = 60_000;
const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;
const DIFFERENCE = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a - b);\n`;
/** Right while the second number is small: the first tests pass it, a test added later does not. */
const SMALL_ONLY = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(b < 100 ? a + b : 0);\n`;

describe("code problems in contests, judged onto the board", { skip: unavailable("postgres", "redis") }, () => {
	const problemsDb = scratchDatabase("codelearn_test_problems");
	const h = contestsPlatform({
		env: { SERVICES: "gateway,users,groups,contests,audit,problems,judge", PROBLEMS_DATABASE_URL: problemsDb.url, JUDGE_SLOTS: "2" }
	});
	let organiser: TestUser, alice: TestUser, bob: TestUser;
	let contestId: string, codeProblem: any, startsAt: Date;

	const submit = async (user: TestUser, source: string) =>
		ok(
			await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/programs`, {
				token: user.token,
				body: { language: "javascript", source }
			}),
			202
		);
	const judged = (user: TestUser, id: string) => judgedSubmission(h.api, user, id, VERDICT_MS);
	const board = async () => ok(await h.api("GET", `/api/contests/${contestId}/leaderboard`, { token: organiser.token }));
	const rowOf = (b: any, user: TestUser) => b.rows.find((r: any) => r.userId === user.id);

	before(async () => {
		await h.start();
		[organiser, alice, bob] = await Promise.all([h.register("org"), h.register("alice"), h.register("bob")]);
		startsAt = minutesAfter(h.clock, 10);
		const contest = ok(
			await h.api("POST", "/api/contests", {
				token: organiser.token,
				body: {
					title: "Code round",
					startsAt: startsAt.toISOString(),
					endsAt: new Date(startsAt.getTime() + 60 * 60_000).toISOString(),
					scoring: "icpc"
				}
			}),
			201
		);
		contestId = contest.id;
		codeProblem = ok(
			await h.api("POST", `/api/contests/${contestId}/problems`, {
				token: organiser.token,
				body: SUM_CODE_PROBLEM
			}),
			201
		);
		for (const user of [alice, bob]) ok(await h.api("POST", `/api/contests/${contestId}/register`, { token: user.token }), 201);
	});

	after(async () => {
		await h.stop();
		await problemsDb.drop();
	});

	it("when the organiser adds a code problem then it shows its limits and samples, never a hidden test, and takes no answers", async () => {
		assert.equal(codeProblem.kind, "code");
		assert.equal(codeProblem.caseSensitive, false);
		assert.deepEqual(codeProblem.code.samples, [{ input: "1 2\n", output: "3\n" }]);
		assert.equal(codeProblem.code.timeLimitMs, 1000);
		assert.equal(codeProblem.code.checker, "tokens");
		assert.ok(!JSON.stringify(codeProblem).includes("20 22"));
		const listed = ok(await h.api("GET", `/api/problems?pageSize=100`));
		assert.ok(
			!listed.rows.some((p: { id: string }) => p.id === codeProblem.code.problemId),
			"a contest's problem is not in the archive"
		);
		assertError(
			await h.api("POST", `/api/contests/${contestId}/problems`, {
				token: organiser.token,
				body: { kind: "code", title: "No tests", statement: "x", answer: "42" }
			}),
			422
		);
	});

	it("when the contest has not started then programs are refused", async () => {
		assertError(
			await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/programs`, {
				token: alice.token,
				body: { language: "javascript", source: SUM }
			}),
			409,
			"CONTEST_NOT_RUNNING"
		);
	});

	it("when participants submit programs then the board counts each verdict at the contest's time of its submission", async () => {
		await h.at(startsAt.getTime() + 5 * 60_000);
		const wrong = await submit(alice, DIFFERENCE);
		assert.equal((await judged(alice, wrong.id)).verdict, "WA");
		await h.at(startsAt.getTime() + 12 * 60_000);
		const right = await submit(alice, SUM);
		assert.equal((await judged(alice, right.id)).verdict, "AC");
		await h.at(startsAt.getTime() + 20 * 60_000);
		const bobs = await submit(bob, SMALL_ONLY);
		assert.equal((await judged(bob, bobs.id)).verdict, "AC");
		const standings = await eventually(
			"both solves on the board",
			board,
			b => rowOf(b, alice)?.solved === 1 && rowOf(b, bob)?.solved === 1,
			30_000,
			100
		);
		assert.equal(rowOf(standings, alice).penalty, 12 + 20, "12 minutes plus one wrong try");
		assert.equal(rowOf(standings, bob).penalty, 20);
		assert.deepEqual(
			standings.rows.map((r: any) => r.userId),
			[bob.id, alice.id]
		);
		assertError(
			await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/submissions`, {
				token: alice.token,
				body: { answer: "3" }
			}),
			422
		);
	});

	it("when the organiser adds a test and rejudges then a verdict that changed moves the board, once", async () => {
		const upload = await fetch(`${h.platform.baseUrl}/api/problems/${codeProblem.code.problemId}/tests`, {
			method: "PUT",
			headers: { authorization: `Bearer ${organiser.token}`, "content-type": "application/zip" },
			body: zipSync({
				"samples/1.in": strToU8("1 2\n"),
				"samples/1.out": strToU8("3\n"),
				"2.in": strToU8("20 22\n"),
				"2.out": strToU8("42\n"),
				"3.in": strToU8("1 1000\n"),
				"3.out": strToU8("1001\n")
			})
		});
		assert.equal(upload.status, 200, await upload.text());
		assertError(await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/rejudge`, { token: alice.token }), 403);
		const { requeued } = ok(
			await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/rejudge`, { token: organiser.token }),
			202
		);
		assert.equal(requeued, 3);
		const standings = await eventually("bob's solve withdrawn", board, b => rowOf(b, bob)?.solved === 0, VERDICT_MS, 200);
		assert.equal(rowOf(standings, alice).solved, 1, "alice's program passes the new test too");
		assert.equal(rowOf(standings, alice).penalty, 32, "her verdicts did not change, nor did her row");
		assert.equal(rowOf(standings, bob).problems[codeProblem.id].wrongTries, 1);
		const mine = ok(await h.api("GET", `/api/contests/${contestId}/submissions/me`, { token: bob.token }));
		assert.deepEqual(
			mine.map((s: { verdict: string }) => s.verdict),
			["wrong"],
			"one row per program, its verdict replaced"
		);
	});
});
