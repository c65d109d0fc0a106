/**
 * cgroup v2: one directory per run under `<root>/code-learn-judge`. Children only get the memory and pids files when
 * their parent lists those controllers in cgroup.subtree_control, so setup enables them on the root and on the
 * parent (the parent holds no process, as v2 requires). On a namespaced root that still holds processes (a container
 * whose processes sit in its top cgroup) the kernel refuses with EBUSY, and the probe says so.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CGROUP_PARENT, exists, killListed, makeDir, ownerIsGone, readKeyed, readNumber, removeDir, writeValue } from "./cgroup-files";
import type { CgroupDriver, CgroupLimits, RunCgroup, RunCgroupStats } from "./cgroup.types";

const CONTROLLERS = ["memory", "pids"];

async function enableControllers(dir: string): Promise<void> {
	const file = join(dir, "cgroup.subtree_control");
	const enabled = (await readFile(file, "utf8")).trim().split(/\s+/);
	const missing = CONTROLLERS.filter(name => !enabled.includes(name));
	if (missing.length === 0) return;
	try {
		await writeValue(file, missing.map(name => `+${name}`).join(" "));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === "EBUSY" ? " (EBUSY: processes live in that cgroup; run the judge in a leaf cgroup)" : ` (${code})`;
		throw new Error(`cannot enable ${missing.join(", ")} in ${file}${why}`, { cause: error });
	}
}

class RunCgroupV2 implements RunCgroup {
	readonly procsFiles: readonly string[];

	constructor(private readonly dir: string) {
		this.procsFiles = [join(dir, "cgroup.procs")];
	}

	async cpuMs(): Promise<number | null> {
		const usec = await readKeyed(join(this.dir, "cpu.stat"), "usage_usec");
		return usec === null ? null : usec / 1000;
	}

	async stats(): Promise<RunCgroupStats> {
		const peak = (await readNumber(join(this.dir, "memory.peak"))) ?? 0;
		const oomKills = (await readKeyed(join(this.dir, "memory.events"), "oom_kill")) ?? 0;
		return { cpuMs: await this.cpuMs(), peakKb: Math.round(peak / 1024), oomKilled: oomKills > 0 };
	}

	async killAll(spare?: number): Promise<void> {
		const kill = join(this.dir, "cgroup.kill");
		if (spare === undefined && (await exists(kill))) await writeValue(kill, 1).catch(() => undefined);
		await killListed(join(this.dir, "cgroup.procs"), spare);
	}

	async remove(): Promise<void> {
		await this.killAll();
		await removeDir(this.dir);
	}
}

export class CgroupV2 implements CgroupDriver {
	readonly version = "v2";
	private readonly parent: string;

	constructor(private readonly root: string) {
		this.parent = join(root, CGROUP_PARENT);
	}

	async setup(): Promise<void> {
		await enableControllers(this.root);
		await mkdir(this.parent, { recursive: true });
		await enableControllers(this.parent);
		for (const name of await readdir(this.parent, { withFileTypes: true })) {
			if (!name.isDirectory() || !ownerIsGone(name.name)) continue;
			await new RunCgroupV2(join(this.parent, name.name)).remove();
		}
	}

	async create(id: string, limits: CgroupLimits): Promise<RunCgroup> {
		const dir = join(this.parent, id);
		const run = new RunCgroupV2(dir);
		try {
			await makeDir(dir);
			await writeValue(join(dir, "memory.max"), limits.memoryBytes);
			// No swap: the limit is on what the program holds, not on what it can page out.
			if (await exists(join(dir, "memory.swap.max"))) await writeValue(join(dir, "memory.swap.max"), 0);
			// An OOM kills the whole run, not one process of a forking program.
			if (await exists(join(dir, "memory.oom.group"))) await writeValue(join(dir, "memory.oom.group"), 1);
			await writeValue(join(dir, "pids.max"), limits.pids);
		} catch (error) {
			await run.remove().catch(() => undefined);
			throw error;
		}
		return run;
	}
}
