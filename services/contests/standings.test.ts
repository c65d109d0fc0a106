import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Transaction } from "sequelize";
import { RedisUnavailableError } from "../../lib/redis-link";
import { endedDetails } from "./contest-ended";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { Scoring, Verdict } from "./contests.types";
import { MemoryLeaderboardStore } from "./leaderboard/memory";
import type { LeaderboardStore } from "./leaderboard/store";
import type { Attempt } from "./scoring";
import { freezeAt } from "./contest-placements";
import { Standings } from "./standings";
import type { Rosters } from "./team-store";
import type { TeamRef } from "./teams.types";

const START = new Date("2026-03-01T10:00:00Z");
const END = new Date("2026-03-01T13:00:00Z");

const contestOf = (scoring: Scoring, freezeMinutes: number | null = null, teamMaxSize: number | null = null) =>
	({
		id: `c-${scoring}`,
		scoring,
		startsAt: START,
		endsAt: END,
		freezeMinutes,
		teamMaxSize,
		startedEventAt: START
	}) as unknown as ContestModel;

const at = (problemId: string, verdict: Verdict, minute: number): Attempt => ({
	problemId,
	verdict,
	submittedAt: new Date(START.getTime() + minute * 60_000)
});

/** The two reads the standings make of PostgreSQL, over fixed histories (oldest first). */
function storeOf(histories: Record<string, Attempt[]>): ContestStore {
	const fake = {
		async problems() {
			return [
				{ id: "A", points: 100 },
				{ id: "B", points: 300 }
			];
		},
		async histories(_contestId: string, opts: { userIds?: string[]; before?: Date } = {}) {
			return new Map(
				Object.entries(histories)
					.filter(([userId]) => !opts.userIds || opts.userIds.includes(userId))
					.map(([userId, attempts]) => [userId, attempts.filter(a => !opts.before || a.submittedAt < opts.before)])
			);
		}
	};
	return fake as unknown as ContestStore;
}

/** Teams by id (name, members): what the boards of a team contest read of them. */
function rostersOf(teams: Record<string, { name: string; members: string[] }> = {}): Rosters {
	const ref = (id: string): TeamRef => ({ id, name: teams[id].name, members: teams[id].members.map(userId => ({ userId })) });
	return {
		async refs(_contestId, ids) {
			return new Map(ids.filter(id => teams[id]).map(id => [id, ref(id)]));
		},
		async members() {
			return new Map(Object.entries(teams).map(([id, t]) => [id, t.members]));
		}
	};
}

describe("freeze time", () => {
	it("when a contest has no freeze then there is no freeze time", () => {
		assert.equal(freezeAt(contestOf("icpc", null)), null);
	});

	it("when a contest freezes 60 minutes before its end then the freeze is at end − 60 min", () => {
		assert.deepEqual(freezeAt(contestOf("icpc", 60)), new Date("2026-03-01T12:00:00Z"));
	});
});

