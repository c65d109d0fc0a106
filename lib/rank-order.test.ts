import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pageRanks, RankOrder } from "./rank-order";

describe("RankOrder", () => {
	it("when scores are set, changed and removed then the order is Redis's ZREVRANGE: higher first, ties by id descending", () => {
		const rank = new RankOrder();
		for (const [userId, score] of [
			["a", 5],
			["b", 7],
			["c", 5],
			["d", 1]
		] as const)
			rank.set(userId, score);
		rank.set("d", 9);
		rank.set("b", null);
		assert.deepEqual(rank.slice(0, 10), [
			{ userId: "d", score: 9 },
			{ userId: "c", score: 5 },
			{ userId: "a", score: 5 }
		]);
		assert.deepEqual([rank.size, rank.scoreOf("b"), rank.scoreOf("a")], [3, undefined, 5]);
		assert.deepEqual([rank.higherThan(9), rank.higherThan(5), rank.higherThan(0)], [0, 1, 3], "equal scores share a rank");
	});

	it("when built at once then it is the same order as built one by one", () => {
		const entries = Array.from({ length: 200 }, (_, i) => ({ userId: `u${i}`, score: (i * 37) % 11 }));
		const oneByOne = new RankOrder();
		for (const e of entries) oneByOne.set(e.userId, e.score);
		assert.deepEqual(RankOrder.of(entries).slice(0, 200), oneByOne.slice(0, 200));
		assert.deepEqual(oneByOne.slice(198, 10).length, 2, "a slice stops at the end");
	});
});

describe("pageRanks", () => {
	it("when a page starts inside a run of ties then its first entries share the run's rank and the next rank skips", () => {
		// Scores 9 8 8 8 7 7 5: the page from offset 2 is 8 8 7 7 5, with one entry (9) above 8.
		assert.deepEqual(pageRanks(2, 1, [8, 8, 7, 7, 5]), [2, 2, 5, 5, 7]);
		assert.deepEqual(pageRanks(0, 0, []), []);
	});
});
