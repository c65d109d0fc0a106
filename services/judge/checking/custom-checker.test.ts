import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PreparedProgram, RunInput, RunLimits, RunResult } from "../sandbox/sandbox.types";
import { pointsOf, runCustomChecker } from "./custom-checker";

const LIMITS: RunLimits = { timeMs: 2000, memoryMb: 256, outputBytes: 1 << 20 };
const TEXTS = { input: "3\n1 2 3\n", expected: "6\n", actual: "7\n" };

/** A checker program that ends as told and records how it was run. */
function fakeChecker(ending: Partial<RunResult>): PreparedProgram & { runs: { input: RunInput; limits: RunLimits }[] } {
	const runs: { input: RunInput; limits: RunLimits }[] = [];
	return {
		runs,
		async run(input, limits) {
			runs.push({ input, limits });
			return { outcome: "ok", exitCode: 0, signal: null, stdout: "", stderr: "", timeMs: 5, memoryKb: 1024, ...ending };
		},
		async dispose() {}
	};
}

const judged = (ending: Partial<RunResult>) => runCustomChecker(fakeChecker(ending), TEXTS, LIMITS);

describe("running a custom checker", () => {
	it("gives it the input, the contestant's output and the answer as files, named in testlib's argument order", async () => {
		const checker = fakeChecker({});
		await runCustomChecker(checker, TEXTS, LIMITS);
		assert.deepEqual(checker.runs, [
			{
				input: {
					stdin: "",
					files: { "input.txt": "3\n1 2 3\n", "output.txt": "7\n", "answer.txt": "6\n" },
					args: ["input.txt", "output.txt", "answer.txt"]
				},
				limits: LIMITS
			}
		]);
	});

	it("when it exits 0 then the answer is accepted, with its stderr's first line as the message", async () => {
		assert.deepEqual(await judged({ exitCode: 0, stderr: "ok 1 number\nmore detail\n" }), { verdict: "AC", message: "ok 1 number" });
	});

	it("when it exits 1 (wrong answer) or 2 (presentation error) then the answer is wrong", async () => {
		const wrong = await judged({ outcome: "runtime-error", exitCode: 1, stderr: "wrong answer expected 6, found 7\n" });
		assert.deepEqual(wrong, { verdict: "WA", message: "wrong answer expected 6, found 7" });
		assert.equal(
			(await judged({ outcome: "runtime-error", exitCode: 2, stderr: "wrong output format Extra information" })).verdict,
			"WA"
		);
	});

	it("when it exits 8 (testlib's unexpected end of the output) then the answer is wrong", async () => {
		assert.equal((await judged({ outcome: "runtime-error", exitCode: 8, stderr: "unexpected eof" })).verdict, "WA");
	});

	it("when it exits 3 (its own failure) then it is an internal error, quoting it", async () => {
		assert.deepEqual(await judged({ outcome: "runtime-error", exitCode: 3, stderr: "FAIL answer is negative" }), {
			verdict: "IE",
			message: "the checker failed: FAIL answer is negative"
		});
	});

	it("when it exits with a code testlib does not use then it is an internal error", async () => {
		assert.deepEqual(await judged({ outcome: "runtime-error", exitCode: 42 }), {
			verdict: "IE",
			message: "the checker exited with code 42"
		});
	});

	it("when it is killed by a signal or ends without an exit code then it is an internal error", async () => {
		assert.deepEqual(await judged({ outcome: "runtime-error", exitCode: null, signal: "SIGSEGV" }), {
			verdict: "IE",
			message: "the checker was ended by SIGSEGV"
		});
		assert.equal((await judged({ outcome: "runtime-error", exitCode: null, signal: null })).verdict, "IE");
	});

	it("when it hits a limit then it is an internal error, whatever its exit code", async () => {
		for (const outcome of ["time-limit", "memory-limit", "output-limit"] as const) {
			const result = await judged({ outcome, exitCode: 0 });
			assert.equal(result.verdict, "IE", outcome);
			assert.match(result.message!, /^the checker (exceeded|wrote)/);
		}
	});

	it("when it exits 7 with testlib's 'points <share>' on stderr then the answer earns that share, as WA", async () => {
		assert.deepEqual(await judged({ outcome: "runtime-error", exitCode: 7, stderr: "points 0.25 two of eight queries\n" }), {
			verdict: "WA",
			message: "points 0.25 two of eight queries",
			points: 0.25
		});
	});

	it("when it exits 7 giving the whole test then the answer is accepted", async () => {
		assert.deepEqual(await judged({ outcome: "runtime-error", exitCode: 7, stderr: "points 1" }), {
			verdict: "AC",
			message: "points 1",
			points: 1
		});
	});

	it("when it exits 7 with nothing on stderr then the share is read from stdout's first line", async () => {
		const result = await judged({ outcome: "runtime-error", exitCode: 7, stdout: "0.5\n" });
		assert.equal(result.points, 0.5);
		assert.equal(result.verdict, "WA");
	});

	it("when it exits 7 without a number, or with a share outside 0..1, then it is an internal error", async () => {
		assert.equal((await judged({ outcome: "runtime-error", exitCode: 7, stderr: "points many" })).verdict, "IE");
		const tooMuch = await judged({ outcome: "runtime-error", exitCode: 7, stderr: "points 50" });
		assert.equal(tooMuch.verdict, "IE");
		assert.match(tooMuch.message!, /outside 0\.\.1/);
	});

	it("when its message is long then it is cut to 200 characters", async () => {
		const result = await judged({ outcome: "runtime-error", exitCode: 1, stderr: "wrong answer " + "x".repeat(1000) });
		assert.equal(result.message!.length, 200);
	});

	it("when the sandbox fails to run it then the failure propagates to the judge", async () => {
		const broken: PreparedProgram = { run: () => Promise.reject(new Error("sandbox gone")), dispose: async () => {} };
		await assert.rejects(runCustomChecker(broken, TEXTS, LIMITS), /sandbox gone/);
	});
});

describe("the points of a checker's line", () => {
	it("reads the number after an optional leading 'points', on the first non-empty line", () => {
		assert.equal(pointsOf("points 0.5 half"), 0.5);
		assert.equal(pointsOf("\n  0.75\n"), 0.75);
		assert.equal(pointsOf("points 1e-1"), 0.1);
	});

	it("when there is no number there then it is null", () => {
		assert.equal(pointsOf(""), null);
		assert.equal(pointsOf("points"), null);
		assert.equal(pointsOf("wrong answer 0.5"), null);
		assert.equal(pointsOf("points 0x1"), null);
	});
});
