/**
 * Turns how a run ended into the judge's verdict. Memory: a program whose memory could not grow
 * and that then did not end well (crashed, exited non-zero, or looped on until stopped) is judged
 * "memory-limit"; one that coped with a refused allocation and exited 0 is "ok". The stack is
 * reserved apart from the limit, so reported memory is the linear memory less the stack.
 */
import type { RunLimits, RunResult } from "../sandbox.types";
import type { PoolAnswer } from "./run-pool";
import type { RunReport } from "./run.protocol";

const PAGE_KB = 64;

/** The engine's trap messages, in the words of the signal a native program would have died of. */
const TRAP_SIGNALS: readonly [RegExp, string][] = [
	[/uncaught C\+\+ exception/, "SIGABRT (uncaught C++ exception)"],
	[/unreachable/, "SIGABRT (abort: unreachable code reached)"],
	[/call stack/i, "SIGSEGV (stack overflow: call stack exhausted)"],
	[/memory access out of bounds/, "SIGSEGV (memory access out of bounds)"],
	[/divide by zero|remainder by zero/, "SIGFPE (integer division by zero)"],
	[/integer overflow/, "SIGFPE (integer overflow)"],
	[/float unrepresentable/, "SIGFPE (float to integer conversion overflow)"],
	[/null function|signature mismatch|table index/, "SIGSEGV (bad function pointer)"],
	[/raised signal (\d+)/, "signal $1 (raised)"]
];

export function trapSignal(detail: string): string {
	for (const [pattern, signal] of TRAP_SIGNALS) {
		const match = pattern.exec(detail);
		if (match) return match[0].replace(pattern, signal);
	}
	return detail;
}

export function memoryKb(pages: number, stackBytes: number): number {
	return Math.max(0, pages * PAGE_KB - stackBytes / 1024);
}

function base(stackBytes: number, pages: number, timeMs: number): RunResult {
	return { outcome: "ok", exitCode: null, signal: null, stdout: "", stderr: "", timeMs, memoryKb: memoryKb(pages, stackBytes) };
}

function fromReport(report: RunReport, growFailed: boolean, limits: RunLimits, stackBytes: number): RunResult {
	const result = base(stackBytes, report.pages, Math.round(report.timeMs));
	result.stdout = new TextDecoder().decode(report.stdout);
	result.stderr = report.stderr;
	if (report.ending === "output-limit") return { ...result, outcome: "output-limit" };
	if (report.ending === "crash") return { ...result, outcome: "runtime-error", signal: `sandbox failure: ${report.detail}` };
	if (report.timeMs > limits.timeMs) return { ...result, outcome: "time-limit" };
	if (report.ending === "exit") {
		result.exitCode = report.exitCode;
		if (report.exitCode === 0) return result;
		return { ...result, outcome: growFailed ? "memory-limit" : "runtime-error" };
	}
	return { ...result, outcome: growFailed ? "memory-limit" : "runtime-error", signal: trapSignal(report.detail ?? "trap") };
}

export function runResult(answer: PoolAnswer, limits: RunLimits, stackBytes: number): RunResult {
	if (answer.kind === "report") return fromReport(answer.report, answer.growFailed, limits, stackBytes);
	if (answer.kind === "crash") {
		return { ...base(stackBytes, answer.pages, 0), outcome: "runtime-error", signal: `sandbox failure: ${answer.message}` };
	}
	const result = base(stackBytes, answer.pages, Math.round(answer.wallMs));
	return answer.growFailed
		? { ...result, outcome: "memory-limit" }
		: { ...result, outcome: "time-limit", signal: "SIGKILL (wall time limit)" };
}

/** A program whose static data and stack alone exceed the limit does not start. */
export function staticMemoryLimit(minPages: number, stackBytes: number): RunResult {
	return {
		outcome: "memory-limit",
		exitCode: null,
		signal: null,
		stdout: "",
		stderr: "its static data and stack need more memory than the limit",
		timeMs: 0,
		memoryKb: memoryKb(minPages, stackBytes)
	};
}
