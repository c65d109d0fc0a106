/**
 * The contests API through the gateway, on the real PostgreSQL and Redis, with time controlled by
 * a clock the tests move (the service reads time only from its clock): scheduling, group contests,
 * problems, registration, judging and throttling, ICPC and points leaderboards against
 * hand-computed tables (with ties and a freeze), the Redis leaderboard lost and rebuilt, a hundred
 * concurrent participants, account and group deletion, and the answers' secrecy. Then one scenario
 * on the in-memory leaderboard, and three replicas of the service claiming each transition once.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { deleteEventTopology } from "../helpers/amqp";
import { createLeaderboardStore, type LeaderboardStore, type Placement } from "../../services/contests/leaderboard";
import {
	asUser,
	assertError,
	assertPagesFollowChanges,
	castOf,
	byName,
	type Cast,
	contestsClient,
	contestsInstance,
	contestsPlatform,
	dropLeaderboards,
	FakeClock,
	leaks,
	MINUTE,
	minutesAfter,
	type NamedRow,
	offset,
	ok,
	overBroker,
	overHttp,
	play,
	query,
	redisDump,
	secretAnswer,
	sortRows,
	type TestUser,
	tickNow,
	uniqueWord
} from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { unsafeMarkup } from "../helpers/posts";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_KEYS = ["page", "pageSize", "rows", "total", "totalPages"];
const CONTEST_KEYS = [
	"archivedAt",
	"createdAt",
	"description",
	"endsAt",
	"freezeMinutes",
	"groupId",
	"id",
	"organiserId",
	"participantCount",
	"problemCount",
	"rated",
	"registered",
	"scoring",
	"startsAt",
	"status",
	"title",
	"updatedAt"
];
const PROBLEM_KEYS = ["caseSensitive", "code", "id", "kind", "points", "position", "statement", "statementHtml", "title"];
const SUBMISSION_KEYS = ["id", "problemId", "scored", "submittedAt", "verdict"];
const BOARD_KEYS = ["frozenAt", "me", "page", "pageSize", "rows", "total", "totalPages"];
/** Delivery through the outbox, on a loaded machine. */
const DELIVERY_MS = 30_000;

const at = (start: Date, mmss: string) => new Date(start.getTime() + offset(mmss));

