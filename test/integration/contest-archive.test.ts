/**
 * A contest's code problems joining the practice archive, in one process on the real PostgreSQL and
 * Redis: refused before the end and to anyone but the organiser; after the end the organiser's
 * release publishes them once (contest.archived through the outbox, problem.published once each,
 * whatever is delivered again), with the participants' contest solves counted in the archive.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { DomainEvent } from "../../lib/events/envelope";
import {
	assertError,
	contestsPlatform,
	MINUTE,
	minutesAfter,
	ok,
	query,
	secretAnswer,
	SUM_CODE_PROBLEM,
	type TestUser
} from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { unavailable } from "../helpers/services";

const VERDICT_MS = 60_000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;

describe("a contest's code problems released to the practice archive", { skip: unavailable("postgres", "redis") }, () => {
	const problemsDb = scratchDatabase("codelearn_test_problems");
	const h = contestsPlatform({
		env: { SERVICES: "gateway,users,groups,contests,audit,problems,judge", PROBLEMS_DATABASE_URL: problemsDb.url, JUDGE_SLOTS: "1" }
	});
	let organiser: TestUser, alice: TestUser, bob: TestUser;
	let contestId: string, answersOnlyId: string, codeProblem: any, judgeProblem: string, startsAt: Date, endsAt: Date;

	const archive = (id: string, token?: string) => h.api("POST", `/api/contests/${id}/archive`, { token });
	const judged = (user: TestUser, id: string) =>
		eventually(
			`submission ${id} judged`,
			async () => ok(await h.api("GET", `/api/submissions/${id}`, { token: user.token })),
			s => s.status === "done",
			VERDICT_MS,
			100
		);
	const inArchive = async () => ok(await h.api("GET", "/api/problems?pageSize=100")).rows as { id: string }[];
	const problemsOutbox = (type: string, aggregateId: string) =>
		query<{ envelope: DomainEvent }>(problemsDb.url, `SELECT envelope FROM problems.outbox WHERE type = $1 AND aggregate_id = $2`, [
			type,
			aggregateId
		]);
	const contestBody = (title: string) => ({
		title,
		startsAt: startsAt.toISOString(),
		endsAt: endsAt.toISOString(),
		scoring: "icpc"
	});

	before(async () => {
		await h.start();
		[organiser, alice, bob] = await Promise.all([h.register("org"), h.register("alice"), h.register("bob")]);
		startsAt = minutesAfter(h.clock, 10);
		endsAt = new Date(startsAt.getTime() + 30 * MINUTE);
		contestId = ok(await h.api("POST", "/api/contests", { token: organiser.token, body: contestBody("Archive round") }), 201).id;
		codeProblem = ok(
			await h.api("POST", `/api/contests/${contestId}/problems`, {
				token: organiser.token,
				body: SUM_CODE_PROBLEM
			}),
			201
		);
		judgeProblem = codeProblem.code.problemId;
		const answer = { title: "Guess", statement: "Which number?", points: 1, answer: secretAnswer("arch") };
		ok(await h.api("POST", `/api/contests/${contestId}/problems`, { token: organiser.token, body: answer }), 201);
		answersOnlyId = ok(await h.api("POST", "/api/contests", { token: organiser.token, body: contestBody("Answers only") }), 201).id;
		ok(await h.api("POST", `/api/contests/${answersOnlyId}/problems`, { token: organiser.token, body: answer }), 201);
		for (const user of [alice, bob]) ok(await h.api("POST", `/api/contests/${contestId}/register`, { token: user.token }), 201);
	});

	after(async () => {
		await h.stop();
		await problemsDb.drop();
	});

	it("when the contest has not ended then the release is refused, and only its organiser may ask", async () => {
		assertError(await archive(contestId, organiser.token), 409, "CONTEST_NOT_ENDED");
		assertError(await archive(contestId, alice.token), 403);
		assertError(await archive(contestId), 401);
		assertError(await archive("not-a-uuid", organiser.token), 422);
		assertError(await archive(randomUUID(), organiser.token), 404);

		await h.at(startsAt.getTime() + 5 * MINUTE);
		const program = ok(
			await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/programs`, {
				token: alice.token,
				body: { language: "javascript", source: SUM }
			}),
			202
		);
		assert.equal((await judged(alice, program.id)).verdict, "AC");
		assertError(await archive(contestId, organiser.token), 409, "CONTEST_NOT_ENDED");
		assert.ok(!(await inArchive()).some(p => p.id === judgeProblem), "a running contest's problem is not in the archive");
		assertError(await h.api("GET", `/api/problems/${judgeProblem}`, { token: bob.token }), 404);
	});

	it("when the organiser releases after the end then the code problems join the archive once, with the contest's solves", async () => {
		await h.at(endsAt.getTime() + MINUTE);
		assertError(await archive(contestId, alice.token), 403);
		const res = await archive(contestId, organiser.token);
		const view = ok(res, 202);
		assert.match(view.archivedAt, ISO);
		assert.equal(view.status, "ended");
		assert.equal(ok(await h.api("GET", `/api/contests/${contestId}`)).archivedAt, view.archivedAt);

		const listed = await eventually(
			"the problem in the archive",
			inArchive,
			rows => rows.some(p => p.id === judgeProblem),
			30_000,
			100
		);
		assert.equal(listed.filter(p => p.id === judgeProblem).length, 1, "only the code problem: answer problems have no tests");
		const seen = ok(await h.api("GET", `/api/problems/${judgeProblem}`));
		assert.deepEqual(
			[seen.status, seen.title, seen.authorId, seen.solvedCount, seen.solved, seen.testCount],
			["published", "Sum", organiser.id, 1, false, 2]
		);
		assert.deepEqual(seen.samples, [{ input: "1 2\n", output: "3\n" }]);
		assert.equal(
			ok(await h.api("GET", `/api/problems/${judgeProblem}`, { token: alice.token })).solved,
			true,
			"her contest solve counts"
		);
		assertError(await archive(contestId, organiser.token), 409, "ALREADY_ARCHIVED");

		const [archived] = await h.contestsDb(
			`SELECT count(*)::int AS n FROM contests.outbox WHERE type = 'contest.archived' AND aggregate_id = $1`,
			[contestId]
		);
		assert.equal(archived.n, 1);
		const published = await problemsOutbox("problem.published", judgeProblem);
		assert.equal(published.length, 1);
		assert.equal(published[0].envelope.actorId, organiser.id);
	});

	it("when contest.archived is delivered again, or re-driven under a new id, then nothing is published twice", async () => {
		const [{ envelope }] = await h.contestsDb<{ envelope: DomainEvent }>(
			`SELECT envelope FROM contests.outbox WHERE type = 'contest.archived' AND aggregate_id = $1`,
			[contestId]
		);
		const inbox = (h.platform.broker.getLocalService("problems") as any).inbox;
		await inbox.deliver(envelope);
		await inbox.deliver({ ...envelope, id: randomUUID() });
		assert.equal((await problemsOutbox("problem.published", judgeProblem)).length, 1);
		const [retries] = await query(problemsDb.url, `SELECT count(*)::int AS n FROM problems.event_retries`);
		assert.equal(retries.n, 0, "both deliveries succeeded");
		const [applied] = await query(
			problemsDb.url,
			`SELECT count(*)::int AS n FROM problems.processed_events WHERE type = 'contest.archived'`
		);
		assert.equal(applied.n, 2, "the copy under a new id was applied, and published nothing");
	});

	it("when a participant practises on the released problem then it is judged outside the contest and counts in the archive only", async () => {
		assertError(
			await h.api("POST", `/api/contests/${contestId}/problems/${codeProblem.id}/programs`, {
				token: bob.token,
				body: { language: "javascript", source: SUM }
			}),
			409,
			"CONTEST_ENDED"
		);
		const submitted = ok(
			await h.api("POST", `/api/problems/${judgeProblem}/submissions`, {
				token: bob.token,
				body: { language: "javascript", source: SUM }
			}),
			202
		);
		assert.equal((await judged(bob, submitted.id)).verdict, "AC");
		const seen = ok(await h.api("GET", `/api/problems/${judgeProblem}`, { token: bob.token }));
		assert.deepEqual([seen.solved, seen.solvedCount], [true, 2]);
		const board = ok(await h.api("GET", `/api/contests/${contestId}/leaderboard`, { token: organiser.token }));
		assert.equal(board.rows.find((r: any) => r.userId === bob.id).solved, 0, "the contest's board is the contest's");
	});

	it("when a contest has answer problems only then there is nothing to release", async () => {
		assertError(await archive(answersOnlyId, organiser.token), 409, "NO_CODE_PROBLEMS");
		assert.equal(ok(await h.api("GET", `/api/contests/${answersOnlyId}`)).archivedAt, null);
	});
});
