import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
	pretestResultOf,
	type ProblemTests,
	resultOf,
	shouldContinue,
	stopsAtFirstFailure,
	type TestOutcome,
	type TestSpec
} from "./scoring";
import type { Verdict } from "./verdicts";

const test = (spec: Partial<TestSpec> = {}): TestSpec => ({ sample: false, pretest: false, ...spec });
const tests = (count: number) => Array.from({ length: count }, () => test());
const outcomes = (...verdicts: Verdict[]): TestOutcome[] => verdicts.map(verdict => ({ verdict }));

describe("a submission's result", () => {
	it("when every test passes then the verdict is AC and the score full", () => {
		assert.deepEqual(resultOf({ tests: tests(3) }, outcomes("AC", "AC", "AC")), {
			verdict: "AC",
			score: 100,
			maxScore: 100,
			accepted: 3,
			total: 3
		});
	});

	it("when tests fail then the verdict is the first failure's in test order, not the worst", () => {
		assert.equal(resultOf({ tests: tests(4) }, outcomes("AC", "TLE", "WA", "RE")).verdict, "TLE");
	});

	it("when the problem says nothing of scoring then it is all-or-nothing: one failure scores 0", () => {
		assert.deepEqual(resultOf({ tests: tests(3) }, outcomes("AC", "AC", "WA")), {
			verdict: "WA",
			score: 0,
			maxScore: 100,
			accepted: 2,
			total: 3
		});
	});

	it("when scoring is partial then the score is 100 × the share passed, rounded down", () => {
		const problem: ProblemTests = { tests: tests(3), scoring: "partial" };
		assert.equal(resultOf(problem, outcomes("AC", "AC", "WA")).score, 66);
		assert.equal(resultOf(problem, outcomes("WA", "WA", "WA")).score, 0);
		assert.equal(resultOf(problem, outcomes("AC", "AC", "AC")).score, 100);
	});

	it("when scoring is partial then a checker's partial credit counts for its share", () => {
		const problem: ProblemTests = { tests: tests(4), scoring: "partial" };
		const result = resultOf(problem, [
			{ verdict: "AC" },
			{ verdict: "WA", points: 0.5 },
			{ verdict: "WA", points: 0.5 },
			{ verdict: "TLE" }
		]);
		assert.deepEqual(result, { verdict: "WA", score: 50, maxScore: 100, accepted: 1, total: 4 });
	});

	it("when shares add up with rounding noise (0.1 + 0.1 + 0.7 = 0.8999…) then the score is not floored a point too low", () => {
		const problem: ProblemTests = { tests: tests(3), scoring: "partial" };
		const credited: TestOutcome[] = [0.1, 0.1, 0.7].map(points => ({ verdict: "WA", points }));
		assert.equal(resultOf(problem, credited).score, 30);
	});

	it("when the problem has batches then a batch scores its points only if all its tests pass", () => {
		const problem: ProblemTests = {
			tests: [test({ sample: true, pretest: true }), test({ batch: 0 }), test({ batch: 0 }), test({ batch: 1 }), test({ batch: 1 })],
			batches: [{ points: 30 }, { points: 70 }]
		};
		assert.deepEqual(resultOf(problem, outcomes("AC", "AC", "AC", "AC", "WA")), {
			verdict: "WA",
			score: 30,
			maxScore: 100,
			accepted: 4,
			total: 5
		});
		assert.equal(resultOf(problem, outcomes("WA", "AC", "AC", "AC", "AC")).score, 100, "a failed sample in no batch costs no points");
		assert.equal(
			resultOf(problem, [{ verdict: "AC" }, { verdict: "AC" }, { verdict: "WA", points: 0.9 }, { verdict: "AC" }, { verdict: "AC" }])
				.score,
			70
		);
	});

	it("when a batch has no test then it counts for nothing, neither score nor maximum", () => {
		const problem: ProblemTests = { tests: [test({ batch: 1 })], batches: [{ points: 40 }, { points: 60 }] };
		assert.deepEqual(resultOf(problem, outcomes("AC")), { verdict: "AC", score: 60, maxScore: 60, accepted: 1, total: 1 });
	});

	it("when a test names a batch the problem lacks then scoring throws", () => {
		assert.throws(() => resultOf({ tests: [test({ batch: 2 })], batches: [{ points: 100 }] }, outcomes("AC")), RangeError);
		assert.throws(() => resultOf({ tests: [test({ batch: 0 })] }, outcomes("AC")), RangeError);
	});

	it("when judging stopped at a failure then the tests left unjudged count as not passed", () => {
		const problem: ProblemTests = { tests: tests(4) };
		assert.deepEqual(resultOf(problem, outcomes("AC", "RE")), { verdict: "RE", score: 0, maxScore: 100, accepted: 1, total: 4 });
	});

	it("when a test before any failure has no outcome then judging is incomplete and it throws", () => {
		assert.throws(() => resultOf({ tests: tests(3) }, outcomes("AC")), /incomplete/);
	});

	it("when scoring is partial then the score never falls as more tests pass (property)", () => {
		fc.assert(
			fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), fc.nat(), (passes, flip) => {
				const problem: ProblemTests = { tests: tests(passes.length), scoring: "partial" };
				const before = resultOf(
					problem,
					passes.map(pass => ({ verdict: pass ? "AC" : "WA" }))
				);
				const improved = passes.map((pass, k) => pass || k === flip % passes.length);
				const after = resultOf(
					problem,
					improved.map(pass => ({ verdict: pass ? "AC" : "WA" }))
				);
				assert.ok(after.score >= before.score);
				assert.ok(before.score >= 0 && after.score <= 100);
			})
		);
	});
});