describe("contests API through the gateway, on the real PostgreSQL and Redis", { skip: unavailable("postgres", "redis") }, () => {
	const h = contestsPlatform();
	const c = contestsClient(h);
	/** Every expected answer this file gives a problem: none may ever come back. */
	const answers: string[] = [];
	const secret = (label?: string) => {
		const answer = secretAnswer(label);
		answers.push(answer);
		return answer;
	};
	let organiser: TestUser;
	let p1: TestUser;
	let p2: TestUser;
	let p3: TestUser;
	let p4: TestUser;
	let doomed: TestUser;
	let admin: TestUser;

	/** A contest of `organiser` starting at a whole minute at least 10 minutes ahead, with problems (answers kept). */
	async function contestWith(problems: string[], minutes: number, extra: Record<string, unknown> = {}) {
		const start = minutesAfter(h.clock, 10);
		const contest = await c.create(organiser, start, minutes, extra);
		const cast: Cast = { contestId: contest.id, startsAt: start, users: {}, problems: {} };
		for (const name of problems) {
			const answer = secret(name);
			cast.problems[name] = {
				id: (await c.addProblem(contest.id, organiser, answer, { title: `Problem ${name}`, points: 1 })).id,
				answer
			};
		}
		return { contest, start, end: new Date(contest.endsAt), cast };
	}

	before(async () => {
		await h.start();
		[organiser, p1, p2, p3, p4, doomed] = await h.registerMany(6, "contest");
		admin = await h.registerAdmin();
	});

	after(() => h.stop());

	describe("scheduling", () => {
		it("when a user schedules a contest then 201 with its view: upcoming, no problems, no participants, not registered, organised by the caller", async () => {
			const start = minutesAfter(h.clock, 30);
			const body = c.body(start, 90, { scoring: "points", freezeMinutes: 15, description: "Three problems, one hour and a half." });
			const res = await c.post(organiser, body);
			const view = ok(res, 201);
			assert.equal(res.headers.get("location"), `/api/contests/${view.id}`);
			assert.deepEqual(Object.keys(view).sort(), CONTEST_KEYS);
			assert.match(view.id, UUID);
			assert.match(view.createdAt, ISO);
			assert.match(view.updatedAt, ISO);
			const fields = Object.fromEntries(Object.entries(view).filter(([k]) => !["id", "createdAt", "updatedAt"].includes(k)));
			assert.deepEqual(fields, {
				title: body.title,
				description: body.description,
				startsAt: body.startsAt,
				endsAt: body.endsAt,
				status: "upcoming",
				scoring: "points",
				rated: false,
				groupId: null,
				freezeMinutes: 15,
				organiserId: organiser.id,
				problemCount: 0,
				participantCount: 0,
				registered: false,
				archivedAt: null
			});
			assert.deepEqual(await c.read(view.id), view, "anyone reads the same view");
			assert.ok(
				(await c.all("status=upcoming")).some(r => r.id === view.id),
				"listed among the upcoming contests"
			);
			const [created] = await h.audited(admin, view.id, "contest.created");
			assert.equal(created.actorId, organiser.id);
			assert.deepEqual(
				{
					startsAt: created.payload.startsAt,
					endsAt: created.payload.endsAt,
					scoring: created.payload.scoring,
					contestId: created.payload.contestId
				},
				{ startsAt: body.startsAt, endsAt: body.endsAt, scoring: "points", contestId: view.id }
			);
		});

		it("when the schedule or the body is invalid then 422 naming the field, and no contest is created", async () => {
			const countOpen = async () => ok(await c.list("pageSize=1")).total as number;
			const before = await countOpen();
			const now = h.clock.now().getTime();
			const start = minutesAfter(h.clock, 60);
			const iso = (ms: number) => new Date(ms).toISOString();
			const cases: [string, Record<string, unknown>, string][] = [
				["a start in the past", { startsAt: iso(now - MINUTE), endsAt: iso(now + 60 * MINUTE) }, "startsAt"],
				["a start right now", { startsAt: iso(now), endsAt: iso(now + 60 * MINUTE) }, "startsAt"],
				["an end at the start", { endsAt: iso(start.getTime()) }, "endsAt"],
				["an end before the start", { endsAt: iso(start.getTime() - MINUTE) }, "endsAt"],
				["a second under 5 minutes", { endsAt: iso(start.getTime() + 5 * MINUTE - 1000) }, "endsAt"],
				["a second over 14 days", { endsAt: iso(start.getTime() + 14 * 24 * 60 * MINUTE + 1000) }, "endsAt"],
				["an unknown scoring", { scoring: "elo" }, "scoring"],
				["a title too short", { title: "ab" }, "title"],
				["a freeze of 0 minutes", { freezeMinutes: 0 }, "freezeMinutes"],
				["a start that is no date", { startsAt: "next tuesday" }, "startsAt"]
			];
			for (const [what, change, field] of cases) {
				const res = await c.post(organiser, { ...c.body(start, 60), ...change });
				assertError(res, 422);
				assert.ok(
					(res.body.data as { field: string }[]).some(d => d.field === field),
					`${what}: 422 names ${field}: ${JSON.stringify(res.body.data)}`
				);
			}
			assertError(await c.post(undefined, c.body(start, 60)), 401, "UNAUTHORIZED");
			assert.equal(await countOpen(), before, "no contest was created by a refused request");

			// The bounds themselves are allowed.
			const shortest = await c.create(organiser, start, 5);
			const longest = await c.create(organiser, start, 14 * 24 * 60);
			assert.equal(new Date(shortest.endsAt).getTime() - start.getTime(), 5 * MINUTE);
			assert.equal(new Date(longest.endsAt).getTime() - start.getTime(), 14 * 24 * 60 * MINUTE);
			assert.equal(await countOpen(), before + 2);
		});

		it("when contests are listed by status then each page holds only that status, in schedule order, and pages do not overlap", async () => {
			const base = minutesAfter(h.clock, 10);
			const ended = await c.create(organiser, base, 5);
			const running = await c.create(organiser, base, 120);
			const soon = await c.create(organiser, at(base, "60:00"), 60);
			const later = await c.create(organiser, at(base, "90:00"), 60);
			await h.at(at(base, "30:00"));

			const byStatus = async (status: string) => {
				const rows = await c.all(`status=${status}`);
				assert.ok(rows.length > 0);
				assert.ok(
					rows.every(r => r.status === status),
					`only ${status}: ${rows.map(r => r.status).join()}`
				);
				return rows;
			};
			const runningRows = await byStatus("running");
			const endedRows = await byStatus("ended");
			const upcomingRows = await byStatus("upcoming");
			assert.deepEqual(
				[running, ended, soon, later].map(x =>
					[runningRows, endedRows, upcomingRows].findIndex(rows => rows.some(r => r.id === x.id))
				),
				[0, 1, 2, 2],
				"each contest is listed under its own status only"
			);
			const starts = upcomingRows.map(r => Date.parse(r.startsAt));
			assert.deepEqual(
				starts,
				[...starts].sort((a, b) => a - b),
				"upcoming: soonest first"
			);
			const ends = endedRows.map(r => Date.parse(r.endsAt));
			assert.deepEqual(
				ends,
				[...ends].sort((a, b) => b - a),
				"ended: latest first"
			);
			assert.equal((await c.read(running.id)).status, "running");
			assert.equal((await c.read(ended.id)).status, "ended");

			const first = ok(await c.list("status=upcoming&pageSize=1&page=1"));
			const second = ok(await c.list("status=upcoming&pageSize=1&page=2"));
			assert.deepEqual(Object.keys(first).sort(), PAGE_KEYS);
			assert.equal(first.total, upcomingRows.length);
			assert.equal(first.totalPages, upcomingRows.length);
			assert.deepEqual([first.rows.length, second.rows.length, second.total], [1, 1, first.total]);
			assert.notEqual(first.rows[0].id, second.rows[0].id, "pages do not overlap");
			assert.deepEqual(
				[first.rows[0].id, second.rows[0].id],
				upcomingRows.slice(0, 2).map(r => r.id)
			);

			assertError(await c.list("status=paused"), 422);
			assertError(await c.list("pageSize=101"), 422);
			assertError(await c.get(randomUUID()), 404, "NOT_FOUND");
			assertError(await c.get("not-a-uuid"), 422);
		});

		it("when someone other than the organiser edits or deletes a contest then 403 and it is unchanged; the organiser edits and deletes it before the start", async () => {
			const start = minutesAfter(h.clock, 60);
			const contest = await c.create(organiser, start, 60);
			assertError(await c.patch(contest.id, p1, { title: "Taken over" }), 403, "FORBIDDEN");
			assertError(await c.remove(contest.id, p1), 403, "FORBIDDEN");
			assertError(await c.patch(contest.id, undefined, { title: "Taken over" }), 401, "UNAUTHORIZED");
			assertError(await c.remove(contest.id, undefined), 401, "UNAUTHORIZED");
			assert.deepEqual(await c.read(contest.id), contest, "unchanged by refused requests");

			const moved = minutesAfter(h.clock, 120);
			const edited = ok(
				await c.patch(contest.id, organiser, {
					title: "Renamed contest",
					startsAt: moved.toISOString(),
					endsAt: at(moved, "45:00").toISOString(),
					freezeMinutes: 5
				})
			);
			assert.deepEqual(
				[edited.title, edited.startsAt, edited.endsAt, edited.freezeMinutes, edited.status],
				["Renamed contest", moved.toISOString(), at(moved, "45:00").toISOString(), 5, "upcoming"]
			);
			const endBeforeStart = await c.patch(contest.id, organiser, { endsAt: moved.toISOString() });
			assertError(endBeforeStart, 422);
			assert.ok(endBeforeStart.body.data.some((d: { field: string }) => d.field === "endsAt"));
			const startInPast = await c.patch(contest.id, organiser, {
				startsAt: new Date(h.clock.now().getTime() - MINUTE).toISOString()
			});
			assertError(startInPast, 422);
			assert.ok(startInPast.body.data.some((d: { field: string }) => d.field === "startsAt"));
			assert.deepEqual(await c.read(contest.id, organiser), edited, "unchanged by refused edits");

			assert.equal((await c.remove(contest.id, organiser)).status, 204);
			assertError(await c.get(contest.id, organiser), 404, "NOT_FOUND");
			assertError(await c.remove(contest.id, organiser), 404, "NOT_FOUND");
			const [deleted] = await h.audited(admin, contest.id, "contest.deleted");
			assert.equal(deleted.payload.reason, "deleted");
		});

		it("when the contest has started then its schedule, its problems and its existence are fixed: 409 CONTEST_STARTED", async () => {
			const { contest, start, end } = await contestWith(["A"], 60);
			await h.at(start);
			const running = await c.read(contest.id, organiser);
			assert.equal(running.status, "running");
			assertError(await c.patch(contest.id, organiser, { title: "Too late now" }), 409, "CONTEST_STARTED");
			assertError(await c.patch(contest.id, organiser, { endsAt: at(end, "60:00").toISOString() }), 409, "CONTEST_STARTED");
			assertError(await c.remove(contest.id, organiser), 409, "CONTEST_STARTED");
			assertError(
				await c.postProblem(contest.id, organiser, {
					title: "Late problem",
					statement: "Too late.",
					points: 1,
					answer: secret("late")
				}),
				409,
				"CONTEST_STARTED"
			);
			assert.deepEqual(await c.read(contest.id, organiser), running, "unchanged: one problem, same schedule");
			await h.at(end);
			assertError(await c.remove(contest.id, organiser), 409, "CONTEST_STARTED");
			assert.equal((await c.read(contest.id, organiser)).status, "ended");
		});
	});

	describe("group contests", () => {
		it("when a contest is scheduled in a group then only its owners and admins may, and only its members see it", async () => {
			const group = ok(
				await h.api("POST", "/api/groups", {
					token: organiser.token,
					body: { name: `contests ${uniqueWord(8)}`, visibility: "public", joinPolicy: "open" }
				}),
				201
			);
			ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: p1.token }));
			ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: p3.token }));
			ok(await h.api("PATCH", `/api/groups/${group.id}/members/${p3.id}`, { token: organiser.token, body: { role: "admin" } }));
			const openTotal = ok(await c.list("pageSize=1")).total;
			const start = minutesAfter(h.clock, 60);

			assertError(await c.post(p1, c.body(start, 60, { groupId: group.id })), 403, "FORBIDDEN");
			assertError(await c.post(p2, c.body(start, 60, { groupId: group.id })), 404);
			assertError(await c.post(organiser, c.body(start, 60, { groupId: randomUUID() })), 404);
			const byAdmin = await c.create(p3, start, 60, { groupId: group.id });
			const byOwner = await c.create(organiser, start, 60, { groupId: group.id });
			assert.deepEqual([byAdmin.groupId, byAdmin.organiserId, byOwner.organiserId], [group.id, p3.id, organiser.id]);

			assert.equal((await c.read(byAdmin.id, p1)).id, byAdmin.id, "a plain member sees it");
			assert.equal((await c.read(byOwner.id, p3)).id, byOwner.id);
			for (const outsider of [p2, undefined]) {
				assertError(await c.get(byAdmin.id, outsider), 404, "NOT_FOUND");
				assertError(await c.leaderboard(byAdmin.id, outsider), 404, "NOT_FOUND");
			}
			assertError(await c.register(byAdmin.id, p2), 404, "NOT_FOUND");
			ok(await c.register(byAdmin.id, p1), 201);

			assert.equal(ok(await c.list("pageSize=1")).total, openTotal, "group contests are not in the open listing");
			assert.ok(!(await c.all("status=upcoming", p1)).some(r => r.groupId), "not even for members");
			const inGroup = await c.all(`group=${group.id}`, p1);
			assert.deepEqual(inGroup.map(r => r.id).sort(), [byAdmin.id, byOwner.id].sort());
			assert.deepEqual(
				inGroup.map(r => r.registered),
				inGroup.map(r => r.id === byAdmin.id)
			);
			assertError(await c.list(`group=${group.id}`, p2), 404);
			assertError(await c.list(`group=${group.id}`), 404);
		});
	});

	describe("problems and registration", () => {
		it("when the organiser adds problems then 201 with numbered, sanitised problems and no answer in any form; anyone else is refused and nothing is added", async () => {
			const contest = await c.create(organiser, minutesAfter(h.clock, 30), 60);
			const statement = "## Sum\n\nAdd **all** the numbers.\n\n<script>alert('x')</script>\n\n[link](javascript:alert(1))";
			const res = await c.postProblem(contest.id, organiser, { title: "Sum of all", statement, points: 30, answer: secret("sum") });
			const first = ok(res, 201);
			assert.deepEqual(Object.keys(first).sort(), PROBLEM_KEYS, "no answer, no hash");
			assert.deepEqual(
				[first.position, first.title, first.statement, first.points, first.caseSensitive],
				[1, "Sum of all", statement, 30, false]
			);
			assert.match(first.statementHtml, /<strong>all<\/strong>/);
			assert.deepEqual(unsafeMarkup(first.statementHtml), []);
			const second = await c.addProblem(contest.id, organiser, secret("case"), { caseSensitive: true, points: 70 });
			assert.deepEqual([second.position, second.points, second.caseSensitive], [2, 70, true]);

			const valid = () => ({ title: "Another one", statement: "Text.", points: 5, answer: secret("refused") });
			assertError(await c.postProblem(contest.id, p1, valid()), 403, "FORBIDDEN");
			assertError(await c.postProblem(contest.id, undefined, valid()), 401, "UNAUTHORIZED");
			assertError(await c.postProblem(randomUUID(), organiser, valid()), 404, "NOT_FOUND");
			const invalid: [Record<string, unknown>, string][] = [
				[{ ...valid(), points: 0 }, "points"],
				[{ ...valid(), answer: undefined }, "answer"],
				[{ ...valid(), answer: "   " }, "answer"],
				[{ ...valid(), title: "x" }, "title"],
				[{ ...valid(), statement: "" }, "statement"]
			];
			for (const [body, field] of invalid) {
				const refused = await c.postProblem(contest.id, organiser, body);
				assertError(refused, 422);
				assert.ok(
					refused.body.data.some((d: { field: string }) => d.field === field),
					`422 names ${field}: ${JSON.stringify(refused.body)}`
				);
			}

			assert.equal((await c.read(contest.id)).problemCount, 2);
			const listed = ok(await c.problems(contest.id, organiser));
			assert.deepEqual(listed, [first, second]);
			for (const problem of listed) {
				for (const [key, value] of Object.entries(problem)) {
					assert.doesNotMatch(key, /answer|hash|secret/i);
					assert.ok(
						!(typeof value === "string" && /[0-9a-f]{32,}/i.test(value)),
						`nothing like a hash in ${key}: ${String(value)}`
					);
				}
			}
		});

		it("when a contest holds 50 problems then a 51st is 409 TOO_MANY_PROBLEMS and not added (the points score stays exact)", async () => {
			const contest = await c.create(organiser, minutesAfter(h.clock, 30), 60);
			for (let i = 0; i < 50; i++) await c.addProblem(contest.id, organiser, secret(`p${i}`), { points: 10_000 });
			assertError(
				await c.postProblem(contest.id, organiser, { title: "One too many", statement: "Text.", points: 1, answer: secret("no") }),
				409,
				"TOO_MANY_PROBLEMS"
			);
			assert.equal((await c.read(contest.id)).problemCount, 50);
		});

		it("when someone reads the problems then the organiser always may, registered participants once it runs, others never", async () => {
			const { contest, start, end } = await contestWith(["A", "B"], 60);
			assert.equal(ok(await c.problems(contest.id, organiser)).length, 2, "the organiser, before the start");
			assertError(await c.problems(contest.id, p1), 403, "NOT_REGISTERED");
			assertError(await c.problems(contest.id, undefined), 401, "UNAUTHORIZED");

			const registration = ok(await c.register(contest.id, p1), 201);
			assert.deepEqual(registration, { contestId: contest.id, userId: p1.id, registered: true });
			assertError(await c.problems(contest.id, p1), 409, "CONTEST_NOT_RUNNING");
			assertError(await c.register(contest.id, p1), 409, "ALREADY_REGISTERED");
			assertError(await c.register(contest.id, undefined), 401, "UNAUTHORIZED");
			const mine = await c.read(contest.id, p1);
			assert.deepEqual([mine.registered, mine.participantCount], [true, 1], "registered once");
			assert.equal((await c.read(contest.id, p2)).registered, false);

			await h.at(start);
			assert.deepEqual(
				ok(await c.problems(contest.id, p1)).map((p: { position: number }) => p.position),
				[1, 2]
			);
			assertError(await c.problems(contest.id, p2), 403, "NOT_REGISTERED");
			ok(await c.register(contest.id, p2), 201);
			assert.equal(ok(await c.problems(contest.id, p2)).length, 2, "late registration while running");
			assert.equal((await c.read(contest.id)).participantCount, 2);

			await h.at(end);
			assertError(await c.register(contest.id, p3), 409, "CONTEST_ENDED");
			assert.equal((await c.read(contest.id)).participantCount, 2, "the refused registration added no one");
			assert.equal(ok(await c.problems(contest.id, organiser)).length, 2);
			assert.equal(ok(await c.problems(contest.id, p1)).length, 2);
		});
	});

	describe("submissions", () => {
		it("when answers are submitted outside the rules then they are refused with clear errors and nothing is recorded", async () => {
			const { contest, start, end, cast } = await contestWith(["A"], 30);
			const other = await contestWith(["X"], 30);
			const A = cast.problems.A;
			await c.join(contest.id, p1);

			assertError(await c.submit(contest.id, A.id, p1, A.answer), 409, "CONTEST_NOT_RUNNING");
			await h.at(start);
			assertError(await c.submit(contest.id, A.id, p2, A.answer), 403, "NOT_REGISTERED");
			assertError(await c.submit(contest.id, A.id, undefined, A.answer), 401, "UNAUTHORIZED");
			assertError(await c.submit(contest.id, randomUUID(), p1, A.answer), 404);
			assertError(await c.submit(contest.id, other.cast.problems.X.id, p1, other.cast.problems.X.answer), 404);
			assertError(await c.submit(randomUUID(), A.id, p1, A.answer), 404);
			assertError(await c.submit(contest.id, A.id, p1, ""), 422);
			assertError(
				await h.api("POST", `/api/contests/${contest.id}/problems/${A.id}/submissions`, { token: p1.token, body: {} }),
				422
			);
			assert.deepEqual(await c.mySubmissions(contest.id, p1), [], "no refused answer was recorded");
			assert.deepEqual(await c.mySubmissions(contest.id, p2), []);
			const board = await c.board(contest.id);
			assert.deepEqual(
				board.rows.map((r: { userId: string; solved: number }) => [r.userId, r.solved]),
				[[p1.id, 0]],
				"only the registered participant, with nothing solved"
			);

			h.clock.set(end.getTime() - 1);
			const last = ok(await c.submit(contest.id, A.id, p1, A.answer), 201);
			assert.equal(last.verdict, "accepted", "a millisecond before the end still counts");
			h.clock.set(end);
			assertError(await c.submit(contest.id, A.id, p1, A.answer), 409, "CONTEST_ENDED");
			h.clock.set(end.getTime() + 10 * MINUTE);
			assertError(await c.submit(contest.id, A.id, p1, A.answer), 409, "CONTEST_ENDED");
			assert.deepEqual(
				(await c.mySubmissions(contest.id, p1)).map(s => s.id),
				[last.id],
				"only the answer in time is recorded"
			);
		});

		it("when an answer differs from the expected one only in spacing or case then it is accepted, unless the problem is case-sensitive", async () => {
			const start = minutesAfter(h.clock, 10);
			const contest = await c.create(organiser, start, 60);
			const word = uniqueWord(8);
			const loose = `Quartz Prism ${word}`;
			const strict = `MixedCase-${uniqueWord(8)}`;
			answers.push(loose, strict);
			const A = await c.addProblem(contest.id, organiser, loose);
			const S = await c.addProblem(contest.id, organiser, strict, { caseSensitive: true });
			await c.join(contest.id, p1, p2);
			await h.at(start);

			const accepted = ok(await c.submit(contest.id, A.id, p1, `   qUARTZ    prism  ${word.toUpperCase()}  `), 201);
			assert.deepEqual(Object.keys(accepted).sort(), SUBMISSION_KEYS);
			assert.match(accepted.id, UUID);
			assert.deepEqual(
				[accepted.problemId, accepted.verdict, accepted.scored, accepted.submittedAt],
				[A.id, "accepted", true, start.toISOString()]
			);
			assert.equal(
				ok(await c.submit(contest.id, A.id, p2, `quartz\tprism\n${word}`), 201).verdict,
				"accepted",
				"tabs and newlines are whitespace"
			);

			h.clock.advance(1000);
			assert.equal(ok(await c.submit(contest.id, S.id, p1, strict.toLowerCase()), 201).verdict, "wrong", "case matters here");
			h.clock.advance(5000);
			assert.equal(ok(await c.submit(contest.id, S.id, p1, `  ${strict} `), 201).verdict, "accepted");
			h.clock.advance(10_000);
			assert.equal(ok(await c.submit(contest.id, S.id, p2, `${strict}x`), 201).verdict, "wrong", "no prefix matching");

			assert.deepEqual(
				(await c.mySubmissions(contest.id, p1)).map(s => [s.problemId, s.verdict, s.scored]),
				[
					[A.id, "accepted", true],
					[S.id, "wrong", false],
					[S.id, "accepted", true]
				]
			);
		});

		it("when a participant answers quickly then each next answer waits 5 s, doubling after each wrong one up to 5 minutes; a throttled answer is neither judged nor recorded", async () => {
			const { contest, start, cast } = await contestWith(["A", "B"], 60);
			const { A, B } = cast.problems;
			await c.join(contest.id, p1);
			await h.at(start);

			// Seconds to wait after the 1st, 2nd, … wrong answer in a row.
			const COOLDOWNS = [5, 10, 20, 40, 80, 160, 300, 300];
			let t = start.getTime() + MINUTE;
			for (const [i, wait] of COOLDOWNS.entries()) {
				h.clock.set(t);
				assert.equal(ok(await c.submit(contest.id, A.id, p1, `guess ${i}`), 201).verdict, "wrong");
				const throttled = await c.submit(contest.id, A.id, p1, A.answer);
				assertError(throttled, 429, "TOO_MANY_REQUESTS");
				assert.equal(throttled.headers.get("retry-after"), String(wait), `after ${i + 1} wrong answers in a row`);
				if (i === 2) {
					h.clock.set(t + 1000);
					assert.equal(
						ok(await c.submit(contest.id, B.id, p1, "a guess at B"), 201).verdict,
						"wrong",
						"another problem is not throttled"
					);
				}
				h.clock.set(t + wait * 1000 - 1);
				const stillThrottled = await c.submit(contest.id, A.id, p1, A.answer);
				assertError(stillThrottled, 429, "TOO_MANY_REQUESTS");
				assert.equal(stillThrottled.headers.get("retry-after"), "1");
				t += wait * 1000;
			}
			h.clock.set(t);
			const solved = ok(await c.submit(contest.id, A.id, p1, A.answer), 201);
			assert.deepEqual([solved.verdict, solved.scored], ["accepted", true]);
			const again = await c.submit(contest.id, A.id, p1, A.answer);
			assertError(again, 429, "TOO_MANY_REQUESTS");
			assert.equal(again.headers.get("retry-after"), "5", "after an accepted answer, the plain gap again");
			h.clock.set(t + 5000);
			const resubmitted = ok(await c.submit(contest.id, A.id, p1, A.answer), 201);
			assert.deepEqual([resubmitted.verdict, resubmitted.scored], ["accepted", false]);

			const mine = await c.mySubmissions(contest.id, p1);
			assert.deepEqual(
				mine.map(s => `${s.problemId === A.id ? "A" : "B"}:${s.verdict}`),
				[...["wrong", "wrong", "wrong"].map(v => `A:${v}`), "B:wrong", ...Array(5).fill("A:wrong"), "A:accepted", "A:accepted"],
				"the throttled answers (the right one among them) were not recorded"
			);
			const me = (await c.board(contest.id, p1)).me;
			assert.deepEqual(me.problems[A.id], {
				solved: true,
				wrongTries: 8,
				solvedAtMinute: Math.floor((t - start.getTime()) / MINUTE)
			});
			assert.deepEqual(me.problems[B.id], { solved: false, wrongTries: 1, solvedAtMinute: null });
		});
	});

	describe("scoring", () => {
		it("when four participants play a three-problem ICPC contest with wrong tries, ties and a freeze then each leaderboard equals the hand-computed table", async () => {
			const { contest, start, end, cast } = await contestWith(["A", "B", "C"], 180, { scoring: "icpc", freezeMinutes: 60 });
			cast.users = { p1, p2, p3, p4 };
			await c.join(contest.id, p1, p2, p3, p4);
			await h.at(start);
			assert.equal((await c.read(contest.id)).status, "running");
			const submit = overHttp(c, cast);
			const solved = new Set<string>();
			const table = async (as?: TestUser) => byName((await c.board(contest.id, as)).rows, cast);

			assert.deepEqual(
				await table(),
				sortRows(["p1", "p2", "p3", "p4"].map(who => ({ who, rank: 1, solved: 0, penalty: 0, problems: {} }))),
				"before any answer, all tied"
			);

			await play(
				h.clock,
				cast,
				submit,
				[
					["05:00", "p1", "A", "WA"],
					["10:00", "p4", "A", "WA"],
					["10:30", "p1", "A", "AC"],
					["15:00", "p3", "B", "AC"],
					["20:00", "p2", "A", "AC"],
					["30:00", "p2", "B", "WA"],
					["30:00", "p4", "A", "AC"],
					["40:00", "p4", "B", "AC"],
					["40:59", "p1", "B", "AC"],
					["50:00", "p2", "B", "AC"],
					["55:00", "p3", "A", "AC"]
				],
				solved
			);
			// penalty = Σ (minute of first accepted + 20 × wrong tries before it)
			// p1: A 10+20, B 40 = 70; p3: B 15, A 55 = 70; p2: A 20, B 50+20 = 90; p4: A 30+20, B 40 = 90
			const AT_FREEZE: NamedRow[] = [
				{ who: "p1", rank: 1, solved: 2, penalty: 70, problems: { A: [true, 1, 10], B: [true, 0, 40] } },
				{ who: "p3", rank: 1, solved: 2, penalty: 70, problems: { A: [true, 0, 55], B: [true, 0, 15] } },
				{ who: "p2", rank: 3, solved: 2, penalty: 90, problems: { A: [true, 0, 20], B: [true, 1, 50] } },
				{ who: "p4", rank: 3, solved: 2, penalty: 90, problems: { A: [true, 1, 30], B: [true, 0, 40] } }
			];
			const beforeResubmission = await c.board(contest.id);
			assert.deepEqual(byName(beforeResubmission.rows, cast), AT_FREEZE);
			assert.deepEqual([beforeResubmission.total, beforeResubmission.frozenAt, beforeResubmission.me], [4, null, null]);

			await play(h.clock, cast, submit, [["60:00", "p4", "A", "AC"]], solved);
			assert.deepEqual(await c.board(contest.id), beforeResubmission, "a solved problem answered again changes nothing");

			await play(
				h.clock,
				cast,
				submit,
				[
					// A wrong answer to a solved problem is no wrong try.
					["65:00", "p3", "A", "WA"],
					["100:00", "p1", "C", "WA"],
					["101:00", "p1", "C", "WA"],
					// the freeze: 120:00
					["125:00", "p2", "C", "WA"],
					["130:00", "p1", "C", "AC"]
				],
				solved
			);
			h.clock.set(at(start, "135:00"));
			const frozenAt = at(start, "120:00").toISOString();
			// Live at 135:00: p1 adds C at 130 + 2 × 20 = 170 → 240; p2 has a wrong try on C.
			const LIVE_AT_135: NamedRow[] = [
				{ who: "p1", rank: 1, solved: 3, penalty: 240, problems: { A: [true, 1, 10], B: [true, 0, 40], C: [true, 2, 130] } },
				{ who: "p3", rank: 2, solved: 2, penalty: 70, problems: { A: [true, 0, 55], B: [true, 0, 15] } },
				{ who: "p2", rank: 3, solved: 2, penalty: 90, problems: { A: [true, 0, 20], B: [true, 1, 50], C: [false, 1, null] } },
				{ who: "p4", rank: 3, solved: 2, penalty: 90, problems: { A: [true, 1, 30], B: [true, 0, 40] } }
			];
			// What the frozen board shows of p1: the wrong tries before the freeze, not the solve after it.
			const FROZEN: NamedRow[] = [
				{ ...AT_FREEZE[0], problems: { ...AT_FREEZE[0].problems, C: [false, 2, null] } },
				...AT_FREEZE.slice(1)
			];
			for (const as of [undefined, p2, p1]) {
				const board = await c.board(contest.id, as);
				assert.deepEqual(Object.keys(board).sort(), BOARD_KEYS);
				assert.equal(board.frozenAt, frozenAt, "frozen for non-organisers");
				assert.deepEqual(byName(board.rows, cast), FROZEN);
			}
			assert.deepEqual(byName([(await c.board(contest.id, p2)).me], cast), [LIVE_AT_135[2]], "p2's own row is live");
			assert.deepEqual(byName([(await c.board(contest.id, p1)).me], cast), [LIVE_AT_135[0]], "p1's own row is live");
			const organiserView = await c.board(contest.id, organiser);
			assert.deepEqual([organiserView.frozenAt, organiserView.me], [null, null]);
			assert.deepEqual(byName(organiserView.rows, cast), LIVE_AT_135, "the organiser sees the live board");

			await play(
				h.clock,
				cast,
				submit,
				[
					["140:00", "p4", "C", "WA"],
					["150:00", "p3", "C", "AC"]
				],
				solved
			);
			assert.deepEqual(byName((await c.board(contest.id, p3)).rows, cast), FROZEN, "still frozen until the end");

			await h.at(end);
			assertError(await c.submit(contest.id, cast.problems.C.id, p2, cast.problems.C.answer), 409, "CONTEST_ENDED");
			// Final: p3 adds C at 150 → 220 and leads p1 (240); p2 and p4 stay tied at 2 solved, 90.
			const FINAL: NamedRow[] = [
				{ who: "p3", rank: 1, solved: 3, penalty: 220, problems: { A: [true, 0, 55], B: [true, 0, 15], C: [true, 0, 150] } },
				{ who: "p1", rank: 2, solved: 3, penalty: 240, problems: { A: [true, 1, 10], B: [true, 0, 40], C: [true, 2, 130] } },
				{ who: "p2", rank: 3, solved: 2, penalty: 90, problems: { A: [true, 0, 20], B: [true, 1, 50], C: [false, 1, null] } },
				{ who: "p4", rank: 3, solved: 2, penalty: 90, problems: { A: [true, 1, 30], B: [true, 0, 40], C: [false, 1, null] } }
			];
			for (const as of [undefined, p2, organiser]) {
				const board = await c.board(contest.id, as);
				assert.equal(board.frozenAt, null, "after the end everyone sees the final standings");
				assert.deepEqual(byName(board.rows, cast), FINAL);
			}
			const page = await c.board(contest.id, p4, "pageSize=2&page=1");
			assert.deepEqual([page.rows.length, page.total, page.totalPages, page.page, page.pageSize], [2, 4, 2, 1, 2]);
			assert.deepEqual(byName([page.me], cast), [FINAL[3]], "the caller's own row, even off the page");
			assert.deepEqual(byName((await c.board(contest.id, undefined, "pageSize=2&page=2")).rows, cast), FINAL.slice(2));
			const ranks = await h.call<{ userId: string; rank: number }[]>("contests.ranks", { id: contest.id }, admin.id);
			assert.deepEqual(
				ranks.map(r => `${r.rank} ${r.userId}`).sort(),
				FINAL.map(r => `${r.rank} ${cast.users[r.who].id}`).sort(),
				"contests.ranks (the notifications' final ranks) agrees"
			);

			// contest.started and contest.ended once each; the end carries the final standings.
			const started = await h.audited(admin, contest.id, "contest.started");
			const ended = await h.audited(admin, contest.id, "contest.ended");
			assert.deepEqual([started.length, ended.length], [1, 1]);
			const ids: Record<string, string> = { p1: p1.id, p2: p2.id, p3: p3.id, p4: p4.id };
			assert.equal(ended[0].payload.participantCount, 4);
			assert.deepEqual(
				[...ended[0].payload.top].sort((a: any, b: any) => a.rank - b.rank || a.userId.localeCompare(b.userId)),
				FINAL.map(r => ({ userId: ids[r.who], rank: r.rank, solved: r.solved, penalty: r.penalty })).sort(
					(a, b) => a.rank - b.rank || a.userId.localeCompare(b.userId)
				)
			);
			const counts = await h.contestsDb<{ type: string; n: number }>(
				`SELECT type, count(*)::int AS n FROM contests.outbox WHERE aggregate_id = $1 GROUP BY type ORDER BY type`,
				[contest.id]
			);
			assert.deepEqual(Object.fromEntries(counts.map(r => [r.type, r.n])), {
				"contest.created": 1,
				"contest.registered": 4,
				"contest.problem_solved": 10,
				"contest.started": 1,
				"contest.ended": 1
			});
		});

		it("when four participants play a points contest with ties and a freeze then each leaderboard equals the hand-computed table", async () => {
			const start = minutesAfter(h.clock, 10);
			const contest = await c.create(organiser, start, 60, { scoring: "points", freezeMinutes: 10 });
			const cast: Cast = { contestId: contest.id, startsAt: start, users: { q1: p1, q2: p2, q3: p3, q4: p4 }, problems: {} };
			for (const [name, points] of [
				["A", 100],
				["B", 200],
				["C", 300]
			] as const) {
				const answer = secret(`points${name}`);
				cast.problems[name] = { id: (await c.addProblem(contest.id, organiser, answer, { points })).id, answer };
			}
			await c.join(contest.id, p1, p2, p3, p4);
			await h.at(start);
			const submit = overHttp(c, cast);
			const solved = new Set<string>();

			await play(
				h.clock,
				cast,
				submit,
				[
					["02:00", "q4", "A", "AC"],
					["03:00", "q2", "B", "WA"],
					["05:00", "q1", "A", "AC"],
					["10:00", "q2", "B", "AC"],
					["12:00", "q3", "C", "AC"],
					["15:00", "q4", "B", "AC"],
					["20:00", "q1", "C", "AC"],
					["20:00", "q2", "A", "AC"],
					["20:00", "q3", "A", "AC"],
					["25:00", "q1", "C", "AC"]
				],
				solved
			);
			// Σ points, then the earlier last first-accepted answer: q1 and q3 400 at 20:00 tie; q4 300 at 15:00 before q2 300 at 20:00.
			const AT_FREEZE: NamedRow[] = [
				{ who: "q1", rank: 1, solved: 2, points: 400, problems: { A: [true, 0, 5], C: [true, 0, 20] } },
				{ who: "q3", rank: 1, solved: 2, points: 400, problems: { A: [true, 0, 20], C: [true, 0, 12] } },
				{ who: "q4", rank: 3, solved: 2, points: 300, problems: { A: [true, 0, 2], B: [true, 0, 15] } },
				{ who: "q2", rank: 4, solved: 2, points: 300, problems: { A: [true, 0, 20], B: [true, 1, 10] } }
			];
			assert.deepEqual(byName((await c.board(contest.id)).rows, cast), AT_FREEZE);

			await play(
				h.clock,
				cast,
				submit,
				[
					// the freeze: 50:00
					["52:00", "q4", "C", "WA"],
					["55:00", "q2", "C", "AC"]
				],
				solved
			);
			h.clock.set(at(start, "56:00"));
			const frozen = await c.board(contest.id, p2);
			assert.equal(frozen.frozenAt, at(start, "50:00").toISOString());
			assert.deepEqual(byName(frozen.rows, cast), AT_FREEZE);
			const Q2_LIVE: NamedRow = {
				who: "q2",
				rank: 1,
				solved: 3,
				points: 600,
				problems: { A: [true, 0, 20], B: [true, 1, 10], C: [true, 0, 55] }
			};
			assert.deepEqual(byName([frozen.me], cast), [Q2_LIVE], "q2's own row is live");

			await h.at(at(start, "60:00"));
			const FINAL: NamedRow[] = [
				Q2_LIVE,
				{ ...AT_FREEZE[0], rank: 2 },
				{ ...AT_FREEZE[1], rank: 2 },
				{ who: "q4", rank: 4, solved: 2, points: 300, problems: { A: [true, 0, 2], B: [true, 0, 15], C: [false, 1, null] } }
			];
			for (const as of [undefined, p4, organiser]) {
				const board = await c.board(contest.id, as);
				assert.equal(board.frozenAt, null);
				assert.deepEqual(byName(board.rows, cast), FINAL);
			}
			const [ended] = await h.audited(admin, contest.id, "contest.ended");
			assert.deepEqual([...ended.payload.top].map((r: any) => [r.rank, r.points, r.solved]).sort(), [
				[1, 600, 3],
				[2, 400, 2],
				[2, 400, 2],
				[4, 300, 2]
			]);
		});
	});

	describe("the Redis leaderboard", () => {
		it("when Redis loses the leaderboards mid-contest then the next reads rebuild them from PostgreSQL, identical, live and frozen", async () => {
			const { contest, start, cast } = await contestWith(["A", "B"], 60, { freezeMinutes: 20 });
			cast.users = { p1, p2, p3 };
			await c.join(contest.id, p1, p2, p3);
			await h.at(start);
			await play(h.clock, cast, overHttp(c, cast), [
				["03:00", "p1", "A", "AC"],
				["05:00", "p2", "A", "WA"],
				["07:00", "p2", "A", "AC"],
				["12:00", "p3", "B", "AC"],
				// the freeze: 40:00
				["45:00", "p1", "B", "AC"]
			]);
			h.clock.set(at(start, "50:00"));
			const views = async () => ({
				anonymous: await c.board(contest.id),
				participant: await c.board(contest.id, p2),
				organiser: await c.board(contest.id, organiser),
				secondPage: await c.board(contest.id, p1, "pageSize=1&page=2")
			});
			const before = await views();
			assert.deepEqual(byName(before.organiser.rows, cast), [
				{ who: "p1", rank: 1, solved: 2, penalty: 48, problems: { A: [true, 0, 3], B: [true, 0, 45] } },
				{ who: "p3", rank: 2, solved: 1, penalty: 12, problems: { B: [true, 0, 12] } },
				{ who: "p2", rank: 3, solved: 1, penalty: 27, problems: { A: [true, 1, 7] } }
			]);
			assert.deepEqual(byName(before.participant.rows, cast), [
				{ who: "p1", rank: 1, solved: 1, penalty: 3, problems: { A: [true, 0, 3] } },
				{ who: "p3", rank: 2, solved: 1, penalty: 12, problems: { B: [true, 0, 12] } },
				{ who: "p2", rank: 3, solved: 1, penalty: 27, problems: { A: [true, 1, 7] } }
			]);
			const keys = await dropLeaderboards(h.namespace);
			assert.ok(
				keys.includes(`${h.namespace}:leaderboard:${contest.id}`) &&
					keys.includes(`${h.namespace}:leaderboard:${contest.id}:frozen`),
				keys.join()
			);
			assert.deepEqual(await dropLeaderboards(h.namespace), [], "the leaderboards are gone from Redis");

			assert.deepEqual(await views(), before, "rebuilt identical");
			const board = `${h.namespace}:leaderboard:${contest.id}`;
			const kept = (await redisDump(h.namespace)).map(k => k.key).filter(k => k.startsWith(board) && !k.endsWith(":complete"));
			assert.deepEqual(
				kept.sort(),
				[board, `${board}:frozen`, `${board}:frozen:standings`, `${board}:standings`],
				"both boards, with their standings, are back in Redis"
			);
		});

		it("when a page was read and then a wrong try, a solve or a registration changes the board then the next read of that page shows it", async () => {
			const cast = await assertPagesFollowChanges(h, c, organiser);
			answers.push(...Object.values(cast.problems).map(p => p.answer));
		});

		it("when Redis loses the leaderboard and a submission arrives before any read then the leaderboard still ranks every participant", async () => {
			const { contest, start, cast } = await contestWith(["A"], 60);
			cast.users = { p1, p2, p3 };
			await c.join(contest.id, p1, p2, p3);
			await h.at(start);
			const submit = overHttp(c, cast);
			const solved = new Set<string>();
			await play(
				h.clock,
				cast,
				submit,
				[
					["02:00", "p1", "A", "AC"],
					["04:00", "p2", "A", "AC"],
					["06:00", "p3", "A", "WA"]
				],
				solved
			);
			assert.equal((await c.board(contest.id)).total, 3);
			await dropLeaderboards(h.namespace);

			await play(h.clock, cast, submit, [["10:00", "p3", "A", "AC"]], solved);
			const board = await c.board(contest.id);
			assert.deepEqual(byName(board.rows, cast), [
				{ who: "p1", rank: 1, solved: 1, penalty: 2, problems: { A: [true, 0, 2] } },
				{ who: "p2", rank: 2, solved: 1, penalty: 4, problems: { A: [true, 0, 4] } },
				{ who: "p3", rank: 3, solved: 1, penalty: 30, problems: { A: [true, 1, 10] } }
			]);
			assert.equal(board.total, 3);
		});

		it("when 100 participants submit at once (each twice at once on one problem) then every solve counts exactly once", async () => {
			const { contest, start, cast } = await contestWith(["A", "B"], 60);
			const { A, B } = cast.problems;
			const ids = Array.from({ length: 100 }, () => randomUUID());
			// The first ten register twice at once: one registration each, the other refused.
			const twice = await Promise.all(
				ids.slice(0, 10).flatMap(id =>
					[0, 1].map(() =>
						h.call("contests.register", { id: contest.id }, id).then(
							() => "registered",
							(err: { type?: string }) => String(err.type)
						)
					)
				)
			);
			for (let i = 0; i < 10; i++) assert.deepEqual(twice.slice(2 * i, 2 * i + 2).sort(), ["ALREADY_REGISTERED", "registered"]);
			for (let i = 10; i < ids.length; i += 10) {
				await Promise.all(ids.slice(i, i + 10).map(id => h.call("contests.register", { id: contest.id }, id)));
			}
			assert.equal((await c.read(contest.id)).participantCount, 100);
			h.clock.set(at(start, "07:00"));

			// Everyone at once on A: the even ones right, the odd ones wrong.
			const first = await Promise.all(
				ids.map((id, i) => h.call("contests.submit", { id: contest.id, problemId: A.id, answer: i % 2 ? "wrong" : A.answer }, id))
			);
			assert.deepEqual(
				first.map(s => [s.verdict, s.scored]),
				ids.map((_, i) => (i % 2 ? ["wrong", false] : ["accepted", true]))
			);
			// Everyone sends B's right answer twice at once, half of them at a time (a hundred calls each).
			for (const half of [ids.slice(0, 50), ids.slice(50)]) {
				const outcomes = await Promise.all(
					half.flatMap(id =>
						[0, 1].map(() =>
							h.call("contests.submit", { id: contest.id, problemId: B.id, answer: B.answer }, id).then(
								s => ({ id, status: 201, scored: s.scored as boolean }),
								(err: { code?: number; type?: string; message?: string }) => ({
									id,
									status: err.code ?? 0,
									scored: false,
									error: `${err.type} ${err.message}`
								})
							)
						)
					)
				);
				for (const id of half) {
					const own = outcomes.filter(o => o.id === id);
					assert.deepEqual(
						own.map(o => [o.status, o.scored]).sort(),
						[
							[201, true],
							[429, false]
						],
						`one of the two simultaneous answers counts, the other is throttled: ${JSON.stringify(own)}`
					);
				}
			}

			const board = await c.board(contest.id, undefined, "pageSize=100");
			assert.equal(board.total, 100);
			assert.equal(board.rows.length, 100);
			const expected = new Map(
				ids.map((id, i) => [id, i % 2 ? { rank: 51, solved: 1, penalty: 7 } : { rank: 1, solved: 2, penalty: 14 }])
			);
			const wrong = board.rows.filter(
				(r: any) =>
					JSON.stringify({ rank: r.rank, solved: r.solved, penalty: r.penalty }) !== JSON.stringify(expected.get(r.userId))
			);
			assert.deepEqual(wrong, [], "every participant's row");
			assert.equal(
				board.rows.reduce((sum: number, r: { solved: number }) => sum + r.solved, 0),
				150
			);
			const [stored] = await h.contestsDb<{ all: number; scored: number }>(
				`SELECT count(*)::int AS all, (count(*) FILTER (WHERE scored))::int AS scored FROM contests.submissions WHERE contest_id = $1`,
				[contest.id]
			);
			assert.deepEqual(stored, { all: 200, scored: 150 }, "the throttled answers left no row");
			const [events] = await h.contestsDb<{ n: number }>(
				`SELECT count(*)::int AS n FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.problem_solved'`,
				[contest.id]
			);
			assert.equal(events.n, 150, "one contest.problem_solved per first solve");
		});
	});

	describe("lifecycle", () => {
		it("when a participant deletes their account then they leave the leaderboard and the participant count", async () => {
			const { contest, start, cast } = await contestWith(["A"], 60);
			cast.users = { doomed, p1, p2 };
			await c.join(contest.id, doomed, p1, p2);
			await h.at(start);
			await play(h.clock, cast, overHttp(c, cast), [
				["02:00", "doomed", "A", "AC"],
				["05:00", "p1", "A", "AC"]
			]);
			assert.deepEqual(
				byName((await c.board(contest.id)).rows, cast).map(r => [r.who, r.rank]),
				[
					["doomed", 1],
					["p1", 2],
					["p2", 3]
				]
			);
			assert.equal((await c.read(contest.id)).participantCount, 3);

			assert.equal((await h.api("DELETE", "/api/users/me", { token: doomed.token })).status, 204);
			const gone = await eventually(
				"the deleted account leaves the leaderboard",
				() => c.board(contest.id),
				// Its rows come from PostgreSQL at once; its ranks and total once the board in Redis has dropped them too.
				b => b.total === 2 && !b.rows.some((r: { userId: string }) => r.userId === doomed.id),
				DELIVERY_MS,
				200
			);
			assert.deepEqual(byName(gone.rows, cast), [
				{ who: "p1", rank: 1, solved: 1, penalty: 5, problems: { A: [true, 0, 5] } },
				{ who: "p2", rank: 2, solved: 0, penalty: 0, problems: {} }
			]);
			assert.equal(gone.total, 2);
			assert.equal((await c.read(contest.id)).participantCount, 2);
			await dropLeaderboards(h.namespace);
			assert.deepEqual(await c.board(contest.id), gone, "a rebuild from PostgreSQL does not bring them back");
		});

		it("when a group is deleted then its upcoming contests are cancelled (404), and its running ones are not", async () => {
			const group = ok(
				await h.api("POST", "/api/groups", {
					token: organiser.token,
					body: { name: `contests ${uniqueWord(8)}`, visibility: "public", joinPolicy: "open" }
				}),
				201
			);
			ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: p1.token }));
			const start = minutesAfter(h.clock, 10);
			const running = await c.create(organiser, start, 120, { groupId: group.id });
			const upcoming = await c.create(organiser, at(start, "60:00"), 60, { groupId: group.id });
			await h.at(at(start, "01:00"));
			assert.equal((await c.read(upcoming.id, p1)).status, "upcoming");
			assert.equal((await c.read(running.id, p1)).status, "running");

			assert.equal((await h.api("DELETE", `/api/groups/${group.id}`, { token: organiser.token })).status, 204);
			const res = await eventually(
				"the upcoming contest is cancelled",
				() => c.get(upcoming.id, organiser),
				r => r.status === 404,
				DELIVERY_MS,
				200
			);
			assertError(res, 404, "NOT_FOUND");
			assertError(await c.register(upcoming.id, p1), 404, "NOT_FOUND");
			assert.equal((await c.read(running.id, organiser)).status, "running", "a running contest is not cancelled");
			const [deleted] = await h.audited(admin, upcoming.id, "contest.deleted");
			assert.equal(deleted.payload.reason, "group_deleted");
		});
	});

	describe("authorization at every change, and what a freeze shows", () => {
		const groupOf = async (owner: TestUser, ...members: TestUser[]) => {
			const group = ok(
				await h.api("POST", "/api/groups", {
					token: owner.token,
					body: { name: `contests ${uniqueWord(8)}`, visibility: "public", joinPolicy: "open" }
				}),
				201
			);
			for (const member of members) ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: member.token }));
			return group as { id: string };
		};
		const submissionsOf = async (contestId: string, user: TestUser) =>
			(
				await h.contestsDb<{ n: number }>(
					`SELECT count(*)::int AS n FROM contests.submissions WHERE contest_id = $1 AND user_id = $2`,
					[contestId, user.id]
				)
			)[0].n;

		it("when others solve during a freeze then a participant's own row is live but ranked against the frozen board, and contests.ranks gives the ranks at the freeze", async () => {
			const { contest, start, end, cast } = await contestWith(["A", "B"], 60, { freezeMinutes: 30 });
			cast.users = { p1, p2, p3 };
			await c.join(contest.id, p1, p2, p3);
			await h.at(start);
			const submit = overHttp(c, cast);
			const solved = new Set<string>();
			await play(h.clock, cast, submit, [["05:00", "p1", "A", "AC"]], solved);
			await play(
				h.clock,
				cast,
				submit,
				[
					// the freeze: 30:00
					["31:00", "p2", "A", "AC"],
					["32:00", "p2", "B", "AC"],
					["33:00", "p3", "A", "AC"],
					["34:00", "p1", "B", "WA"]
				],
				solved
			);
			h.clock.set(at(start, "35:00"));

			// Live, p2 (2 solved) leads p1 and p3; at the freeze p1 led alone, p2 and p3 tied with nothing.
			const FROZEN: NamedRow[] = [
				{ who: "p1", rank: 1, solved: 1, penalty: 5, problems: { A: [true, 0, 5] } },
				{ who: "p2", rank: 2, solved: 0, penalty: 0, problems: {} },
				{ who: "p3", rank: 2, solved: 0, penalty: 0, problems: {} }
			];
			const OWN: Record<string, NamedRow> = {
				p1: { who: "p1", rank: 1, solved: 1, penalty: 5, problems: { A: [true, 0, 5], B: [false, 1, null] } },
				p2: { who: "p2", rank: 1, solved: 2, penalty: 63, problems: { A: [true, 0, 31], B: [true, 0, 32] } },
				p3: { who: "p3", rank: 2, solved: 1, penalty: 33, problems: { A: [true, 0, 33] } }
			};
			// Twice: the second read comes from what the first cached.
			for (let i = 0; i < 2; i++) {
				for (const who of ["p1", "p2", "p3"] as const) {
					const board = await c.board(contest.id, cast.users[who]);
					assert.equal(board.frozenAt, at(start, "30:00").toISOString());
					assert.deepEqual([byName(board.rows, cast), board.total], [FROZEN, 3]);
					assert.deepEqual(
						byName([board.me], cast),
						[OWN[who]],
						`${who}'s live row, ranked among the standings at the freeze (p2's solves since do not move p1)`
					);
				}
			}
			const ranksOf = async () =>
				(await h.call<{ userId: string; rank: number }[]>("contests.ranks", { id: contest.id }, admin.id))
					.map(r => `${r.rank} ${r.userId}`)
					.sort();
			assert.deepEqual(
				await ranksOf(),
				[`1 ${p1.id}`, `2 ${p2.id}`, `2 ${p3.id}`].sort(),
				"contests.ranks during the freeze: the ranks at the freeze"
			);

			await h.at(end);
			const board = await c.board(contest.id, p1);
			assert.equal(board.frozenAt, null);
			assert.equal(board.me.rank, 2, "after the end, the live rank");
			assert.deepEqual(await ranksOf(), [`1 ${p2.id}`, `2 ${p1.id}`, `3 ${p3.id}`].sort());
		});

		it("when a participant leaves or is removed from the contest's group then their next answer is 404 and not recorded; an unregistered member gets 403 NOT_REGISTERED", async () => {
			const group = await groupOf(organiser, p1, p2, p3);
			const { contest, start, cast } = await contestWith(["A"], 60, { groupId: group.id });
			const A = cast.problems.A;
			await c.join(contest.id, p1, p2);
			await h.at(start);
			assert.equal(ok(await c.submit(contest.id, A.id, p1, "a wrong guess"), 201).verdict, "wrong");

			assert.equal((await h.api("POST", `/api/groups/${group.id}/leave`, { token: p1.token })).status, 204);
			h.clock.advance(MINUTE);
			assertError(await c.submit(contest.id, A.id, p1, A.answer), 404, "NOT_FOUND");
			assertError(await c.problems(contest.id, p1), 404, "NOT_FOUND");
			assert.equal(await submissionsOf(contest.id, p1), 1, "only the answer from before leaving");

			assertError(await c.submit(contest.id, A.id, p3, A.answer), 403, "NOT_REGISTERED");
			assert.equal(ok(await c.submit(contest.id, A.id, p2, A.answer), 201).verdict, "accepted");
			assert.equal((await h.api("DELETE", `/api/groups/${group.id}/members/${p2.id}`, { token: organiser.token })).status, 204);
			h.clock.advance(MINUTE);
			assertError(await c.submit(contest.id, A.id, p2, A.answer), 404, "NOT_FOUND");
			assert.deepEqual([await submissionsOf(contest.id, p2), await submissionsOf(contest.id, p3)], [1, 0]);
		});

		it("when a contest's organiser is demoted in its group then editing it is 403, nothing changes, and during the freeze they see the frozen board", async () => {
			const group = await groupOf(p4, p3);
			ok(await h.api("PATCH", `/api/groups/${group.id}/members/${p3.id}`, { token: p4.token, body: { role: "admin" } }));
			const start = minutesAfter(h.clock, 10);
			const contest = await c.create(p3, start, 60, { groupId: group.id, freezeMinutes: 30 });
			await c.addProblem(contest.id, p3, secret("demoted"));

			ok(await h.api("PATCH", `/api/groups/${group.id}/members/${p3.id}`, { token: p4.token, body: { role: "member" } }));
			assertError(await c.patch(contest.id, p3, { title: "Renamed after demotion" }), 403, "FORBIDDEN");
			assertError(
				await c.postProblem(contest.id, p3, { title: "Late problem", statement: "Text.", points: 1, answer: secret("late") }),
				403,
				"FORBIDDEN"
			);
			assertError(await c.remove(contest.id, p3), 403, "FORBIDDEN");
			const kept = await c.read(contest.id, p3);
			assert.deepEqual([kept.title, kept.problemCount], [contest.title, 1]);

			await h.at(at(start, "35:00"));
			assert.equal(
				(await c.board(contest.id, p3)).frozenAt,
				at(start, "30:00").toISOString(),
				"no longer organising: the board at the freeze"
			);
			ok(await h.api("PATCH", `/api/groups/${group.id}/members/${p3.id}`, { token: p4.token, body: { role: "admin" } }));
			assert.equal((await c.board(contest.id, p3)).frozenAt, null, "moderating again: the live board");
		});
	});

	describe("secrecy", () => {
		// Last: it scans what every test above produced.
		it("when all of the above has happened then no answer, nor its stored hash, appears in any response, event or Redis key", async () => {
			const hashes = (await h.contestsDb<{ answer_hash: string }>(`SELECT answer_hash FROM contests.problems`)).map(r =>
				r.answer_hash.trim()
			);
			assert.ok(answers.length >= 25 && hashes.length >= 20, `answers ${answers.length}, stored problems ${hashes.length}`);
			assert.ok(
				hashes.every(x => /^[0-9a-f]{64}$/.test(x)),
				"only a keyed hash is stored"
			);
			const needles = [...answers, ...hashes];

			const outbox = (await h.contestsDb<{ envelope: unknown }>(`SELECT envelope FROM contests.outbox`)).map(r =>
				JSON.stringify(r.envelope)
			);
			const trail = await eventually(
				"the audit trail holds every contests event",
				() => h.auditTrail(admin),
				rows => rows.filter(r => r.producer === "contests").length >= outbox.length,
				60_000,
				1000
			);
			assert.ok(trail.some(r => r.type === "contest.problem_solved"));
			const redis = await redisDump(h.namespace);
			assert.ok(
				redis.some(k => k.key.startsWith(`${h.namespace}:leaderboard:`)),
				"the scan sees the leaderboards"
			);
			assert.ok(h.seen.length > 300, `responses scanned: ${h.seen.length}`);
			// The scans find what is there: statements in responses, participants in Redis, contests in events.
			assert.notDeepEqual(leaks("response", h.seen, ["Add **all** the numbers"]), []);
			assert.notDeepEqual(
				leaks(
					"redis",
					redis.map(k => JSON.stringify(k)),
					[p3.id]
				),
				[]
			);
			assert.notDeepEqual(
				leaks(
					"audit row",
					trail.map(r => JSON.stringify(r)),
					[p4.id]
				),
				[]
			);
			assert.deepEqual(
				[
					...leaks("response", h.seen, needles),
					...leaks("outbox event", outbox, needles),
					...leaks(
						"audit row",
						trail.map(r => JSON.stringify(r)),
						needles
					),
					...leaks(
						"redis",
						redis.map(k => JSON.stringify(k)),
						needles
					)
				],
				[]
			);
		});
	});
});