describe("leaderboard ranks", () => {
	it("when ICPC standings tie on solved and penalty then they share a rank and the next rank skips", async () => {
		const standings = new Standings(
			storeOf({
				u1: [at("A", "wrong", 3), at("A", "accepted", 12), at("B", "accepted", 45)], // 2 solved, 12 + 20 + 45 = 77
				u2: [at("B", "accepted", 30), at("A", "accepted", 47)], // 2 solved, 77
				u3: [at("A", "accepted", 20), at("B", "accepted", 40)], // 2 solved, 60
				u4: [at("A", "wrong", 5)] // nothing solved
			}),
			new MemoryLeaderboardStore(),
			rostersOf()
		);
		const contest = contestOf("icpc");
		assert.deepEqual(await standings.ranks(contest, false), [
			{ userId: "u3", rank: 1 },
			{ userId: "u2", rank: 2 },
			{ userId: "u1", rank: 2 },
			{ userId: "u4", rank: 4 }
		]);
		const page = await standings.page(contest, 1, 10, "u4", false);
		assert.deepEqual(
			page.rows.map(r => [r.userId, r.rank, r.solved, r.penalty, r.points]),
			[
				["u3", 1, 2, 60, undefined],
				["u2", 2, 2, 77, undefined],
				["u1", 2, 2, 77, undefined],
				["u4", 4, 0, 0, undefined]
			]
		);
		assert.deepEqual(page.me, {
			rank: 4,
			userId: "u4",
			solved: 0,
			penalty: 0,
			problems: { A: { solved: false, wrongTries: 1, solvedAtMinute: null } }
		});
		assert.deepEqual([page.total, page.totalPages, page.frozenAt], [4, 1, null]);
	});

	it("when points tie then the earlier last solve ranks first, and equal points and time share a rank", async () => {
		const standings = new Standings(
			storeOf({
				u1: [at("B", "accepted", 50)], // 300 points, last at 50
				u2: [at("A", "accepted", 10), at("B", "accepted", 70)], // 400, last at 70
				u3: [at("B", "accepted", 20), at("A", "accepted", 60)], // 400, last at 60
				u4: [at("A", "accepted", 5), at("B", "accepted", 60)] // 400, last at 60
			}),
			new MemoryLeaderboardStore(),
			rostersOf()
		);
		const contest = contestOf("points");
		assert.deepEqual(await standings.ranks(contest, false), [
			{ userId: "u4", rank: 1 },
			{ userId: "u3", rank: 1 },
			{ userId: "u2", rank: 3 },
			{ userId: "u1", rank: 4 }
		]);
		const page = await standings.page(contest, 1, 2, undefined, false);
		assert.deepEqual(
			page.rows.map(r => [r.userId, r.rank, r.points, r.penalty]),
			[
				["u4", 1, 400, undefined],
				["u3", 1, 400, undefined]
			]
		);
		assert.deepEqual([page.total, page.totalPages, page.me], [4, 2, null]);
	});

	it("when the board is frozen then solves after the freeze do not move the frozen ranks", async () => {
		const standings = new Standings(
			storeOf({
				u1: [at("A", "accepted", 30), at("B", "accepted", 150)], // B after the freeze (minute 120)
				u2: [at("A", "accepted", 20)]
			}),
			new MemoryLeaderboardStore(),
			rostersOf()
		);
		const contest = contestOf("icpc", 60);
		assert.deepEqual(await standings.ranks(contest, true), [
			{ userId: "u2", rank: 1 },
			{ userId: "u1", rank: 2 }
		]);
		assert.deepEqual(await standings.ranks(contest, false), [
			{ userId: "u1", rank: 1 },
			{ userId: "u2", rank: 2 }
		]);
		const frozen = await standings.page(contest, 1, 10, "u1", true);
		assert.equal(frozen.frozenAt, "2026-03-01T12:00:00.000Z");
		assert.deepEqual(
			frozen.rows.map(r => [r.userId, r.rank, r.solved]),
			[
				["u2", 1, 1],
				["u1", 2, 1]
			]
		);
		// The caller's own row is live (2 solved), ranked among the frozen board: above everyone there.
		assert.deepEqual([frozen.me?.rank, frozen.me?.solved, frozen.me?.penalty], [1, 2, 180]);
	});
});