describe("the result on pretests", () => {
	const problem: ProblemTests = {
		tests: [test({ sample: true, pretest: true }), test({ pretest: true, batch: 0 }), test({ batch: 0 }), test({ batch: 1 })],
		batches: [{ points: 40 }, { points: 60 }]
	};

	it("counts only the pretests, as if the problem had only them", () => {
		assert.deepEqual(pretestResultOf(problem, [{ verdict: "AC" }, { verdict: "AC" }]), {
			verdict: "AC",
			score: 40,
			maxScore: 40,
			accepted: 2,
			total: 2
		});
	});

	it("when a later test failed then the pretest result does not show it", () => {
		assert.equal(pretestResultOf(problem, outcomes("AC", "AC", "WA", "TLE")).verdict, "AC");
		assert.equal(resultOf(problem, outcomes("AC", "AC", "WA", "TLE")).verdict, "WA");
	});

	it("when a problem has no pretest then the pretest result is AC with nothing to score", () => {
		assert.deepEqual(pretestResultOf({ tests: tests(2) }, []), { verdict: "AC", score: 0, maxScore: 0, accepted: 0, total: 0 });
	});
});

describe("stopping early", () => {
	it("when the problem is all-or-nothing without batches then judging stops at the first failure", () => {
		const problem: ProblemTests = { tests: tests(5) };
		assert.equal(stopsAtFirstFailure(problem), true);
		assert.equal(shouldContinue(problem, { verdict: "AC" }), true);
		assert.equal(shouldContinue(problem, { verdict: "WA" }), false);
		assert.equal(shouldContinue(problem, { verdict: "IE" }), false);
	});

	it("when scoring is partial or there are batches then every test is judged", () => {
		const partial: ProblemTests = { tests: tests(5), scoring: "partial" };
		const batched: ProblemTests = { tests: [test({ batch: 0 })], batches: [{ points: 100 }], scoring: "all-or-nothing" };
		for (const problem of [partial, batched]) {
			assert.equal(stopsAtFirstFailure(problem), false);
			assert.equal(shouldContinue(problem, { verdict: "WA" }), true);
		}
	});
});
