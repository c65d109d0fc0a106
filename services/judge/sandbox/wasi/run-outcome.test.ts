import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RunLimits } from "../sandbox.types";
import { runResult, trapSignal } from "./run-outcome";
import type { RunReport } from "./run.protocol";

const LIMITS: RunLimits = { timeMs: 1000, memoryMb: 64, outputBytes: 100 };
const STACK = 8 * 1024 * 1024;

function report(fields: Partial<RunReport>): RunReport {
	const base: RunReport = {
		type: "done",
		ending: "exit",
		exitCode: 0,
		detail: null,
		stdout: new Uint8Array(),
		stderr: "",
		timeMs: 5,
		pages: 129
	};
	return { ...base, ...fields };
}

describe("run-outcome", () => {
	it("names traps by the signal a native program would get", () => {
		assert.equal(trapSignal("unreachable"), "SIGABRT (abort: unreachable code reached)");
		assert.equal(trapSignal("memory access out of bounds"), "SIGSEGV (memory access out of bounds)");
		assert.equal(trapSignal("divide by zero"), "SIGFPE (integer division by zero)");
		assert.equal(trapSignal("raised signal 6"), "signal 6 (raised)");
		assert.equal(trapSignal("something new"), "something new");
	});

	it("reports memory without the reserved stack", () => {
		const result = runResult(
			{ kind: "report", report: report({ stdout: new TextEncoder().encode("3\n") }), growFailed: false },
			LIMITS,
			STACK
		);
		assert.deepEqual(
			{ outcome: result.outcome, stdout: result.stdout, exitCode: result.exitCode, memoryKb: result.memoryKb },
			{ outcome: "ok", stdout: "3\n", exitCode: 0, memoryKb: 64 }
		);
	});

	it("judges a refused growth followed by a crash, an error exit or a timeout as memory-limit, and a coped one as ok", () => {
		const trap = report({ ending: "trap", exitCode: null, detail: "unreachable" });
		assert.equal(runResult({ kind: "report", report: trap, growFailed: true }, LIMITS, STACK).outcome, "memory-limit");
		assert.equal(runResult({ kind: "report", report: trap, growFailed: false }, LIMITS, STACK).outcome, "runtime-error");
		assert.equal(
			runResult({ kind: "report", report: report({ exitCode: 1 }), growFailed: true }, LIMITS, STACK).outcome,
			"memory-limit"
		);
		assert.equal(runResult({ kind: "report", report: report({}), growFailed: true }, LIMITS, STACK).outcome, "ok");
		assert.equal(runResult({ kind: "timeout", pages: 1000, growFailed: true, wallMs: 1100 }, LIMITS, STACK).outcome, "memory-limit");
		assert.equal(runResult({ kind: "timeout", pages: 1000, growFailed: false, wallMs: 1100 }, LIMITS, STACK).outcome, "time-limit");
	});

	it("judges a run over its time that finished inside the deadline's margin as time-limit", () => {
		assert.equal(
			runResult({ kind: "report", report: report({ timeMs: 1040 }), growFailed: false }, LIMITS, STACK).outcome,
			"time-limit"
		);
	});

	it("keeps the exit code of an exit that a catch-all handler turned into an abort", () => {
		const result = runResult({ kind: "report", report: report({ exitCode: 3 }), growFailed: false }, LIMITS, STACK);
		assert.deepEqual([result.outcome, result.exitCode, result.signal], ["runtime-error", 3, null]);
	});
});