describe("final standings (contest.ended)", () => {
	const transaction = {} as Transaction;

	it("when a frozen contest ends with ties and a participant who never submitted then the standings are the live board's, without them", async () => {
		const store = storeOf({
			u1: [at("A", "accepted", 30), at("B", "accepted", 150)], // 2 solved, 180: B after the freeze
			u2: [at("A", "accepted", 20), at("B", "accepted", 100)], // 2 solved, 120
			u3: [at("B", "accepted", 20), at("A", "accepted", 100)], // 2 solved, 120: ties u2
			u4: [at("A", "wrong", 5)], // nothing solved: ties u5 on the board
			u5: [] // registered, never submitted
		});
		const board = new MemoryLeaderboardStore();
		const standings = new Standings(store, board, rostersOf());
		const contest = contestOf("icpc", 60);
		const final = await standings.final(contest, transaction);
		assert.deepEqual(
			await standings.ranks(contest, false),
			final.map(p => ({ userId: p.competitorId, rank: p.rank }))
		);
		const details = endedDetails(true, final);
		assert.deepEqual(details.standings, [
			{ userId: "u3", rank: 1 },
			{ userId: "u2", rank: 1 },
			{ userId: "u1", rank: 3 },
			{ userId: "u4", rank: 4 }
		]);
		assert.deepEqual([details.rated, details.participantCount], [true, 5]);
		assert.deepEqual(
			details.top.map(r => [r.userId, r.rank, r.solved, r.penalty]),
			[
				["u3", 1, 2, 120],
				["u2", 1, 2, 120],
				["u1", 3, 2, 180],
				["u5", 4, 0, 0],
				["u4", 4, 0, 0]
			]
		);
		assert.ok(
			details.top.every(r => !("problems" in r)),
			"top carries no per-problem cells"
		);
	});

	it("when the board in the store lags PostgreSQL then the final standings follow PostgreSQL", async () => {
		const histories: Record<string, Attempt[]> = { u1: [at("A", "accepted", 10)], u2: [at("A", "wrong", 5)] };
		const standings = new Standings(storeOf(histories), new MemoryLeaderboardStore(), rostersOf());
		const contest = contestOf("points");
		await standings.ranks(contest, false);
		// A solve committed whose board update never happened (the node died in between).
		histories.u2.push(at("B", "accepted", 20));
		assert.deepEqual(endedDetails(false, await standings.final(contest, transaction)).standings, [
			{ userId: "u2", rank: 1 },
			{ userId: "u1", rank: 2 }
		]);
	});
});

describe("team contests: the board keys teams as it keys people", () => {
	const transaction = {} as Transaction;
	const teams = {
		t1: { name: "Tigers", members: ["a", "b"] },
		t2: { name: "Owls", members: ["c"] },
		t3: { name: "Idle", members: ["d", "e"] }
	};
	const histories = {
		t1: [at("A", "wrong", 3), at("A", "accepted", 10)], // 1 solved, 10 + 20 = 30
		t2: [at("B", "accepted", 20)], // 1 solved, 20
		t3: [] // registered, never submitted
	};

	it("when teams play then rows name the team and its members, never a user id, and ranks go to every member", async () => {
		const standings = new Standings(storeOf(histories), new MemoryLeaderboardStore(), rostersOf(teams));
		const contest = contestOf("icpc", null, 3);
		const page = await standings.page(contest, 1, 10, "t1", false);
		assert.deepEqual(
			page.rows.map(r => [r.team?.name, r.team?.members.map(m => m.userId), r.rank, r.penalty, "userId" in r]),
			[
				["Owls", ["c"], 1, 20, false],
				["Tigers", ["a", "b"], 2, 30, false],
				["Idle", ["d", "e"], 3, 0, false]
			]
		);
		assert.deepEqual([page.me?.team?.id, page.me?.rank], ["t1", 2]);
		assert.deepEqual(await standings.ranks(contest, false), [
			{ userId: "c", rank: 1 },
			{ userId: "a", rank: 2 },
			{ userId: "b", rank: 2 },
			{ userId: "d", rank: 3 },
			{ userId: "e", rank: 3 }
		]);
	});

	it("when a team contest ends then contest.ended lists each member of each team that submitted, with its rank and id", async () => {
		const standings = new Standings(storeOf(histories), new MemoryLeaderboardStore(), rostersOf(teams));
		const contest = contestOf("points", null, 3);
		const members = await rostersOf(teams).members("c");
		const details = endedDetails(false, await standings.final(contest, transaction), members);
		assert.deepEqual(details.standings, [
			{ userId: "c", teamId: "t2", rank: 1 },
			{ userId: "a", teamId: "t1", rank: 2 },
			{ userId: "b", teamId: "t1", rank: 2 }
		]);
		assert.equal(details.participantCount, 3, "teams, not people");
		assert.deepEqual(
			details.top.map(r => [r.userId, r.teamId, r.rank, r.points]),
			[
				["c", "t2", 1, 300],
				["a", "t1", 2, 100],
				["b", "t1", 2, 100],
				["d", "t3", 3, 0],
				["e", "t3", 3, 0]
			]
		);
	});
});

