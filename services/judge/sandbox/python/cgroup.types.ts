/** A run's cgroups as the runtime sees them, whichever cgroup version the host mounts. */

export interface CgroupLimits {
	memoryBytes: number;
	pids: number;
}

export interface RunCgroupStats {
	/** CPU time of every process of the run, or null when no controller counts it. */
	cpuMs: number | null;
	/** Peak memory in KB, 0 when the kernel does not keep it. */
	peakKb: number;
	/** The kernel's OOM killer ended a process of the run. */
	oomKilled: boolean;
}

export interface RunCgroup {
	/** The `cgroup.procs` files a process writes its pid into to join every cgroup of the run. */
	readonly procsFiles: readonly string[];
	cpuMs(): Promise<number | null>;
	stats(): Promise<RunCgroupStats>;
	/**
	 * SIGKILLs every process in the run's cgroups and waits until they are gone. `spare` is left alive: bwrap, which
	 * reaps python3 and exits by itself, so that no killed process is orphaned to the host's PID 1 as a zombie.
	 */
	killAll(spare?: number): Promise<void>;
	/** Kills what is left and removes the cgroups. Safe to call twice. */
	remove(): Promise<void>;
}

export interface CgroupDriver {
	readonly version: "v1" | "v2";
	/**
	 * Creates the parent (and on v2 enables memory and pids for its children); throws with the reason it
	 * cannot. The parent is shared by every judge process of the host and never removed.
	 */
	setup(): Promise<void>;
	create(id: string, limits: CgroupLimits): Promise<RunCgroup>;
}