describe("contests on the in-memory leaderboard (no Redis)", { skip: unavailable("postgres") }, () => {
	const h = contestsPlatform({ redis: false });
	const c = contestsClient(h);
	let organiser: TestUser;

	before(async () => {
		await h.start();
		organiser = await h.register("memorg");
	});

	after(() => h.stop());

	it("when a page was read and then a wrong try, a solve or a registration changes the in-memory board then the next read of that page shows it", async () => {
		await assertPagesFollowChanges(h, c, organiser);
	});

	it("when contestants tie on the in-memory leaderboard then they share a rank, pages carry the caller's own row, and Redis holds nothing", async () => {
		assert.equal(h.platform.config.cacher, null, "no Redis in this mode");
		const cast = await castOf(h, c, organiser, ["r1", "r2", "r3", "r4"]);
		const contest = { id: cast.contestId };
		const start = cast.startsAt;
		await h.at(start);
		await play(h.clock, cast, overBroker(h, cast), [
			["00:30", "r2", "A", "AC"],
			["03:00", "r3", "A", "AC"],
			["05:00", "r2", "B", "WA"],
			["10:00", "r1", "A", "AC"],
			["10:00", "r2", "B", "AC"],
			["20:00", "r1", "B", "AC"]
		]);
		// r1: 10 + 20 = 30; r2: 0 + (10 + 20) = 30; r3: 3; r4: nothing.
		const TABLE: NamedRow[] = [
			{ who: "r1", rank: 1, solved: 2, penalty: 30, problems: { A: [true, 0, 10], B: [true, 0, 20] } },
			{ who: "r2", rank: 1, solved: 2, penalty: 30, problems: { A: [true, 0, 0], B: [true, 1, 10] } },
			{ who: "r3", rank: 3, solved: 1, penalty: 3, problems: { A: [true, 0, 3] } },
			{ who: "r4", rank: 4, solved: 0, penalty: 0, problems: {} }
		];
		assert.deepEqual(byName((await c.board(contest.id)).rows, cast), TABLE);
		const page1 = await h.call("contests.leaderboard", { id: contest.id, page: 1, pageSize: 2 }, cast.users.r4.id);
		assert.deepEqual([page1.total, page1.totalPages, page1.frozenAt], [4, 2, null]);
		assert.deepEqual(byName(page1.rows, cast), TABLE.slice(0, 2));
		assert.deepEqual(byName([page1.me], cast), [TABLE[3]], "r4's own row on page 1");
		assert.deepEqual(byName((await c.board(contest.id, undefined, "pageSize=2&page=2")).rows, cast), TABLE.slice(2));
		assert.deepEqual(await redisDump(h.namespace), [], "no key of this namespace in Redis");
		assert.deepEqual(
			leaks(
				"response",
				h.seen,
				Object.values(cast.problems).map(p => p.answer)
			),
			[]
		);
	});
});

