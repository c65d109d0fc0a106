/**
 * The verdict of one run from what the OS reported, in this order: stdout past its limit; the cgroup's OOM kill, or
 * Python's own MemoryError (an allocation refused by the data rlimit, which only a request far past the memory
 * limit meets: the same fault, reported the same way); the wall deadline or CPU time past the limit (the cgroup's
 * count, or RLIMIT_CPU's SIGXCPU/SIGKILL); any other non-zero exit or signal.
 */
import { constants } from "node:os";
import type { RunLimits, RunResult } from "../sandbox.types";
import type { RunCgroupStats } from "./cgroup.types";
import type { RawRun } from "./launch";
import { cpuLimitSeconds } from "./rlimits";

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** bwrap exits 128 + N when the program died of signal N. */
export function decodeExit(raw: Pick<RawRun, "exitCode" | "signal">): { exitCode: number | null; signal: string | null } {
	if (raw.signal) return { exitCode: null, signal: raw.signal };
	const code = raw.exitCode ?? 0;
	const name = code > 128 ? SIGNAL_NAMES.get(code - 128) : undefined;
	return name ? { exitCode: null, signal: name } : { exitCode: code, signal: null };
}

/** Whether the traceback ends in a MemoryError (the last line Python writes for an uncaught one). */
export function endsInMemoryError(stderr: string): boolean {
	const lines = stderr.trimEnd().split("\n");
	return /^MemoryError(?::|$)/.test(lines[lines.length - 1] ?? "");
}

export function classify(raw: RawRun, stats: RunCgroupStats, limits: RunLimits): RunResult {
	const { exitCode, signal } = decodeExit(raw);
	const cpuMs = stats.cpuMs ?? raw.wallMs;
	const rlimitHit = signal === "SIGXCPU" || (signal === "SIGKILL" && cpuMs >= cpuLimitSeconds(limits) * 1000);
	const failed = signal !== null || exitCode !== 0;
	const outcome =
		raw.killedFor === "output"
			? "output-limit"
			: stats.oomKilled || (failed && exitCode === 1 && endsInMemoryError(raw.stderr))
				? "memory-limit"
				: raw.killedFor === "wall" || raw.killedFor === "cpu" || rlimitHit || cpuMs > limits.timeMs
					? "time-limit"
					: failed
						? "runtime-error"
						: "ok";
	return {
		outcome,
		exitCode,
		signal,
		stdout: raw.stdout,
		stderr: raw.stderr,
		timeMs: Math.round(raw.killedFor === "wall" ? raw.wallMs : cpuMs),
		memoryKb: stats.peakKb
	};
}
