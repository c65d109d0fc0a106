/**
 * The rlimits of the sandbox. The zygote starts under generous ones and each run's child lowers its own before the
 * program starts: RLIMIT_CPU is whole seconds, so it is the backstop (SIGXCPU at the soft limit, SIGKILL a second
 * later) while the cgroup's CPU time gives the millisecond verdict; RLIMIT_DATA refuses an allocation far past the
 * memory limit at once (bytearray(2**34) would otherwise get lazily mapped pages and pass), the cgroup staying the
 * limit on what the program holds. No core files; a learner's usual 8 MB stack.
 */
import type { RunLimits } from "../sandbox.types";

const MB = 1024 * 1024;
export const STACK_BYTES = 8 * MB;
const OPEN_FILES = 64;
/** The zygote's own CPU over a whole submission: its compile (bounded apart) and a fork per test. */
const ZYGOTE_CPU_SECONDS = 120;
/** The largest memory limit a problem may set: every run's child can lower the zygote's limits to its own. */
const MAX_MEMORY_MB = 512;

export function cpuLimitSeconds(limits: Pick<RunLimits, "timeMs">): number {
	return Math.max(1, Math.ceil(limits.timeMs / 1000));
}

export function dataLimitBytes(limits: Pick<RunLimits, "memoryMb">): number {
	return (Math.min(limits.memoryMb, MAX_MEMORY_MB) * 2 + 64) * MB;
}

export function zygotePrlimitArgs(): string[] {
	const data = dataLimitBytes({ memoryMb: MAX_MEMORY_MB });
	return [
		`--cpu=${ZYGOTE_CPU_SECONDS}:${ZYGOTE_CPU_SECONDS}`,
		`--data=${data}:${data}`,
		`--stack=${STACK_BYTES}:${STACK_BYTES}`,
		"--core=0:0",
		`--nofile=${OPEN_FILES}:${OPEN_FILES}`
	];
}
