import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { verdictOfRun } from "./verdicts";

describe("the verdict of a run before checking", () => {
	it("when the run ended normally then the checker decides (no verdict yet)", () => {
		assert.equal(verdictOfRun("ok"), null);
	});

	it("when the run hit a limit or crashed then that is its verdict", () => {
		assert.equal(verdictOfRun("time-limit"), "TLE");
		assert.equal(verdictOfRun("memory-limit"), "MLE");
		assert.equal(verdictOfRun("output-limit"), "OLE");
		assert.equal(verdictOfRun("runtime-error"), "RE");
	});
});
