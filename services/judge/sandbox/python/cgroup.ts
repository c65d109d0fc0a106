/**
 * One cgroup per run (never a shared one: a shared pids cgroup miscounts), under a parent the judge creates at the
 * root of the cgroup filesystem. cgroup v2 when the root is a cgroup2 mount, else the v1 memory and pids
 * hierarchies (and cpuacct when mounted, for the run's CPU time).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { exists } from "./cgroup-files";
import type { CgroupDriver } from "./cgroup.types";
import { CgroupV1 } from "./cgroup-v1";
import { CgroupV2 } from "./cgroup-v2";

/** The driver for the cgroup filesystem mounted at `root`, or why none fits. */
export async function detectCgroups(root: string): Promise<CgroupDriver | string> {
	const controllersFile = join(root, "cgroup.controllers");
	if (await exists(controllersFile)) {
		const controllers = (await readFile(controllersFile, "utf8")).trim().split(/\s+/);
		const missing = ["memory", "pids"].filter(name => !controllers.includes(name));
		if (missing.length > 0) return `cgroup v2 at ${root} does not offer the ${missing.join(" and ")} controller`;
		return new CgroupV2(root);
	}
	const memory = join(root, "memory");
	const pids = join(root, "pids");
	if (!(await exists(join(memory, "memory.limit_in_bytes"))))
		return `no cgroup v2 at ${root} and no cgroup v1 memory hierarchy at ${memory}`;
	if (!(await exists(join(pids, "cgroup.procs")))) return `no cgroup v1 pids hierarchy at ${pids}`;
	let cpuacct: string | null = null;
	for (const name of ["cpuacct", "cpu,cpuacct", "cpuacct,cpu"]) {
		if (await exists(join(root, name, "cpuacct.usage"))) {
			cpuacct = join(root, name);
			break;
		}
	}
	return new CgroupV1({ memory, pids, cpuacct });
}
