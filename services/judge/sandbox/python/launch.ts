/**
 * Starts one sandboxed process and watches it: `sh` joins the run's cgroups (before anything forks, so nothing
 * escapes them) and reports it on a private descriptor it closes, then execs prlimit → setpriv (root drops to
 * nobody) → bwrap → python3. The seccomp program and the scratch files reach bwrap through pipes; nothing is
 * written to the host. The run is SIGKILLed, process and cgroup, at the wall deadline, when the cgroup's CPU time
 * passes the limit, or when stdout passes its limit.
 */
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { RunLimits } from "../sandbox.types";
import { bwrapArgs, SANDBOX_UID } from "./bwrap-args";
import { StderrKeeper, StdoutKeeper } from "./capture";
import type { RunCgroup } from "./cgroup.types";
import type { PythonLayout } from "./layout";
import { prlimitArgs } from "./rlimits";
import type { Tools } from "./tools";

export type KillReason = "output" | "wall" | "cpu";

export interface RawRun {
	/** bwrap's exit code (the program's, or 128 + the signal that ended it). */
	exitCode: number | null;
	/** Set only when bwrap itself was killed (by the judge). */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	wallMs: number;
	killedFor: KillReason | null;
}

export interface LaunchSpec {
	tools: Tools;
	layout: PythonLayout;
	seccomp: Buffer;
	/** Files of the scratch folder by name, the program among them. */
	files: ReadonlyArray<{ name: string; content: string }>;
	/** Arguments of the interpreter. */
	pythonArgs: readonly string[];
	stdin: string;
	limits: RunLimits;
	cgroup: RunCgroup;
}

/** Wall deadline: room for a program that waits (sleep, input) without burning CPU. */
export function wallDeadlineMs(limits: RunLimits): number {
	return 3 * limits.timeMs + 1000;
}

const CPU_POLL_MS = 50;
const BWRAP_GRACE_MS = 1000;
const STATUS_FD = 3;
const SECCOMP_FD = 4;
const FIRST_FILE_FD = 5;
const JOINED = "joined";
const JOIN_SCRIPT = `while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; echo ${JOINED} >&${STATUS_FD}; exec "$@" ${STATUS_FD}>&-`;
/** Room in the scratch tmpfs beyond the files themselves; its pages count against the memory cgroup anyway. */
const SCRATCH_BYTES = 64 * 1024 * 1024;

function commandLine(spec: LaunchSpec): string[] {
	const files = spec.files.map((file, i) => ({ fd: FIRST_FILE_FD + i, name: file.name }));
	const scratchBytes = SCRATCH_BYTES + spec.files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
	const bwrap = bwrapArgs(spec.layout, {
		seccompFd: SECCOMP_FD,
		files,
		scratchBytes,
		command: [spec.layout.executable, ...spec.pythonArgs]
	});
	// As root, bwrap itself runs as nobody: an escape from the user namespace lands unprivileged.
	const drop =
		process.getuid?.() === 0
			? [
					spec.tools.setpriv,
					`--reuid=${SANDBOX_UID}`,
					`--regid=${SANDBOX_UID}`,
					"--clear-groups",
					"--inh-caps=-all",
					"--bounding-set=-all",
					"--no-new-privs",
					"--"
				]
			: [];
	return [
		"-c",
		JOIN_SCRIPT,
		"sh",
		...spec.cgroup.procsFiles,
		"--",
		spec.tools.prlimit,
		...prlimitArgs(spec.limits),
		"--",
		...drop,
		spec.tools.bwrap,
		...bwrap
	];
}

function feed(stream: Writable, data: string | Buffer): void {
	// A program that exits without reading its input closes the pipe: EPIPE is expected, not an error.
	stream.on("error", () => undefined);
	stream.end(data);
	// Descriptors past stderr are duplex sockets: reading them to their end lets the child's "close" come.
	if ("resume" in stream) (stream as unknown as Readable).resume();
}

export function launch(spec: LaunchSpec): Promise<RawRun> {
	const extra = spec.files.map(() => "pipe" as const);
	const child = spawn(spec.tools.sh, commandLine(spec), {
		stdio: ["pipe", "pipe", "pipe", "pipe", "pipe", ...extra],
		env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }
	});
	const started = performance.now();
	const stdout = new StdoutKeeper(spec.limits.outputBytes);
	const stderr = new StderrKeeper();
	let status = "";
	let killedFor: KillReason | null = null;

	let lastResort: NodeJS.Timeout | undefined;
	const kill = (reason: KillReason): void => {
		if (killedFor) return;
		killedFor = reason;
		// The sandbox dies and bwrap, spared, reaps it and exits; bwrap itself only if it has not within a second.
		spec.cgroup.killAll(child.pid).catch(() => undefined);
		lastResort = setTimeout(() => child.kill("SIGKILL"), BWRAP_GRACE_MS);
	};

	const deadline = setTimeout(() => kill("wall"), wallDeadlineMs(spec.limits));
	const poll = setInterval(() => {
		spec.cgroup
			.cpuMs()
			.then(ms => {
				if (ms !== null && ms > spec.limits.timeMs) kill("cpu");
			})
			.catch(() => undefined);
	}, CPU_POLL_MS);

	(child.stdio[STATUS_FD] as Readable).on("data", (chunk: Buffer) => (status += chunk.toString()));
	child.stdout?.on("data", (chunk: Buffer) => {
		if (!stdout.push(chunk)) kill("output");
	});
	child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
	feed(child.stdio[SECCOMP_FD] as Writable, spec.seccomp);
	spec.files.forEach((file, i) => feed(child.stdio[FIRST_FILE_FD + i] as Writable, file.content));
	if (child.stdin) feed(child.stdin, spec.stdin);

	return new Promise((resolve, reject) => {
		const stopWatching = (): void => {
			clearTimeout(deadline);
			clearTimeout(lastResort);
			clearInterval(poll);
		};
		child.on("error", error => {
			stopWatching();
			reject(error);
		});
		child.on("close", (exitCode, signal) => {
			stopWatching();
			const wallMs = performance.now() - started;
			if (!status.includes(JOINED)) {
				reject(new Error(`the run could not join its cgroups: ${stderr.text().trim() || `exit ${exitCode}`}`));
				return;
			}
			resolve({ exitCode, signal, stdout: stdout.text(), stderr: stderr.text(), wallMs, killedFor });
		});
	});
}
