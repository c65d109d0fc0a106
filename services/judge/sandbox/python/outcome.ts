/**
 * The verdict of one run from what the OS reported, in this order: stdout past its limit; the cgroup's OOM kill, or
 * Python's own MemoryError (an allocation refused by the data rlimit, which only a request far past the memory
 * limit meets: the same fault, reported the same way); the wall deadline or CPU time past the limit (the cgroup's
 * count, or RLIMIT_CPU's SIGXCPU/SIGKILL); any other non-zero exit or signal.
 */
import { constants } from "node:os";
import type { RunLimits, RunResult } from "../sandbox.types";
import type { RunCgroupStats } from "./cgroup.types";
import { cpuLimitSeconds } from "./rlimits";

export type KillReason = "output" | "wall" | "cpu";

/** A run as the zygote and the judge saw it, before its verdict. */
export interface RawRun {
	exitCode: number | null;
	/** The signal that ended the program, by name. */
	signal: string | null;
	stdout: string;
	stderr: string;
	wallMs: number;
	killedFor: KillReason | null;
}

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** A wait status (waitpid's) as an exit code or a signal's name. */
export function decodeWaitStatus(status: number): { exitCode: number | null; signal: string | null } {
	const signal = status & 0x7f;
	if (signal === 0) return { exitCode: (status >> 8) & 0xff, signal: null };
	return { exitCode: null, signal: SIGNAL_NAMES.get(signal) ?? `signal ${signal}` };
}

/** Whether the traceback ends in a MemoryError (the last line Python writes for an uncaught one). */
export function endsInMemoryError(stderr: string): boolean {
	const lines = stderr.trimEnd().split("\n");
	return /^MemoryError(?::|$)/.test(lines[lines.length - 1] ?? "");
}

export function classify(raw: RawRun, stats: RunCgroupStats, limits: RunLimits): RunResult {
	const { exitCode, signal } = raw;
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