describe("the Redis and in-memory leaderboard stores", { skip: unavailable("redis") }, () => {
	const namespace = `contests-test-${randomBytes(4).toString("hex")}`;
	const prefix = `${namespace}:leaderboard:`;
	let stores: Record<"redis" | "memory", LeaderboardStore>;
	const both = <T>(op: (store: LeaderboardStore) => Promise<T>) => Promise.all([op(stores.redis), op(stores.memory)]);
	/** A placement whose standing says which attempt it came from, so the test can tell which one was kept. */
	const placement = (userId: string, score: number, attempts = 1): Placement => ({
		userId,
		score,
		attempts,
		standing: {
			solved: score / 1e9,
			penalty: attempts,
			points: 0,
			lastSolvedS: 0,
			problems: { p1: { solved: score > 0, wrongTries: attempts, solvedAtMinute: null } }
		}
	});

	before(() => {
		stores = { redis: createLeaderboardStore(TEST_SERVICES.redis, prefix), memory: createLeaderboardStore(null, prefix) };
	});

	after(async () => {
		await both(store => store.close());
		await dropLeaderboards(namespace);
	});

	it("when both take the same raises and removals, in bulk and one by one, with many ties, then they rank and page alike", async () => {
		// A small PRNG: the same run every time, so a failure can be replayed.
		let seed = 42;
		const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
		const users = Array.from({ length: 300 }, () => randomUUID());
		let attempts = 0;
		const entry = () => placement(users[Math.floor(random() * users.length)], Math.floor(random() * 12) * 1e9, ++attempts);
		const same = async (step: string) => {
			const [redis, memory] = await both(async store => {
				const all = await store.range("board", 0, 1000);
				const scores = [...new Set(all.map(e => e.score)), -1, 5e8, 99e9];
				return {
					all,
					pages: await Promise.all([0, 7, 299].map(offset => store.range("board", offset, 13))),
					higher: await Promise.all(scores.map(score => store.higherThan("board", score))),
					size: await store.size("board"),
					standings: Object.fromEntries(await store.standings("board", users))
				};
			});
			assert.deepEqual(memory, redis, step);
		};
		await both(store => store.drop("board"));
		const bulk = Array.from({ length: 200 }, entry);
		await both(store => store.raise("board", bulk));
		await same("after a bulk raise");
		for (let i = 0; i < 300; i++) {
			const change =
				random() < 0.2
					? { remove: users[Math.floor(random() * users.length)] }
					: { raise: Array.from({ length: 1 + Math.floor(random() * 3) }, entry) };
			await both(store => ("remove" in change ? store.remove("board", change.remove!) : store.raise("board", change.raise!)));
			if (i % 25 === 0) await same(`after change ${i}`);
		}
		await same("after every change");
		const another = Array.from({ length: 100 }, entry);
		await both(store => store.raise("board", another));
		await same("after another bulk raise");
	});

	it("when a board changes then its version changes, on both stores; an incomplete board has none", async () => {
		for (const [name, store] of Object.entries(stores)) {
			await store.drop("board");
			await store.raise("board", [placement("u1", 1)]);
			await store.raise("board", [placement("u1", 1, 2)]);
			assert.equal(await store.version("board"), null, `${name}: not complete, no version, whatever changed`);
			assert.ok(await store.rebuild("board", [], await store.epoch()));
			const seen = new Set([await store.version("board")]);
			const changes: [string, () => Promise<void>][] = [
				["raise", () => store.raise("board", [placement("u2", 2)])],
				["raise to the same score (a wrong try)", () => store.raise("board", [placement("u2", 2, 2)])],
				["remove", () => store.remove("board", "u1")]
			];
			for (const [what, change] of changes) {
				assert.equal(await store.version("board"), await store.version("board"), `${name}: stable while nothing changes`);
				await change();
				const version = await store.version("board");
				assert.ok(version !== null && !seen.has(version), `${name}: a new version after ${what}`);
				seen.add(version);
			}
			await store.drop("board");
			assert.equal(await store.version("board"), null, `${name}: dropped, no version`);
			assert.ok(await store.rebuild("board", [], await store.epoch()));
			assert.ok(!seen.has(await store.version("board")), `${name}: a version never comes back after a drop`);
		}
	});

	it("when something leaves any board while a rebuild reads PostgreSQL then the rebuild changes nothing and the board stays incomplete, on both stores", async () => {
		for (const [name, store] of Object.entries(stores)) {
			for (const [what, leave] of [
				["a removal", () => store.remove("other", "u9")],
				["a drop", () => store.drop("other")]
			] as const) {
				await store.drop("board");
				const epoch = await store.epoch();
				await leave();
				assert.equal(await store.rebuild("board", [placement("u1", 1)], epoch), false, `${name}, ${what}: the rebuild gave up`);
				assert.equal(await store.version("board"), null, `${name}, ${what}: not complete`);
				assert.deepEqual(await store.range("board", 0, 10), [], `${name}, ${what}: nothing put back`);
				assert.ok(
					await store.rebuild("board", [placement("u1", 1)], await store.epoch()),
					`${name}, ${what}: a fresh rebuild completes`
				);
				assert.deepEqual(await store.range("board", 0, 10), [{ userId: "u1", score: 1 }]);
			}
		}
	});

	it("when a standing counting fewer attempts comes late (a rebuild racing a submission) then the newer one stays; a removal or drop forgets it", async () => {
		for (const [name, store] of Object.entries(stores)) {
			await store.drop("board");
			await store.raise("board", [placement("u1", 1e9, 3), placement("u2", 0, 1)]);
			await store.raise("board", [placement("u1", 0, 2), placement("u2", 0, 2)]);
			const kept = await store.standings("board", ["u1", "u2", "nobody"]);
			assert.deepEqual([...kept.keys()].sort(), ["u1", "u2"], `${name}: only users on the board`);
			assert.deepEqual(
				kept.get("u1"),
				{ attempts: 3, standing: placement("u1", 1e9, 3).standing },
				`${name}: the standing of 3 attempts stays`
			);
			assert.deepEqual(
				kept.get("u2"),
				{ attempts: 2, standing: placement("u2", 0, 2).standing },
				`${name}: one of more attempts replaces it`
			);
			assert.deepEqual(
				await store.range("board", 0, 10),
				[
					{ userId: "u1", score: 1e9 },
					{ userId: "u2", score: 0 }
				],
				`${name}: scores only rise`
			);

			await store.remove("board", "u1");
			assert.deepEqual([...(await store.standings("board", ["u1", "u2"])).keys()], ["u2"], `${name}: removed, its standing is gone`);
			await store.drop("board");
			assert.equal((await store.standings("board", ["u2"])).size, 0, `${name}: dropped, no standings`);
		}
	});
});

