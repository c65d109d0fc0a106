/**
 * Starts a submission's zygote in its sandbox: `sh` joins the zygote's cgroups (before anything forks, so nothing
 * escapes them) and reports it on a private descriptor it closes, then execs prlimit → setpriv (root drops to
 * nobody) → bwrap → python3 running the zygote. The seccomp program and main.py reach bwrap through pipes; nothing is
 * written to the host. The zygote's frames arrive on its stdout; its stderr is kept for the judge's log.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { bwrapArgs, SANDBOX_UID } from "./bwrap-args";
import { StderrKeeper } from "./capture";
import type { RunCgroup } from "./cgroup.types";
import { FrameQueue, FrameReader } from "./frames";
import type { PythonLayout } from "./layout";
import { zygotePrlimitArgs } from "./rlimits";
import type { Tools } from "./tools";
import { ZYGOTE_SOURCE } from "./zygote.source";

/**
 * -I: no user site, no PYTHON* variables, and no folder of the program's on sys.path (a file named random.py cannot
 * shadow the stdlib); -S: no `site` (no site-packages exist inside; the zygote puts back exit() and quit()); -B: no
 * .pyc writes; -X utf8: UTF-8 stdin/stdout whatever the locale.
 */
export const PYTHON_FLAGS = ["-I", "-S", "-B", "-X", "utf8"];

export interface LaunchSpec {
	tools: Tools;
	layout: PythonLayout;
	seccomp: Buffer;
	source: string;
	cgroup: RunCgroup;
}

export interface LaunchedZygote {
	/** bwrap's process (sh, prlimit and setpriv exec'd into it). */
	child: ChildProcess;
	frames: FrameQueue;
	stderr: StderrKeeper;
	/** Settles once bwrap has exited. */
	exited: Promise<void>;
}

const STATUS_FD = 3;
const SECCOMP_FD = 4;
const MAIN_FD = 5;
const JOINED = "joined";
const JOIN_SCRIPT = `while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; echo ${JOINED} >&${STATUS_FD}; exec "$@" ${STATUS_FD}>&-`;
/** Room in the scratch tmpfs beyond main.py; its pages count against a memory cgroup anyway. */
const SCRATCH_BYTES = 64 * 1024 * 1024;

function commandLine(spec: LaunchSpec): string[] {
	const bwrap = bwrapArgs(spec.layout, {
		seccompFd: SECCOMP_FD,
		files: [{ fd: MAIN_FD, name: "main.py" }],
		scratchBytes: SCRATCH_BYTES + Buffer.byteLength(spec.source),
		command: [spec.layout.executable, ...PYTHON_FLAGS, "-c", ZYGOTE_SOURCE]
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
		...zygotePrlimitArgs(),
		"--",
		...drop,
		spec.tools.bwrap,
		...bwrap
	];
}

function feed(stream: Writable, data: string | Buffer): void {
	stream.on("error", () => undefined);
	stream.end(data);
	// Descriptors past stderr are duplex sockets: reading them to their end lets the child's "close" come.
	if ("resume" in stream) (stream as unknown as Readable).resume();
}

/** Resolves once the process has joined its cgroups; rejects when it could not. */
export function launch(spec: LaunchSpec): Promise<LaunchedZygote> {
	const child = spawn(spec.tools.sh, commandLine(spec), {
		stdio: ["pipe", "pipe", "pipe", "pipe", "pipe", "pipe"],
		env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }
	});
	const frames = new FrameQueue();
	const reader = new FrameReader();
	const stderr = new StderrKeeper();
	child.stdout?.on("data", (chunk: Buffer) => reader.push(chunk).forEach(frame => frames.push(frame)));
	child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
	// The zygote gone (or never started) fails what waits on it; writes to a closed stdin are that same failure.
	child.stdin?.on("error", () => undefined);
	const exited = new Promise<void>(resolve =>
		child.on("close", (code, signal) => {
			frames.fail(new Error(`the Python sandbox ended (${signal ?? `exit ${code}`}): ${stderr.text().trim() || "no message"}`));
			resolve();
		})
	);
	feed(child.stdio[SECCOMP_FD] as Writable, spec.seccomp);
	feed((child.stdio as unknown as Writable[])[MAIN_FD], spec.source);

	return new Promise((resolve, reject) => {
		let status = "";
		const statusStream = child.stdio[STATUS_FD] as Readable;
		statusStream.on("data", (chunk: Buffer) => {
			status += chunk.toString();
			if (status.includes(JOINED)) resolve({ child, frames, stderr, exited });
		});
		child.on("error", reject);
		void exited.then(() => {
			if (!status.includes(JOINED))
				reject(new Error(`the sandbox could not join its cgroups: ${stderr.text().trim() || `exit ${child.exitCode}`}`));
		});
	});
}
