/**
 * Reading, writing and emptying cgroup interface files, shared by the v1 and v2 drivers. The calls are synchronous:
 * these are the kernel's own files, answered in microseconds, while each asynchronous call cost a thread-pool round
 * trip of 0.1–0.2 ms of CPU, and a run makes about twenty of them.
 */
import { accessSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** The directory each run's cgroup is made in, at the root of every hierarchy used. */
export const CGROUP_PARENT = "code-learn-judge";

export async function exists(path: string): Promise<boolean> {
	try {
		accessSync(path);
		return true;
	} catch {
		return false;
	}
}

export async function writeValue(path: string, value: string | number): Promise<void> {
	writeFileSync(path, String(value));
}

export async function makeDir(path: string): Promise<void> {
	mkdirSync(path);
}

export async function readNumber(path: string): Promise<number | null> {
	try {
		const value = Number(readFileSync(path, "utf8").trim());
		return Number.isFinite(value) ? value : null;
	} catch {
		return null;
	}
}

/** A value of a "key value" file (memory.events, memory.oom_control, cpu.stat), or null when the key is absent. */
export function keyedValue(text: string, key: string): number | null {
	for (const line of text.split("\n")) {
		const [name, value] = line.trim().split(/\s+/);
		if (name === key && value !== undefined) return Number(value);
	}
	return null;
}

export async function readKeyed(path: string, key: string): Promise<number | null> {
	try {
		return keyedValue(readFileSync(path, "utf8"), key);
	} catch {
		return null;
	}
}

export async function listPids(procsFile: string): Promise<number[]> {
	try {
		return readFileSync(procsFile, "utf8").split("\n").filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

/** SIGKILLs the processes listed in `procsFile`, but `spare`, until none is left (a fork can race one round). */
export async function killListed(procsFile: string, spare?: number): Promise<void> {
	for (let round = 0; round < 200; round++) {
		const pids = (await listPids(procsFile)).filter(pid => pid !== spare);
		if (pids.length === 0) return;
		for (const pid of pids) {
			try {
				process.kill(pid, "SIGKILL");
			} catch {
				continue;
			}
		}
		await sleep(5);
	}
	throw new Error(`processes still alive in ${procsFile}`);
}

/** rmdir, retried while the kernel still counts exiting tasks; a cgroup already gone is fine. */
export async function removeDir(dir: string): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		try {
			rmdirSync(dir);
			return;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === "ENOENT") return;
			if (code !== "EBUSY" || attempt >= 100) throw error;
			await sleep(10);
		}
	}
}

/** Whether the process that named a run cgroup `<pid>-...` is gone, so what it left can be swept. */
export function ownerIsGone(name: string): boolean {
	const pid = Number(/^(\d+)-/.exec(name)?.[1]);
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "ESRCH";
	}
}
