/**
 * CPU time of one thread of a process, read from Linux's /proc: a compile is bounded by the CPU the
 * compiler's thread spends, so that a loaded node (other compiles, other processes) does not fail
 * compiles a quiet node would pass. Off Linux the answer is null and compiles fall back to wall time.
 */
import { readFileSync } from "node:fs";

/** Linux reports thread times in clock ticks, 100 per second on every architecture Node supports. */
const MS_PER_TICK = 10;
/** utime and stime are fields 14 and 15 of the stat line; counting from field 3, after the command's ")". */
const UTIME = 11;
const STIME = 12;

/** CPU milliseconds (user and system) the thread has used (by default the process's main thread), or null when they cannot be read. */
export function threadCpuMs(processId: number, threadId = processId): number | null {
	try {
		const stat = readFileSync(`/proc/${processId}/task/${threadId}/stat`, "utf8");
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		const ticks = Number(fields[UTIME]) + Number(fields[STIME]);
		return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
	} catch {
		return null;
	}
}
