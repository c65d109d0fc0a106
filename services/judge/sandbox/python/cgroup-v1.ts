/**
 * cgroup v1: a directory per run in the memory and pids hierarchies (and cpuacct when mounted). memory.memsw caps
 * memory plus swap when swap accounting is on; the OOM kill count is in memory.oom_control (kernel 4.13+), else
 * memory.failcnt tells the limit was hit.
 */
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { CGROUP_PARENT, exists, killListed, makeDir, ownerIsGone, readKeyed, readNumber, removeDir, writeValue } from "./cgroup-files";
import type { CgroupDriver, CgroupLimits, RunCgroup, RunCgroupStats } from "./cgroup.types";

export interface V1Hierarchies {
	memory: string;
	pids: string;
	cpuacct: string | null;
}

class RunCgroupV1 implements RunCgroup {
	readonly procsFiles: readonly string[];

	constructor(
		private readonly memory: string,
		private readonly pids: string,
		private readonly cpuacct: string | null
	) {
		this.procsFiles = [memory, pids, ...(cpuacct ? [cpuacct] : [])].map(dir => join(dir, "cgroup.procs"));
	}

	async cpuMs(): Promise<number | null> {
		if (!this.cpuacct) return null;
		const ns = await readNumber(join(this.cpuacct, "cpuacct.usage"));
		return ns === null ? null : ns / 1e6;
	}

	async stats(): Promise<RunCgroupStats> {
		const peak = (await readNumber(join(this.memory, "memory.max_usage_in_bytes"))) ?? 0;
		const oomKills = await readKeyed(join(this.memory, "memory.oom_control"), "oom_kill");
		const oomKilled = oomKills === null ? ((await readNumber(join(this.memory, "memory.failcnt"))) ?? 0) > 0 : oomKills > 0;
		return { cpuMs: await this.cpuMs(), peakKb: Math.round(peak / 1024), oomKilled };
	}

	async killAll(spare?: number): Promise<void> {
		await killListed(join(this.pids, "cgroup.procs"), spare);
		await killListed(join(this.memory, "cgroup.procs"), spare);
	}

	async remove(): Promise<void> {
		await this.killAll();
		for (const dir of [this.memory, this.pids, this.cpuacct]) if (dir) await removeDir(dir);
	}
}

export class CgroupV1 implements CgroupDriver {
	readonly version = "v1";

	constructor(private readonly hierarchies: V1Hierarchies) {}

	private parents(): string[] {
		const { memory, pids, cpuacct } = this.hierarchies;
		return [memory, pids, ...(cpuacct ? [cpuacct] : [])].map(root => join(root, CGROUP_PARENT));
	}

	async setup(): Promise<void> {
		for (const parent of this.parents()) {
			await mkdir(parent, { recursive: true });
			for (const name of await readdir(parent)) {
				if (!ownerIsGone(name)) continue;
				await killListed(join(parent, name, "cgroup.procs"));
				await removeDir(join(parent, name));
			}
		}
	}

	async create(id: string, limits: CgroupLimits): Promise<RunCgroup> {
		const [memoryParent, pidsParent, cpuParent] = this.parents();
		const run = new RunCgroupV1(join(memoryParent, id), join(pidsParent, id), cpuParent ? join(cpuParent, id) : null);
		try {
			await makeDir(join(memoryParent, id));
			await writeValue(join(memoryParent, id, "memory.limit_in_bytes"), limits.memoryBytes);
			const memsw = join(memoryParent, id, "memory.memsw.limit_in_bytes");
			if (await exists(memsw)) await writeValue(memsw, limits.memoryBytes);
			await makeDir(join(pidsParent, id));
			await writeValue(join(pidsParent, id, "pids.max"), limits.pids);
			if (cpuParent) await makeDir(join(cpuParent, id));
		} catch (error) {
			await run.remove().catch(() => undefined);
			throw error;
		}
		return run;
	}
}