/** A board store whose Redis is away: every read throws, every change is skipped (and listed in `skipped`). */
function storeAway(skipped: string[] = []): LeaderboardStore {
	const away = () => Promise.reject(new RedisUnavailableError());
	const skip =
		(what: string) =>
		async (board: string): Promise<void> => {
			skipped.push(`${what} ${board}`);
		};
	return {
		raise: skip("raise"),
		remove: skip("remove"),
		drop: skip("drop"),
		close: async () => {},
		range: away,
		higherThan: away,
		size: away,
		standings: away,
		version: away,
		epoch: away,
		rebuild: away
	};
}

describe("leaderboards while the board store cannot answer (Redis away)", () => {
	const histories = {
		u1: [at("A", "accepted", 30), at("B", "accepted", 150)], // B after the freeze (minute 120)
		u2: [at("A", "accepted", 20), at("B", "wrong", 25)],
		u3: [at("B", "accepted", 20)], // ties u2 at the freeze
		u4: [at("A", "wrong", 5)],
		u5: []
	};
	const teams = {
		u1: { name: "One", members: ["a"] },
		u2: { name: "Two", members: ["b", "c"] },
		u3: { name: "Three", members: ["d"] },
		u4: { name: "Four", members: ["e"] }
	};

	it("when pages and ranks are read from PostgreSQL then they are the store's: rows, ties, totals, own rows, frozen or live, of people or teams", async () => {
		for (const [contest, rosters] of [
			[contestOf("icpc", 60), rostersOf()],
			[contestOf("points", 60), rostersOf()],
			[contestOf("icpc", 60, 3), rostersOf(teams)]
		] as const) {
			const fromStore = new Standings(storeOf(histories), new MemoryLeaderboardStore(), rosters);
			const fromDatabase = new Standings(storeOf(histories), storeAway(), rosters);
			for (const frozen of [false, true]) {
				assert.deepEqual(await fromDatabase.ranks(contest, frozen), await fromStore.ranks(contest, frozen));
				for (const [page, pageSize] of [
					[1, 10],
					[1, 2],
					[2, 2],
					[4, 2]
				]) {
					for (const caller of [undefined, "u1", "u4", "u5", "nobody"]) {
						const what = `${contest.scoring}, teams ${contest.teamMaxSize}, frozen ${frozen}, page ${page}/${pageSize}, ${caller}`;
						assert.deepEqual(
							await fromDatabase.page(contest, page, pageSize, caller, frozen),
							await fromStore.page(contest, page, pageSize, caller, frozen),
							what
						);
					}
				}
			}
		}
	});

	it("when the board store cannot answer then a competitor's changes only write to it (the writes it skips), never read it", async () => {
		const skipped: string[] = [];
		const standings = new Standings(storeOf(histories), storeAway(skipped), rostersOf());
		const contest = contestOf("icpc", 60);
		await standings.refresh(contest, "u1");
		await standings.recount(contest, "u1", new Date(START.getTime() + 60 * 60_000), false);
		await standings.touch(contest, "u1");
		await standings.remove(contest, "u1");
		const [live, frozen] = [contest.id, `${contest.id}:frozen`];
		assert.deepEqual(skipped, [
			`raise ${live}`,
			`raise ${live}`,
			`drop ${frozen}`,
			`raise ${live}`,
			`raise ${frozen}`,
			`remove ${live}`,
			`remove ${frozen}`
		]);
	});
});