describe(
	"three replicas of the contests service over NATS and RabbitMQ",
	{ skip: unavailable("postgres", "redis", "nats", "amqp") },
	() => {
		const namespace = `contests-rep-${randomBytes(4).toString("hex")}`;
		const dbs = {
			users: scratchDatabase("codelearn_test_users"),
			groups: scratchDatabase("codelearn_test_groups"),
			contests: scratchDatabase("codelearn_test_contests"),
			audit: scratchDatabase("codelearn_test_audit")
		};
		const clock = new FakeClock(Math.ceil(Date.now() / MINUTE) * MINUTE);
		const cluster = {
			NAMESPACE: namespace,
			TRANSPORTER: TEST_SERVICES.nats,
			EVENTS_AMQP_URL: TEST_SERVICES.amqp,
			CACHER: TEST_SERVICES.redis,
			USERS_DATABASE_URL: dbs.users.url,
			GROUPS_DATABASE_URL: dbs.groups.url,
			CONTESTS_DATABASE_URL: dbs.contests.url,
			AUDIT_DATABASE_URL: dbs.audit.url,
			RATE_LIMIT_MAX: "1000000",
			ACCESS_TOKEN_TTL_S: "3600",
			REQUEST_TIMEOUT_MS: "20000",
			DATABASE_POOL_MAX: "4",
			LOG_LEVEL: "error"
		};
		const running = new Set<Platform>();
		let nodes = 0;
		let gateway: Platform;
		let replicas: Platform[] = [];

		async function start(services: string): Promise<Platform> {
			const platform = await startPlatform({
				...cluster,
				SERVICES: services,
				NODE_ID: `${namespace}-${services.split(",")[0]}-${++nodes}`
			});
			running.add(platform);
			if (services === "contests") contestsInstance(platform).clock = clock;
			return platform;
		}

		async function stop(platform: Platform) {
			running.delete(platform);
			await platform.stop();
		}

		/** Every replica's scheduler at once, a few rounds. */
		async function tickAll(rounds = 3) {
			for (let i = 0; i < rounds; i++) await Promise.all(replicas.map(r => contestsInstance(r).scheduler.tick()));
			for (const r of replicas) await tickNow(contestsInstance(r));
		}

		/** `contest.started` / `contest.ended` rows per contest in the shared outbox, in their order. */
		async function transitions(): Promise<Record<string, string[]>> {
			const rows = await query<{ aggregate_id: string; type: string }>(
				dbs.contests.url,
				`SELECT aggregate_id, type FROM contests.outbox WHERE type IN ('contest.started', 'contest.ended') ORDER BY seq`
			);
			const byContest: Record<string, string[]> = {};
			for (const r of rows) (byContest[r.aggregate_id] ??= []).push(r.type);
			return byContest;
		}

		before(async () => {
			gateway = await start("gateway,users,groups,audit");
			replicas.push(await start("contests"));
			replicas.push(...(await Promise.all([start("contests"), start("contests")])));
			await gateway.broker.waitForServices(["contests", "users", "audit"], 30_000);
		});

		after(async () => {
			await Promise.all([...running].map(p => p.stop()));
			await Promise.all(Object.values(dbs).map(db => db.drop()));
			await deleteEventTopology(namespace);
		});

		it("when three replicas tick at once then each contest's start and end are emitted exactly once, also after every replica restarted", async () => {
			const c = contestsClient(gateway);
			const body = newUser("reporg");
			const registered = await gateway.api("POST", "/api/auth/register", { body });
			assert.equal(registered.status, 201, JSON.stringify(registered.body));
			const organiser = { token: registered.body.accessToken as string };

			const base = minutesAfter(clock, 10);
			const k1 = await c.create(organiser, base, 10);
			const k2 = await c.create(organiser, base, 30);
			const k3 = await c.create(organiser, at(base, "05:00"), 10);
			const k4 = await c.create(organiser, at(base, "20:00"), 5);
			const k5 = await c.create(organiser, at(base, "50:00"), 10);

			clock.set(at(base, "06:00"));
			await tickAll();
			assert.deepEqual(await transitions(), {
				[k1.id]: ["contest.started"],
				[k2.id]: ["contest.started"],
				[k3.id]: ["contest.started"]
			});

			// k4 starts and ends within this one jump.
			clock.set(at(base, "40:00"));
			await tickAll();
			const both = ["contest.started", "contest.ended"];
			assert.deepEqual(await transitions(), { [k1.id]: both, [k2.id]: both, [k3.id]: both, [k4.id]: both });

			// Every replica goes away; k5's whole span passes meanwhile; two fresh replicas start at once.
			await Promise.all(replicas.map(stop));
			clock.set(at(base, "70:00"));
			replicas = await Promise.all([start("contests"), start("contests")]);
			const fresh = replicas.map(r => r.broker.nodeID).sort();
			await eventually(
				"the gateway sees the contests service on both fresh replicas",
				async () =>
					(gateway.broker.registry.getServiceList({ onlyAvailable: true }) as { name: string; nodeID: string }[])
						.filter(s => s.name === "contests")
						.map(s => s.nodeID)
						.sort(),
				nodeIds => JSON.stringify(nodeIds) === JSON.stringify(fresh),
				DELIVERY_MS,
				100
			);
			await tickAll();
			const expected = { [k1.id]: both, [k2.id]: both, [k3.id]: both, [k4.id]: both, [k5.id]: both };
			assert.deepEqual(await transitions(), expected, "the restarted replicas emit what was due, once, and nothing again");

			// Delivered to the audit trail once each.
			const adminMeta = asUser(randomUUID(), "admin");
			for (const type of ["contest.started", "contest.ended"]) {
				const page = await eventually(
					`${type} of the five contests in the audit trail`,
					() =>
						gateway.broker.call("audit.list", { type, pageSize: 100 }, adminMeta) as Promise<{
							rows: { aggregateId: string }[];
						}>,
					p => p.rows.length >= 5,
					DELIVERY_MS,
					200
				);
				assert.deepEqual(
					page.rows.map(r => r.aggregateId).sort(),
					[k1, k2, k3, k4, k5].map(k => k.id).sort(),
					`${type} once per contest`
				);
			}
			for (const k of [k1, k5]) assert.equal((await c.read(k.id)).status, "ended");
		});

		it("when every replica has served a page and then a participant solves a problem on one of them then every replica's next read of that page shows it", async () => {
			const on = (replica: Platform, userId: string) => ({ ...asUser(userId), nodeID: replica.broker.nodeID });
			const call = <T = any>(replica: Platform, action: string, params: object, userId: string) =>
				gateway.broker.call<T, object>(action, params, on(replica, userId));
			const organiserId = randomUUID();
			const start = minutesAfter(clock, 10);
			const contest = await call(
				replicas[0],
				"contests.create",
				{ title: "Replicated board", startsAt: start, endsAt: at(start, "60:00"), scoring: "icpc" },
				organiserId
			);
			const answer = secretAnswer("R");
			const problem = await call(
				replicas[0],
				"contests.addProblem",
				{ id: contest.id, title: "Problem R", statement: "Find it.", points: 1, answer },
				organiserId
			);
			const [solver, other] = [randomUUID(), randomUUID()];
			for (const userId of [solver, other]) await call(replicas[0], "contests.register", { id: contest.id }, userId);
			clock.set(at(start, "02:00"));
			const boards = () =>
				Promise.all(replicas.map(r => call(r, "contests.leaderboard", { id: contest.id, page: 1, pageSize: 10 }, other)));
			const solvedBy = (board: { rows: { userId: string; rank: number; solved: number }[] }) =>
				board.rows.map(r => [r.userId === solver ? "solver" : "other", r.rank, r.solved]);

			for (const board of await boards())
				assert.deepEqual(solvedBy(board).sort(), [
					["other", 1, 0],
					["solver", 1, 0]
				]);
			const submitted = await call(replicas[1], "contests.submit", { id: contest.id, problemId: problem.id, answer }, solver);
			assert.equal(submitted.scored, true);
			for (const board of await boards())
				assert.deepEqual(
					solvedBy(board),
					[
						["solver", 1, 1],
						["other", 2, 0]
					],
					"each replica's cached page is retired"
				);
		});
	}
);
