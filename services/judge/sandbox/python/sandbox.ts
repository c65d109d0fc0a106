/**
 * The sandbox a python3 runs in on this host, once its parts are found: each call makes a fresh cgroup, runs one
 * sandboxed process, reads the cgroup's figures, removes the cgroup, and tells the verdict. It remembers the runs
 * in flight so that closing the runtime ends them.
 */
import { randomBytes } from "node:crypto";
import type { RunLimits, RunResult } from "../sandbox.types";
import type { CgroupDriver, RunCgroup } from "./cgroup.types";
import { launch } from "./launch";
import type { PythonLayout } from "./layout";
import { classify } from "./outcome";
import type { Tools } from "./tools";

/** Processes (threads count too) a run may hold at once, bwrap's two included: a fork bomb stops here. */
export const PIDS_MAX = 32;

export interface SandboxRequest {
	files: ReadonlyArray<{ name: string; content: string }>;
	pythonArgs: readonly string[];
	stdin: string;
	limits: RunLimits;
}

let runCounter = 0;

export class PythonSandbox {
	private readonly active = new Set<RunCgroup>();
	private readonly inFlight = new Set<Promise<unknown>>();

	constructor(
		readonly tools: Tools,
		readonly layout: PythonLayout,
		readonly cgroups: CgroupDriver,
		private readonly seccomp: Buffer
	) {}

	execute(request: SandboxRequest): Promise<RunResult> {
		const run = this.runOnce(request);
		const settled = run.catch(() => undefined);
		this.inFlight.add(settled);
		void settled.then(() => this.inFlight.delete(settled));
		return run;
	}

	private async runOnce(request: SandboxRequest): Promise<RunResult> {
		// The owner's pid leads the name, so a later process can sweep what a crashed one left.
		const id = `${process.pid}-${++runCounter}-${randomBytes(3).toString("hex")}`;
		const cgroup = await this.cgroups.create(id, { memoryBytes: request.limits.memoryMb * 1024 * 1024, pids: PIDS_MAX });
		this.active.add(cgroup);
		try {
			const raw = await launch({ tools: this.tools, layout: this.layout, seccomp: this.seccomp, cgroup, ...request });
			return classify(raw, await cgroup.stats(), request.limits);
		} finally {
			this.active.delete(cgroup);
			await cgroup.remove();
		}
	}

	/** Kills every run in flight and waits until each has removed its cgroup. */
	async killAll(): Promise<void> {
		await Promise.all([...this.active].map(cgroup => cgroup.killAll().catch(() => undefined)));
		await Promise.all([...this.inFlight]);
	}
}
