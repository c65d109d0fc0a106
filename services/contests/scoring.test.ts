import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Verdict } from "./contests.types";
import { type Attempt, scoreOf, type Standing, standingOf } from "./scoring";

const START = new Date("2026-03-01T10:00:00Z");
/** An attempt `s` seconds after the start. */
const at = (problemId: string, verdict: Verdict, s: number): Attempt => ({
	problemId,
	verdict,
	submittedAt: new Date(START.getTime() + s * 1000)
});
const POINTS = new Map([
	["A", 100],
	["B", 300],
	["C", 50]
]);
const standing = (s: Partial<Standing>): Standing => ({ solved: 0, penalty: 0, points: 0, lastSolvedS: 0, problems: {}, ...s });

/** Ranks as the board gives them: one more than the count of strictly higher scores. */
const ranksOf = (scores: number[]) => scores.map(score => 1 + scores.filter(other => other > score).length);

describe("a participant's standing", () => {
	it("when there is no attempt then nothing is solved and nothing counts", () => {
		assert.deepEqual(standingOf([], START, POINTS), { solved: 0, penalty: 0, points: 0, lastSolvedS: 0, problems: {} });
	});

	it("when problems are solved after wrong tries then penalty is minutes to the first AC plus 20 per wrong try before it", () => {
		const s = standingOf(
			[
				at("A", "wrong", 180),
				at("A", "wrong", 450),
				at("A", "accepted", 779), // minute 12: 12 + 2 × 20 = 52
				at("B", "accepted", 2700), // minute 45: 45
				at("C", "wrong", 3000) // unsolved: counted as a try, costs nothing
			],
			START,
			POINTS
		);
		assert.deepEqual(s, {
			solved: 2,
			penalty: 97,
			points: 400,
			lastSolvedS: 2700,
			problems: {
				A: { solved: true, wrongTries: 2, solvedAtMinute: 12 },
				B: { solved: true, wrongTries: 0, solvedAtMinute: 45 },
				C: { solved: false, wrongTries: 1, solvedAtMinute: null }
			}
		});
	});

	it("when a problem is answered again after its first AC then neither the wrong nor the accepted answers after it count", () => {
		const s = standingOf(
			[at("A", "wrong", 60), at("A", "accepted", 600), at("A", "wrong", 900), at("A", "accepted", 1200), at("A", "wrong", 1500)],
			START,
			POINTS
		);
		assert.deepEqual(s, {
			solved: 1,
			penalty: 30, // minute 10 + one wrong try
			points: 100,
			lastSolvedS: 600,
			problems: { A: { solved: true, wrongTries: 1, solvedAtMinute: 10 } }
		});
	});

	it("when an answer is accepted 59.9 s in then it counts as minute 0, at 60 s as minute 1", () => {
		assert.equal(standingOf([at("A", "accepted", 59.9)], START, POINTS).penalty, 0);
		assert.equal(standingOf([at("A", "accepted", 60)], START, POINTS).penalty, 1);
	});

	it("when an answer is stamped before the start (clock skew) then it counts as second 0", () => {
		const s = standingOf([at("A", "accepted", -30)], START, POINTS);
		assert.equal(s.penalty, 0);
		assert.equal(s.lastSolvedS, 0);
		assert.equal(s.problems.A.solvedAtMinute, 0);
	});

	it("when the last solve is not the latest in the list then lastSolvedS is still the latest first-AC time", () => {
		const s = standingOf([at("B", "accepted", 2000), at("A", "accepted", 500), at("C", "accepted", 1500)], START, POINTS);
		assert.equal(s.lastSolvedS, 2000);
		assert.equal(s.points, 450);
	});

	it("when a solved problem has no points on record then it counts as solved with 0 points", () => {
		const s = standingOf([at("Z", "accepted", 120)], START, POINTS);
		assert.equal(s.solved, 1);
		assert.equal(s.points, 0);
	});
});

