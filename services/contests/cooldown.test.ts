import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Verdict } from "./contests.types";
import { cooldownMs, MAX_COOLDOWN_MS, SUBMIT_GAP_MS } from "./cooldown";

const wrong = (n: number): Verdict[] => Array.from({ length: n }, () => "wrong");

describe("submission cooldown", () => {
	it("when the constants are read then the gap is 5 s and the cap 5 min", () => {
		assert.equal(SUBMIT_GAP_MS, 5_000);
		assert.equal(MAX_COOLDOWN_MS, 300_000);
	});

	it("when the user has no earlier answer then the wait is the plain gap", () => {
		assert.equal(cooldownMs([]), 5_000);
	});

	it("when the latest answer was accepted then the wait is the plain gap, whatever came before", () => {
		assert.equal(cooldownMs(["accepted"]), 5_000);
		assert.equal(cooldownMs(["accepted", ...wrong(9)]), 5_000);
	});

	it("when one wrong answer is the latest then the wait is still the plain gap", () => {
		assert.equal(cooldownMs(["wrong"]), 5_000);
		assert.equal(cooldownMs(["wrong", "accepted", "wrong"]), 5_000);
	});

	it("when wrong answers come in a row then the wait doubles with each: 10, 20, 40, 80, 160 s", () => {
		assert.deepEqual(
			[2, 3, 4, 5, 6].map(n => cooldownMs(wrong(n))),
			[10_000, 20_000, 40_000, 80_000, 160_000]
		);
	});

	it("when the doubling would pass 5 min (seven wrong in a row: 320 s) then the wait is 5 min", () => {
		assert.equal(cooldownMs(wrong(7)), 300_000);
		assert.equal(cooldownMs(wrong(10)), 300_000);
	});

	it("when an accepted answer breaks the streak then only the wrong answers after it count", () => {
		// Newest first: three wrong since the accepted one.
		assert.equal(cooldownMs(["wrong", "wrong", "wrong", "accepted", ...wrong(6)]), 20_000);
	});
});
