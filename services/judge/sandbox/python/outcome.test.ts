import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classify, decodeWaitStatus, endsInMemoryError, type RawRun } from "./outcome";

const limits = { timeMs: 1000, memoryMb: 64, outputBytes: 100 };
const raw = (over: Partial<RawRun>): RawRun => ({
	exitCode: 0,
	signal: null,
	stdout: "",
	stderr: "",
	wallMs: 30,
	killedFor: null,
	...over
});
const stats = (over: Partial<{ cpuMs: number | null; peakKb: number; oomKilled: boolean }> = {}) => ({
	cpuMs: 20,
	peakKb: 4000,
	oomKilled: false,
	...over
});

describe("decodeWaitStatus", () => {
	it("reads an exit code from the high byte and a signal from the low seven bits", () => {
		assert.deepEqual(decodeWaitStatus(3 << 8), { exitCode: 3, signal: null });
		assert.deepEqual(decodeWaitStatus(0), { exitCode: 0, signal: null });
		assert.deepEqual(decodeWaitStatus(11), { exitCode: null, signal: "SIGSEGV" });
		assert.deepEqual(decodeWaitStatus(24 | 0x80), { exitCode: null, signal: "SIGXCPU" });
		assert.deepEqual(decodeWaitStatus(9), { exitCode: null, signal: "SIGKILL" });
	});
});

describe("classify", () => {
	it("ok with the CPU time and peak memory", () => {
		const result = classify(raw({ stdout: "5\n" }), stats(), limits);
		assert.deepEqual(result, { outcome: "ok", exitCode: 0, signal: null, stdout: "5\n", stderr: "", timeMs: 20, memoryKb: 4000 });
	});

	it("output-limit first, whatever else happened", () => {
		assert.equal(classify(raw({ killedFor: "output", signal: "SIGKILL" }), stats({ cpuMs: 5000 }), limits).outcome, "output-limit");
	});

	it("memory-limit on an OOM kill or an uncaught MemoryError", () => {
		assert.equal(classify(raw({ exitCode: null, signal: "SIGKILL" }), stats({ oomKilled: true }), limits).outcome, "memory-limit");
		const traceback = 'Traceback (most recent call last):\n  File "/box/main.py", line 1\nMemoryError\n';
		assert.equal(classify(raw({ exitCode: 1, stderr: traceback }), stats(), limits).outcome, "memory-limit");
		assert.equal(
			classify(raw({ exitCode: 1, stderr: "MemoryError is not this\nValueError: x\n" }), stats(), limits).outcome,
			"runtime-error"
		);
	});

	it("time-limit on the wall deadline (reporting wall time), the CPU poll, RLIMIT_CPU, or CPU past the limit", () => {
		const wall = classify(raw({ killedFor: "wall", signal: "SIGKILL", wallMs: 4000 }), stats(), limits);
		assert.equal(wall.outcome, "time-limit");
		assert.equal(wall.timeMs, 4000);
		assert.equal(classify(raw({ killedFor: "cpu", signal: "SIGKILL" }), stats({ cpuMs: 1050 }), limits).outcome, "time-limit");
		assert.equal(classify(raw({ exitCode: null, signal: "SIGXCPU" }), stats({ cpuMs: 990 }), limits).outcome, "time-limit");
		assert.equal(classify(raw({ exitCode: null, signal: "SIGKILL" }), stats({ cpuMs: 1000 }), limits).outcome, "time-limit");
		assert.equal(classify(raw({}), stats({ cpuMs: 1001 }), limits).outcome, "time-limit");
	});

	it("runtime-error on a non-zero exit or a signal, naming the signal", () => {
		assert.equal(classify(raw({ exitCode: 1, stderr: "ZeroDivisionError" }), stats(), limits).outcome, "runtime-error");
		const segv = classify(raw({ exitCode: null, signal: "SIGSEGV" }), stats(), limits);
		assert.equal(segv.outcome, "runtime-error");
		assert.equal(segv.signal, "SIGSEGV");
		assert.equal(classify(raw({ exitCode: null, signal: "SIGKILL" }), stats({ cpuMs: 30 }), limits).outcome, "runtime-error");
	});

	it("falls back to wall time when no controller counts CPU", () => {
		assert.equal(classify(raw({ wallMs: 42 }), stats({ cpuMs: null }), limits).timeMs, 42);
	});
});

describe("endsInMemoryError", () => {
	it("looks at the last line only", () => {
		assert.equal(endsInMemoryError("Traceback\nMemoryError\n\n"), true);
		assert.equal(endsInMemoryError("Traceback\nMemoryError: cannot allocate\n"), true);
		assert.equal(endsInMemoryError("MemoryError\nTypeError: x\n"), false);
		assert.equal(endsInMemoryError(""), false);
	});
});
