/**
 * The sandbox python3 runs in on this host, once its parts are found. Each prepared submission gets a zygote of its
 * own (zygote.ts) in a cgroup of its own; each run, a cgroup under the same parent. It remembers the zygotes alive
 * so that closing the runtime ends them.
 */
import { randomBytes } from "node:crypto";
import type { CgroupDriver, RunCgroup } from "./cgroup.types";
import { launch } from "./launch";
import type { PythonLayout } from "./layout";
import { compileErrorOf, COMPILE_CPU_MS, ZYGOTE_MEMORY_BYTES } from "./syntax-check";
import type { Tools } from "./tools";
import { PIDS_MAX, wallDeadlineMs, Zygote } from "./zygote";

/** bwrap, the zygote and a child not yet moved to its run's cgroup. */
const ZYGOTE_PIDS = 4;
const COMPILE_POLL_MS = 50;

export type Started = { ok: true; zygote: Zygote } | { ok: false; compileError: string };

let cgroupCounter = 0;

export class PythonSandbox {
	private readonly alive = new Set<Zygote>();

	constructor(
		readonly tools: Tools,
		readonly layout: PythonLayout,
		readonly cgroups: CgroupDriver,
		private readonly seccomp: Buffer
	) {}

	private newCgroup(memoryBytes: number, pids: number): Promise<RunCgroup> {
		// The owner's pid leads the name, so a later process can sweep what a crashed one left.
		const id = `${process.pid}-${++cgroupCounter}-${randomBytes(3).toString("hex")}`;
		return this.cgroups.create(id, { memoryBytes, pids });
	}

	/** Compiles the source in a new zygote: the zygote, ready to run it, or the compile error. */
	async start(source: string): Promise<Started> {
		const home = await this.newCgroup(ZYGOTE_MEMORY_BYTES, ZYGOTE_PIDS);
		let launched;
		try {
			launched = await launch({ tools: this.tools, layout: this.layout, seccomp: this.seccomp, source, cgroup: home });
		} catch (error) {
			await home.remove();
			throw error;
		}
		const zygote = new Zygote(launched, home, limits => this.newCgroup(limits.memoryMb * 1024 * 1024, PIDS_MAX));
		let tooLong = false;
		const stopCompiling = () => {
			tooLong = true;
			void zygote.stop();
		};
		const deadline = setTimeout(stopCompiling, wallDeadlineMs({ timeMs: COMPILE_CPU_MS }));
		const poll = setInterval(() => {
			home.cpuMs()
				.then(ms => (ms !== null && ms > COMPILE_CPU_MS ? stopCompiling() : undefined))
				.catch(() => undefined);
		}, COMPILE_POLL_MS);
		try {
			const frame = await launched.frames.next().catch(() => null);
			if (frame?.kind === "R") {
				this.alive.add(zygote);
				void launched.exited.then(() => this.alive.delete(zygote));
				return { ok: true, zygote };
			}
			const stats = await home.stats();
			await zygote.close();
			if (frame?.kind === "C") return { ok: false, compileError: compileErrorOf(frame.payload.toString("utf8")) };
			if (tooLong) return { ok: false, compileError: "Checking the syntax took too long." };
			if (stats.oomKilled) return { ok: false, compileError: "Checking the syntax ran out of memory." };
			throw new Error(`the Python zygote did not start: ${launched.stderr.text().trim() || "no message"}`);
		} finally {
			clearTimeout(deadline);
			clearInterval(poll);
		}
	}

	/** Kills every zygote alive, and their runs. */
	async killAll(): Promise<void> {
		await Promise.all([...this.alive].map(zygote => zygote.stop()));
	}
}
