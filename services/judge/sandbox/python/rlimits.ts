/**
 * The rlimits of a run, as prlimit options. RLIMIT_CPU is whole seconds, so it is the backstop (SIGXCPU at the soft
 * limit, SIGKILL a second later) while the cgroup's CPU time gives the millisecond verdict. RLIMIT_DATA refuses an
 * allocation far past the memory limit at once (bytearray(2**34) would otherwise get lazily mapped pages and pass);
 * the cgroup stays the limit on what the program holds. No core files; a learner's usual 8 MB stack.
 */
import type { RunLimits } from "../sandbox.types";

const MB = 1024 * 1024;
export const STACK_BYTES = 8 * MB;
const OPEN_FILES = 64;

export function cpuLimitSeconds(limits: RunLimits): number {
	return Math.max(1, Math.ceil(limits.timeMs / 1000));
}

export function dataLimitBytes(limits: RunLimits): number {
	return (limits.memoryMb * 2 + 64) * MB;
}

export function prlimitArgs(limits: RunLimits): string[] {
	const cpu = cpuLimitSeconds(limits);
	const data = dataLimitBytes(limits);
	return [
		`--cpu=${cpu}:${cpu + 1}`,
		`--data=${data}:${data}`,
		`--stack=${STACK_BYTES}:${STACK_BYTES}`,
		"--core=0:0",
		`--nofile=${OPEN_FILES}:${OPEN_FILES}`
	];
}
