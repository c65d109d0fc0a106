/**
 * The judge's side of a submission's zygote (zygote.source.ts): start it on the source, then run it on each input.
 * A run gets a cgroup of its own, which its forked child joins before the program's first instruction; the run is
 * killed, cgroup and all, at the wall deadline, when the cgroup's CPU time passes the limit, or when stdout passes
 * its limit. Runs of one zygote go one at a time.
 */
import { readFileSync } from "node:fs";
import type { RunLimits, RunResult } from "../sandbox.types";
import { StderrKeeper, StdoutKeeper } from "./capture";
import { listPids, writeValue } from "./cgroup-files";
import type { RunCgroup } from "./cgroup.types";
import { encodeFrame, type Frame } from "./frames";
import type { LaunchedZygote } from "./launch";
import { classify, decodeWaitStatus, type KillReason, type RawRun } from "./outcome";
import { cpuLimitSeconds, dataLimitBytes } from "./rlimits";

/** Processes (threads count too) a run may hold at once: a fork bomb stops here. */
export const PIDS_MAX = 32;
const CPU_POLL_MS = 50;
const STOP_GRACE_MS = 1000;

export interface RunRequest {
	stdin: string;
	args: readonly string[];
	files: Readonly<Record<string, string>>;
	limits: RunLimits;
}

/** Wall deadline: room for a program that waits (sleep, input) without burning CPU. */
export function wallDeadlineMs(limits: Pick<RunLimits, "timeMs">): number {
	return 3 * limits.timeMs + 1000;
}

/** The pid namespace's view of a host process: the last NSpid field, or null outside any child namespace. */
function innermostPid(hostPid: number): number | null {
	let status: string;
	try {
		status = readFileSync(`/proc/${hostPid}/status`, "utf8");
	} catch {
		return null;
	}
	const fields = /^NSpid:(.*)$/m.exec(status)?.[1].trim().split(/\s+/) ?? [];
	return fields.length > 1 ? Number(fields[fields.length - 1]) : null;
}

function unexpected(frame: Frame, waiting: string): Error {
	return new Error(`the Python zygote sent "${frame.kind}" while the judge waited for ${waiting}`);
}

export class Zygote {
	private queue: Promise<unknown> = Promise.resolve();
	/** Set when a run failed midway: the zygote's state is unknown, so it runs nothing more. */
	private broken: Error | null = null;

	constructor(
		private readonly process: LaunchedZygote,
		/** The cgroup the zygote (and bwrap) live in. */
		private readonly home: RunCgroup,
		private readonly newRunCgroup: (limits: RunLimits) => Promise<RunCgroup>
	) {}

	run(request: RunRequest): Promise<RunResult> {
		const result = this.queue.then(() => this.runNow(request));
		this.queue = result.catch(() => undefined);
		return result;
	}

	private async runNow(request: RunRequest): Promise<RunResult> {
		if (this.broken) throw this.broken;
		const { limits } = request;
		const cgroup = await this.newRunCgroup(limits);
		try {
			const files = Object.entries(request.files);
			const header = [cpuLimitSeconds(limits), dataLimitBytes(limits), limits.outputBytes, request.args.length, files.length];
			this.send("T", header.join(" "));
			for (const arg of request.args) this.send("A", arg);
			for (const [name, content] of files) {
				this.send("N", name);
				this.send("B", content);
			}
			this.send("I", request.stdin);
			const forked = await this.next("F");
			await this.adopt(Number(forked.payload.toString()), cgroup);
			this.send("G");
			const raw = await this.watch(cgroup, limits);
			return classify(raw, await cgroup.stats(), limits);
		} catch (error) {
			this.broken = error as Error;
			await this.stop();
			throw error;
		} finally {
			await cgroup.remove();
		}
	}

	/** Moves the forked child, still waiting for its "go", from the zygote's cgroup into the run's. */
	private async adopt(namespacePid: number, cgroup: RunCgroup): Promise<void> {
		const bwrap = this.process.child.pid;
		for (const hostPid of await listPids(this.home.procsFiles[0])) {
			if (hostPid === bwrap || innermostPid(hostPid) !== namespacePid) continue;
			for (const file of cgroup.procsFiles) await writeValue(file, hostPid);
			return;
		}
		throw new Error(`the zygote's child ${namespacePid} is not in the zygote's cgroup`);
	}

	/** Collects the run's output until the zygote says every writer is gone; kills the run on a limit. */
	private async watch(cgroup: RunCgroup, limits: RunLimits): Promise<RawRun> {
		const started = performance.now();
		const stdout = new StdoutKeeper(limits.outputBytes);
		const stderr = new StderrKeeper();
		let killedFor: KillReason | null = null;
		const kill = (reason: KillReason): void => {
			killedFor ??= reason;
			cgroup.killAll().catch(() => undefined);
		};
		const deadline = setTimeout(() => kill("wall"), wallDeadlineMs(limits));
		const poll = setInterval(() => {
			cgroup
				.cpuMs()
				.then(ms => (ms !== null && ms > limits.timeMs ? kill("cpu") : undefined))
				.catch(() => undefined);
		}, CPU_POLL_MS);
		try {
			let status: number | null = null;
			let wallMs = 0;
			for (;;) {
				const frame = await this.process.frames.next();
				if (frame.kind === "O") {
					if (!stdout.push(frame.payload)) kill("output");
				} else if (frame.kind === "E") stderr.push(frame.payload);
				else if (frame.kind === "X") {
					status = Number(frame.payload.toString());
					wallMs = performance.now() - started;
					// What the program left behind holds its output open: the run ends with its first process.
					await cgroup.killAll();
				} else if (frame.kind === "D" && status !== null) {
					return { ...decodeWaitStatus(status), stdout: stdout.text(), stderr: stderr.text(), wallMs, killedFor };
				} else throw unexpected(frame, "the run's output");
			}
		} finally {
			clearTimeout(deadline);
			clearInterval(poll);
		}
	}

	private async next(kind: string): Promise<Frame> {
		const frame = await this.process.frames.next();
		if (frame.kind !== kind) throw unexpected(frame, `"${kind}"`);
		return frame;
	}

	private send(kind: string, payload?: string): void {
		this.process.child.stdin?.write(encodeFrame(kind, payload));
	}

	/** Ends the zygote once its runs are done: with its stdin closed it exits, and its namespace with it. */
	async close(): Promise<void> {
		await this.queue;
		this.process.child.stdin?.end();
		const timer = setTimeout(() => void this.stop(), STOP_GRACE_MS);
		await this.process.exited;
		clearTimeout(timer);
		await this.home.remove();
	}

	/**
	 * Kills the zygote at once. bwrap is spared a moment: it reaps the zygote and exits by itself, so that no killed
	 * process is left a zombie for the host's PID 1 (node itself, in a container).
	 */
	async stop(): Promise<void> {
		await this.home.killAll(this.process.child.pid).catch(() => undefined);
		const lastResort = setTimeout(() => this.process.child.kill("SIGKILL"), STOP_GRACE_MS);
		await this.process.exited;
		clearTimeout(lastResort);
	}
}