describe("ICPC score", () => {
	it("when one has solved more then they rank first, whatever their penalty", () => {
		const more = scoreOf("icpc", standing({ solved: 2, penalty: 5000 }));
		const fewer = scoreOf("icpc", standing({ solved: 1, penalty: 0 }));
		assert.ok(more > fewer);
	});

	it("when solved counts are equal then the lower penalty ranks first", () => {
		assert.ok(scoreOf("icpc", standing({ solved: 3, penalty: 100 })) > scoreOf("icpc", standing({ solved: 3, penalty: 101 })));
	});

	it("when solved and penalty are equal then the scores are equal, whatever the points or last solve", () => {
		assert.equal(
			scoreOf("icpc", standing({ solved: 2, penalty: 97, points: 400, lastSolvedS: 2700 })),
			scoreOf("icpc", standing({ solved: 2, penalty: 97, points: 10, lastSolvedS: 60 }))
		);
	});

	it("when the standing is 2 solved and 97 penalty then the score is 2 × 1e9 + (1e9 − 1 − 97)", () => {
		assert.equal(scoreOf("icpc", standing({ solved: 2, penalty: 97 })), 2_999_999_902);
		assert.equal(scoreOf("icpc", standing({})), 999_999_999);
	});

	it("when five participants are ranked then equal keys share a rank and the next rank skips", () => {
		const scores = [
			{ solved: 3, penalty: 200 },
			{ solved: 2, penalty: 50 },
			{ solved: 3, penalty: 200 },
			{ solved: 3, penalty: 150 },
			{ solved: 0, penalty: 0 }
		].map(s => scoreOf("icpc", standing(s)));
		assert.deepEqual(ranksOf(scores), [2, 4, 2, 1, 5]);
	});

	it("when the whole histories are scored then wrong tries on unsolved problems do not separate equal solvers", () => {
		const clean = standingOf([at("A", "accepted", 600)], START, POINTS);
		const flailing = standingOf([at("A", "accepted", 600), at("B", "wrong", 700), at("B", "wrong", 800)], START, POINTS);
		assert.equal(scoreOf("icpc", clean), scoreOf("icpc", flailing));
	});
});

describe("points score", () => {
	it("when one has more points then they rank first, however late their last solve", () => {
		assert.ok(
			scoreOf("points", standing({ solved: 1, points: 301, lastSolvedS: 86_000 })) >
				scoreOf("points", standing({ solved: 3, points: 300, lastSolvedS: 60 }))
		);
	});

	it("when points are equal then the earlier last solve ranks first", () => {
		assert.ok(
			scoreOf("points", standing({ solved: 2, points: 400, lastSolvedS: 2699 })) >
				scoreOf("points", standing({ solved: 2, points: 400, lastSolvedS: 2700 }))
		);
	});

	it("when points and last solve are equal then the scores are equal, whatever the solved count or penalty", () => {
		assert.equal(
			scoreOf("points", standing({ solved: 1, points: 300, lastSolvedS: 600, penalty: 10 })),
			scoreOf("points", standing({ solved: 3, points: 300, lastSolvedS: 600, penalty: 500 }))
		);
	});

	it("when the standing is 400 points, last solved at 2700 s then the score is 400 × 1e10 + (1e10 − 1 − 2700)", () => {
		assert.equal(scoreOf("points", standing({ solved: 2, points: 400, lastSolvedS: 2700 })), 4_009_999_997_299);
	});

	it("when nothing is solved then the score is 0, below anyone who solved anything", () => {
		assert.equal(scoreOf("points", standing({})), 0);
		assert.ok(scoreOf("points", standing({ solved: 1, points: 1, lastSolvedS: 14 * 24 * 3600 })) > 0);
	});

	it("when five participants are ranked then equal keys share a rank and the next rank skips", () => {
		const scores = [
			{ solved: 2, points: 400, lastSolvedS: 2700 },
			{ solved: 1, points: 400, lastSolvedS: 2700 },
			{ solved: 2, points: 400, lastSolvedS: 1800 },
			{ solved: 1, points: 100, lastSolvedS: 60 },
			{ solved: 0, points: 0, lastSolvedS: 0 }
		].map(s => scoreOf("points", standing(s)));
		assert.deepEqual(ranksOf(scores), [2, 2, 1, 4, 5]);
	});

	it("when points stay within 900,718 (the room of a double) then one second still separates two last solves", () => {
		for (const points of [1, 10_000, 500_000, 900_718]) {
			for (const t of [0, 1, 2, 3, 1_209_598]) {
				assert.ok(
					scoreOf("points", standing({ solved: 1, points, lastSolvedS: t })) >
						scoreOf("points", standing({ solved: 1, points, lastSolvedS: t + 1 })),
					`${points} points, ${t} s`
				);
			}
		}
	});
});
