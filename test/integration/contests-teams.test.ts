/**
 * Team contests through the gateway, on the real PostgreSQL and Redis, with the clock the tests
 * move: `teams` on the contest (shown, validated, never with `rated`, fixed once anyone registered
 * or the contest started), the registration rules (the group's members, its size, one team per
 * person even when two registrations race, the contest's group, who may register and withdraw),
 * bad input, and what becomes of a team whose member leaves the group or deletes their account.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { eventually } from "../helpers/eventually";
import {
	assertError,
	contestsClient,
	contestsPlatform,
	MINUTE,
	minutesAfter,
	ok,
	secretAnswer,
	teamRows,
	teamsClient,
	type TestUser,
	uniqueWord
} from "../helpers/contests";
import { unavailable } from "../helpers/services";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DELIVERY_MS = 30_000;

/** The fields a 422 names. */
const fieldsOf = (body: { data?: { field: string }[] }) => (body.data ?? []).map(d => d.field);

describe("team contests: the contest's kind and the registration of teams", { skip: unavailable("postgres", "redis") }, () => {
	const h = contestsPlatform();
	const c = contestsClient(h);
	const t = teamsClient(h);
	/** A platform admin: organises every contest here (only admins touch `rated`). */
	let admin: TestUser;
	let owner: TestUser, a1: TestUser, a2: TestUser, a3: TestUser, a4: TestUser, a5: TestUser, both: TestUser;
	let b1: TestUser, outsider: TestUser;
	/** A: public, owned by `owner`, with a1–a5 and `both`; B: private, with b1 and `both`. */
	let A: string, B: string;

	/** A team contest of `admin` starting 10 minutes ahead, an hour long; `extra` joins the body. */
	const teamContest = async (maxSize: number, extra: Record<string, unknown> = {}) => {
		const start = minutesAfter(h.clock, 10);
		const contest = ok(await c.post(admin, { ...c.body(start, 60), teams: { maxSize }, ...extra }), 201);
		return { contest, start, end: new Date(contest.endsAt) };
	};

	before(async () => {
		await h.start();
		[owner, a1, a2, a3, a4, a5, both, b1, outsider] = await h.registerMany(9, "team");
		admin = await h.registerAdmin();
		A = await t.group(owner, [a1, a2, a3, a4, a5, both]);
		B = await t.group(b1, [both], "private");
	});

	after(() => h.stop());

	describe("the contest's kind", () => {
		it("when a team contest is created then its view shows `teams` (an individual one has none), and it is not rated", async () => {
			const { contest } = await teamContest(3);
			assert.deepEqual([contest.teams, contest.rated], [{ maxSize: 3 }, false]);
			assert.deepEqual((await c.read(contest.id)).teams, { maxSize: 3 });
			assert.deepEqual((await c.all("status=upcoming")).find(row => row.id === contest.id)?.teams, { maxSize: 3 });
			const individual = await c.create(admin, minutesAfter(h.clock, 10), 60);
			assert.ok(!("teams" in individual), "an individual contest has no `teams`");
			const explicit = ok(await c.post(admin, { ...c.body(minutesAfter(h.clock, 10), 60), teams: null }), 201);
			assert.ok(!("teams" in explicit), "`teams: null` is an individual contest");
		});

		it("when `rated` and `teams` come together then 422 naming rated, on creation and on edit, and nothing changes", async () => {
			const start = minutesAfter(h.clock, 10);
			const title = `Rated teams ${uniqueWord(8)}`;
			const res = await c.post(admin, { ...c.body(start, 60), title, rated: true, teams: { maxSize: 3 } });
			assertError(res, 422);
			assert.deepEqual(fieldsOf(res.body), ["rated"]);
			assert.deepEqual(await h.contestsDb(`SELECT id FROM contests.contests WHERE title = $1`, [title]), [], "nothing created");

			const { contest } = await teamContest(3);
			const edit = await c.patch(contest.id, admin, { rated: true });
			assertError(edit, 422);
			assert.deepEqual(fieldsOf(edit.body), ["rated"]);
			const rated = ok(await c.post(admin, { ...c.body(start, 60), rated: true }), 201);
			assertError(await c.patch(rated.id, admin, { teams: { maxSize: 2 } }), 422);
			assert.deepEqual([await c.read(contest.id), await c.read(rated.id)], [contest, rated], "unchanged by the refused edits");
			// Together in one edit, the contest stops being rated as it becomes a team contest.
			const turned = ok(await c.patch(rated.id, admin, { rated: false, teams: { maxSize: 2 } }));
			assert.deepEqual([turned.rated, turned.teams], [false, { maxSize: 2 }]);
		});

		it("when `teams` is not a valid setting then 422 naming it, on creation and on edit", async () => {
			const start = minutesAfter(h.clock, 10);
			const { contest } = await teamContest(3);
			for (const teams of [
				{ maxSize: 0 },
				{ maxSize: 11 },
				{ maxSize: 2.5 },
				{ maxSize: "3" },
				{},
				{ maxSize: 2, mode: "x" },
				"yes",
				3,
				[],
				true
			]) {
				for (const res of [await c.post(admin, { ...c.body(start, 60), teams }), await c.patch(contest.id, admin, { teams })]) {
					assertError(res, 422);
					assert.ok(
						fieldsOf(res.body).some(f => f.startsWith("teams")),
						`${JSON.stringify(teams)}: names teams: ${JSON.stringify(res.body.data)}`
					);
				}
			}
			assert.deepEqual(await c.read(contest.id), contest);
		});

		it("when the organiser changes `teams` then it changes before anyone registered; after, the kind is fixed (409) and a limit below a team's size is 409; after the start 409 CONTEST_STARTED", async () => {
			const { contest, start } = await teamContest(3);
			assert.deepEqual(ok(await c.patch(contest.id, admin, { teams: { maxSize: 4 } })).teams, { maxSize: 4 });
			assert.ok(!("teams" in ok(await c.patch(contest.id, admin, { teams: null }))), "an individual contest again");
			assert.deepEqual(ok(await c.patch(contest.id, admin, { teams: { maxSize: 3 } })).teams, { maxSize: 3 });
			await t.add(contest.id, a1, A, [a1, a2, a3]);

			assertError(await c.patch(contest.id, admin, { teams: null }), 409, "REGISTRATIONS_EXIST");
			assertError(await c.patch(contest.id, admin, { teams: { maxSize: 2 } }), 409, "TEAMS_TOO_LARGE");
			assert.deepEqual(ok(await c.patch(contest.id, admin, { teams: { maxSize: 5 } })).teams, { maxSize: 5 });
			assert.deepEqual(ok(await c.patch(contest.id, admin, { teams: { maxSize: 3 } })).teams, { maxSize: 3 });

			const individual = await c.create(admin, minutesAfter(h.clock, 10), 60);
			await c.join(individual.id, a1);
			assertError(await c.patch(individual.id, admin, { teams: { maxSize: 2 } }), 409, "REGISTRATIONS_EXIST");

			const changed = await h.contestsDb<{ changed: string[] }>(
				`SELECT envelope->'payload'->'changed' AS changed FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.updated' ORDER BY seq`,
				[contest.id]
			);
			assert.deepEqual(
				changed.map(r => r.changed),
				[["teams"], ["teams"], ["teams"], ["teams"], ["teams"]]
			);
			await h.at(start);
			assertError(await c.patch(contest.id, admin, { teams: { maxSize: 4 } }), 409, "CONTEST_STARTED");
			assert.deepEqual((await c.read(contest.id)).teams, { maxSize: 3 });
		});
	});

	describe("registering teams", () => {
		it("when a member registers a team of the group's members then 201 with the team; the contest lists it and its members see themselves registered", async () => {
			const { contest } = await teamContest(2);
			const res = await t.register(contest.id, a1, { groupId: A, name: "  Alpha  ", memberIds: [a1.id, a2.id] });
			const team = ok(res, 201);
			assert.equal(res.headers.get("location"), `/api/contests/${contest.id}/teams`);
			assert.deepEqual(Object.keys(team).sort(), ["groupId", "id", "members", "name", "registeredAt"]);
			assert.match(team.registeredAt, ISO);
			assert.deepEqual(
				{ ...team, id: undefined, registeredAt: undefined },
				{ id: undefined, registeredAt: undefined, name: "Alpha", groupId: A, members: [{ userId: a1.id }, { userId: a2.id }] }
			);
			assert.deepEqual(await t.all(contest.id), [team], "anyone lists the teams of a public contest");
			assert.deepEqual([(await c.read(contest.id, a2)).registered, (await c.read(contest.id, a3)).registered], [true, false]);
			assert.equal((await c.read(contest.id)).participantCount, 1, "a team contest counts its teams");
			const registered = await h.contestsDb<{ payload: any }>(
				`SELECT envelope->'payload' AS payload FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.team_registered'`,
				[contest.id]
			);
			assert.deepEqual(
				registered.map(r => [r.payload.teamId, r.payload.name, r.payload.teamGroupId, r.payload.memberIds]),
				[[team.id, "Alpha", A, [a1.id, a2.id]]]
			);
		});

		it("when registrations break the rules then each is refused with its status and nothing is registered", async () => {
			const { contest } = await teamContest(2);
			const alpha = await t.add(contest.id, a1, A, [a1, a2], "Alpha");
			const cases: [string, TestUser | undefined, unknown, number, string | undefined][] = [
				["anonymous", undefined, { groupId: A, name: "X", memberIds: [a3.id] }, 401, "UNAUTHORIZED"],
				["too many members", a3, { groupId: A, name: "X", memberIds: [a3.id, a4.id, a5.id] }, 422, undefined],
				["a member outside the group", a3, { groupId: A, name: "X", memberIds: [a3.id, outsider.id] }, 422, undefined],
				["a member with a team already", a3, { groupId: A, name: "X", memberIds: [a3.id, a2.id] }, 409, "ALREADY_IN_TEAM"],
				[
					"the name of another team, in another case",
					a3,
					{ groupId: A, name: "ALPHA", memberIds: [a3.id] },
					409,
					"TEAM_NAME_TAKEN"
				],
				["a plain member registering others", a3, { groupId: A, name: "X", memberIds: [a4.id, a5.id] }, 403, "FORBIDDEN"],
				["not a member of the public group", outsider, { groupId: A, name: "X", memberIds: [outsider.id] }, 403, "FORBIDDEN"],
				[
					"not a member of the private group",
					outsider,
					{ groupId: B, name: "X", memberIds: [outsider.id] },
					404,
					"GROUP_NOT_FOUND"
				],
				["a group that does not exist", a3, { groupId: randomUUID(), name: "X", memberIds: [a3.id] }, 404, "GROUP_NOT_FOUND"]
			];
			for (const [what, as, body, status, type] of cases) {
				const res = await t.register(contest.id, as, body);
				assertError(res, status, type);
				if (what === "too many members") assert.deepEqual(fieldsOf(res.body), ["memberIds"], what);
				if (what === "a member outside the group") assert.match(res.body.data[0].message, new RegExp(`not: ${outsider.id}$`), what);
				if (what === "a member with a team already") assert.deepEqual(res.body.data, { userIds: [a2.id] }, what);
			}
			assert.deepEqual(await t.all(contest.id), [alpha]);
			assertError(await c.register(contest.id, a3), 409, "TEAM_CONTEST");
			assert.deepEqual(await h.contestsDb(`SELECT user_id FROM contests.participants WHERE contest_id = $1`, [contest.id]), [
				{ user_id: alpha.id }
			]);
		});

		it("when a group's moderator registers a team they are not in then 201; a public contest takes teams of any group, a group's contest only its own", async () => {
			const { contest } = await teamContest(3);
			const moderated = await t.add(contest.id, owner, A, [a3, a4]);
			assert.deepEqual(moderated.members, [{ userId: a3.id }, { userId: a4.id }]);
			h.clock.advance(1000);
			const ofB = await t.add(contest.id, b1, B, [b1, both]);
			assert.equal(ofB.groupId, B);
			assert.deepEqual(
				(await t.all(contest.id)).map(team => team.id),
				[moderated.id, ofB.id],
				"in registration order"
			);
			const page2 = ok(await t.list(contest.id, undefined, "page=2&pageSize=1"));
			assert.deepEqual([page2.rows.map((r: any) => r.id), page2.total, page2.totalPages], [[ofB.id], 2, 2]);

			const groupContest = ok(
				await c.post(owner, { ...c.body(minutesAfter(h.clock, 10), 60), groupId: A, teams: { maxSize: 3 } }),
				201
			);
			const wrong = await t.register(groupContest.id, both, { groupId: B, name: "Of B", memberIds: [both.id] });
			assertError(wrong, 422);
			assert.deepEqual(fieldsOf(wrong.body), ["groupId"]);
			await t.add(groupContest.id, both, A, [both]);
			assertError(await t.register(groupContest.id, b1, { groupId: B, name: "Of B", memberIds: [b1.id] }), 404, "NOT_FOUND");
			assertError(await t.list(groupContest.id, outsider), 404, "NOT_FOUND");
			assert.equal((await t.all(groupContest.id, a1)).length, 1, "members of the group list its contest's teams");
		});

		it("when the contest is not for teams then team routes are 409 NOT_TEAM_CONTEST; after the end a team is 409 CONTEST_ENDED", async () => {
			const individual = await c.create(admin, minutesAfter(h.clock, 10), 60);
			assertError(await t.register(individual.id, a1, { groupId: A, name: "X", memberIds: [a1.id] }), 409, "NOT_TEAM_CONTEST");
			assertError(await t.list(individual.id), 409, "NOT_TEAM_CONTEST");
			const { contest, start, end } = await teamContest(2);
			await h.at(start);
			const late = await t.add(contest.id, a1, A, [a1], "Late but running");
			assert.ok(late.id, "teams register while it runs, as people do");
			await h.at(end);
			assertError(await t.register(contest.id, a2, { groupId: A, name: "X", memberIds: [a2.id] }), 409, "CONTEST_ENDED");
		});

		it("when the input is malformed then 422 in the error shape, naming the field, and nothing is registered", async () => {
			const { contest } = await teamContest(10);
			const good = { groupId: A, name: "Fine", memberIds: [a1.id] };
			const cases: [unknown, string][] = [
				[{ ...good, memberIds: [] }, "memberIds"],
				[{ ...good, memberIds: [a1.id, a1.id] }, "memberIds"],
				[{ ...good, memberIds: ["not-a-uuid"] }, "memberIds[0]"],
				[{ ...good, memberIds: Array.from({ length: 11 }, () => randomUUID()) }, "memberIds"],
				[{ ...good, memberIds: a1.id }, "memberIds"],
				[{ ...good, memberIds: null }, "memberIds"],
				[{ ...good, name: "" }, "name"],
				[{ ...good, name: "   " }, "name"],
				[{ ...good, name: "x".repeat(101) }, "name"],
				[{ ...good, name: { first: "x" } }, "name"],
				[{ ...good, groupId: "A" }, "groupId"],
				[{ name: "Fine", memberIds: [a1.id] }, "groupId"],
				[{ ...good, role: "captain" }, ""]
			];
			for (const [body, field] of cases) {
				const res = await t.register(contest.id, a1, body);
				assertError(res, 422);
				// An unknown key is the whole body's fault (the root, "").
				const named = res.body.data.map((d: { field?: string }) => d.field ?? "");
				assert.ok(named.includes(field), `${JSON.stringify(body)} names ${field || "the body"}: ${JSON.stringify(res.body.data)}`);
			}
			assertError(await t.register("not-a-uuid", a1, good), 422);
			assertError(await t.register(randomUUID(), a1, good), 404, "NOT_FOUND");
			assertError(await t.withdraw(contest.id, "not-a-uuid", a1), 422);
			assertError(await t.withdraw(contest.id, randomUUID(), a1), 404, "TEAM_NOT_FOUND");
			assertError(await t.list(contest.id, undefined, "pageSize=101"), 422);
			assert.deepEqual(await t.all(contest.id), []);
		});

		it("when two registrations sharing a member race then exactly one wins, whatever the order of their members", async () => {
			const { contest } = await teamContest(3);
			const racers = await h.registerMany(19, "race");
			for (const racer of racers) ok(await h.api("POST", `/api/groups/${A}/join`, { token: racer.token }));
			for (let round = 0; round < 4; round++) {
				const [x, y, z] = racers.slice(round * 3, round * 3 + 3);
				// Odd rounds: the same two members in opposite orders (each waits on the other's first insert).
				const second = round % 2 ? [y, x] : [y, z];
				const results = await Promise.all([
					t.register(contest.id, x, { groupId: A, name: `Race ${round} x`, memberIds: [x.id, y.id] }),
					t.register(contest.id, y, { groupId: A, name: `Race ${round} y`, memberIds: second.map(u => u.id) })
				]);
				assert.deepEqual(
					results.map(r => r.status).sort(),
					[201, 409],
					`round ${round}: ${JSON.stringify(results.map(r => r.body))}`
				);
				for (const loser of results.filter(r => r.status === 409)) assertError(loser, 409, "ALREADY_IN_TEAM");
				const teamsOfY = await h.contestsDb(`SELECT team_id FROM contests.team_members WHERE contest_id = $1 AND user_id = $2`, [
					contest.id,
					y.id
				]);
				assert.equal(teamsOfY.length, 1, `round ${round}: one team for y`);
			}
			// Six at once, all with one shared member: one wins.
			const [shared, ...captains] = racers.slice(12);
			const crowd = await Promise.all(
				captains.map((captain, i) =>
					t.register(contest.id, captain, { groupId: A, name: `Crowd ${i}`, memberIds: [captain.id, shared.id] })
				)
			);
			assert.deepEqual(crowd.map(r => r.status).sort(), [201, 409, 409, 409, 409, 409]);
			assert.equal((await t.all(contest.id)).length, 5);
			const [{ n }] = await h.contestsDb<{ n: number }>(
				`SELECT count(*)::int AS n FROM contests.participants WHERE contest_id = $1`,
				[contest.id]
			);
			assert.equal(n, 5, "a losing registration leaves no board entry behind");
		});

		it("when a team withdraws then only its members or its group's moderators may, before the start; its members may register again", async () => {
			const { contest, start } = await teamContest(2);
			const team = await t.add(contest.id, a1, A, [a1, a2]);
			assertError(await t.withdraw(contest.id, team.id, undefined), 401, "UNAUTHORIZED");
			assertError(await t.withdraw(contest.id, team.id, a3), 403, "FORBIDDEN");
			assertError(await t.withdraw(contest.id, team.id, outsider), 403, "FORBIDDEN");
			assert.equal((await t.withdraw(contest.id, team.id, a2)).status, 204);
			assert.deepEqual(await t.all(contest.id), []);
			assertError(await t.withdraw(contest.id, team.id, a2), 404, "TEAM_NOT_FOUND");
			const again = await t.add(contest.id, a2, A, [a2, a1]);
			assert.equal((await t.withdraw(contest.id, again.id, owner)).status, 204, "the group's owner withdraws it");
			const last = await t.add(contest.id, a1, A, [a1]);
			await h.at(start);
			assertError(await t.withdraw(contest.id, last.id, a1), 409, "CONTEST_STARTED");
			assert.equal((await t.all(contest.id)).length, 1);
		});
	});

	describe("members who leave", () => {
		it("when a member leaves the team's group then they submit for the team no more, and the others still do", async () => {
			const leaver = (await h.registerMany(1, "leaver"))[0];
			ok(await h.api("POST", `/api/groups/${A}/join`, { token: leaver.token }));
			const { contest, start } = await teamContest(2);
			const problem = await c.addProblem(contest.id, admin, secretAnswer("L"));
			await t.add(contest.id, a5, A, [a5, leaver]);
			await h.at(start);
			assert.equal((await h.api("POST", `/api/groups/${A}/leave`, { token: leaver.token })).status, 204);
			assertError(await c.submit(contest.id, problem.id, leaver, "a guess"), 403, "FORBIDDEN");
			assert.equal(ok(await c.submit(contest.id, problem.id, a5, "a guess"), 201).verdict, "wrong");
			const [{ n }] = await h.contestsDb<{ n: number }>(`SELECT count(*)::int AS n FROM contests.submissions WHERE contest_id = $1`, [
				contest.id
			]);
			assert.equal(n, 1, "the refused answer is not recorded");
		});

		it("when a team's group is deleted then its teams leave the contests that have not started; in a running one they stay and submit no more", async () => {
			const [g1, g2] = await h.registerMany(2, "gone");
			const doomedGroup = await t.group(g1, [g2]);
			const running = await teamContest(2);
			const answer = secretAnswer("G");
			const problem = await c.addProblem(running.contest.id, admin, answer);
			const staying = await t.add(running.contest.id, g2, doomedGroup, [g2, g1]);
			await h.at(running.start);
			const upcoming = await teamContest(2);
			const leaving = await t.add(upcoming.contest.id, g1, doomedGroup, [g1, g2]);
			assert.equal(ok(await c.submit(running.contest.id, problem.id, g2, answer), 201).verdict, "accepted");

			assert.equal((await h.api("DELETE", `/api/groups/${doomedGroup}`, { token: g1.token })).status, 204);
			await eventually(
				"the team leaves the upcoming contest",
				() => t.all(upcoming.contest.id),
				rows => rows.length === 0,
				DELIVERY_MS,
				200
			);
			const withdrawn = await h.contestsDb<{ payload: any }>(
				`SELECT envelope->'payload' AS payload FROM contests.outbox WHERE type = 'contest.team_withdrawn' AND envelope->'payload'->>'teamId' = $1`,
				[leaving.id]
			);
			assert.deepEqual(
				withdrawn.map(r => r.payload.reason),
				["group_deleted"]
			);
			assert.deepEqual(
				(await t.all(running.contest.id)).map(team => team.id),
				[staying.id]
			);
			assert.deepEqual(teamRows((await c.board(running.contest.id)).rows, { Staying: staying.id }), [
				["Staying", 1, 1, 0, [g2.id, g1.id]]
			]);
			h.clock.advance(MINUTE);
			assertError(await c.submit(running.contest.id, problem.id, g1, answer), 403, "FORBIDDEN");
		});

		it("when members delete their accounts then they leave their team, which leaves the board once empty; the board stays consistent", async () => {
			const [x, y, z] = await h.registerMany(3, "doomed");
			for (const u of [x, y, z]) ok(await h.api("POST", `/api/groups/${A}/join`, { token: u.token }));
			const { contest, start } = await teamContest(2, { freezeMinutes: 30 });
			const answer = secretAnswer("D");
			const problem = await c.addProblem(contest.id, admin, answer);
			const doomed = await t.add(contest.id, x, A, [x, y], "Doomed");
			const stays = await t.add(contest.id, z, A, [z], "Stays");
			const names = { Doomed: doomed.id, Stays: stays.id };
			await h.at(start);
			h.clock.advance(2 * MINUTE);
			assert.equal(ok(await c.submit(contest.id, problem.id, x, answer), 201).verdict, "accepted");
			// In the freeze, with both boards read (and their pages cached) before the deletions.
			h.clock.set(start.getTime() + 40 * MINUTE);
			assert.equal((await c.board(contest.id)).rows.length, 2);
			assert.equal((await c.board(contest.id, admin)).frozenAt, null);
			assert.equal((await h.api("DELETE", "/api/users/me", { token: x.token })).status, 204);
			const afterX = await eventually(
				"x leaves the team's row",
				() => c.board(contest.id),
				b => b.rows.some((r: any) => r.team.id === doomed.id && r.team.members.length === 1),
				DELIVERY_MS,
				200
			);
			assert.ok(afterX.frozenAt, "the board at the freeze");
			const EXPECTED = [
				["Doomed", 1, 1, 2, [y.id]],
				["Stays", 2, 0, 0, [z.id]]
			];
			assert.deepEqual(teamRows(afterX.rows, names), EXPECTED);
			assert.deepEqual(teamRows((await c.board(contest.id, admin)).rows, names), EXPECTED, "the live board too");
			const mine = ok(await c.mine(contest.id, y));
			assert.deepEqual(
				mine.map((s: any) => [s.verdict, s.submittedBy]),
				[["accepted", null]],
				"the team keeps x's solve, no longer naming them"
			);

			assert.equal((await h.api("DELETE", "/api/users/me", { token: y.token })).status, 204);
			const afterY = await eventually(
				"the emptied team leaves the board",
				() => c.board(contest.id),
				b => b.total === 1,
				DELIVERY_MS,
				200
			);
			assert.deepEqual(teamRows(afterY.rows, names), [["Stays", 1, 0, 0, [z.id]]]);
			assert.deepEqual(
				(await t.all(contest.id)).map(team => team.id),
				[stays.id]
			);
			assert.equal((await c.read(contest.id)).participantCount, 1);
			const withdrawn = await h.contestsDb<{ reason: string }>(
				`SELECT envelope->'payload'->>'reason' AS reason FROM contests.outbox WHERE aggregate_id = $1 AND type = 'contest.team_withdrawn'`,
				[contest.id]
			);
			assert.deepEqual(withdrawn, [{ reason: "emptied" }]);
		});
	});
});
