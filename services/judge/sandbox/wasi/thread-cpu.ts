/**
 * CPU time of another thread of this process, read from Linux's /proc: a compile is bounded by the
 * CPU its worker spends, so that a loaded node (other workers, other processes) does not fail
 * compiles a quiet node would pass. Off Linux both answers are null and compiles fall back to wall time.
 */
import { readFileSync, readlinkSync } from "node:fs";

/** Linux reports thread times in clock ticks, 100 per second on every architecture Node supports. */
const MS_PER_TICK = 10;
/** utime and stime are fields 14 and 15 of the stat line; counting from field 3, after the command's ")". */
const UTIME = 11;
const STIME = 12;

/** The calling thread's id in the kernel, or null when it cannot be known. */
export function currentThreadId(): number | null {
	try {
		const id = Number(readlinkSync("/proc/thread-self").split("/").pop());
		return Number.isInteger(id) ? id : null;
	} catch {
		return null;
	}
}

/** CPU milliseconds (user and system) the thread has used, or null when they cannot be read. */
export function threadCpuMs(threadId: number): number | null {
	try {
		const stat = readFileSync(`/proc/self/task/${threadId}/stat`, "utf8");
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		const ticks = Number(fields[UTIME]) + Number(fields[STIME]);
		return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
	} catch {
		return null;
	}
}
