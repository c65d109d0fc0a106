/**
 * The bwrap command line of one run. Every namespace is new (user, pid, net, ipc, uts, cgroup) and the user inside
 * is nobody with no capability; the filesystem is an empty root holding only the python3 layout read-only, a fresh
 * /proc and minimal /dev (read-only), and a tmpfs scratch folder with the program and the run's files, which is the
 * only place the program can write.
 */
import type { PythonLayout } from "./layout";

/** The sandbox's user and group inside its user namespace (and outside, when the judge runs as root). */
export const SANDBOX_UID = 65534;
export const SCRATCH = "/box";

export interface SandboxFile {
	/** The descriptor bwrap copies the file's bytes from. */
	fd: number;
	name: string;
}

export interface BwrapOptions {
	seccompFd: number;
	files: readonly SandboxFile[];
	scratchBytes: number;
	/** The command inside, interpreter first. */
	command: readonly string[];
}

export function bwrapArgs(layout: PythonLayout, options: BwrapOptions): string[] {
	const args = [
		"--unshare-all",
		"--unshare-user",
		"--unshare-cgroup",
		"--disable-userns",
		"--uid",
		String(SANDBOX_UID),
		"--gid",
		String(SANDBOX_UID),
		"--hostname",
		"judge",
		"--die-with-parent",
		// python3 is the namespace's pid 1 and bwrap's own child, which bwrap reaps; with bwrap's init in between,
		// that init outlived bwrap and was left a zombie for the host's PID 1 (node itself, in a container).
		"--as-pid-1",
		"--new-session",
		"--cap-drop",
		"ALL",
		"--clearenv",
		"--setenv",
		"PATH",
		"/usr/bin:/bin",
		"--setenv",
		"HOME",
		SCRATCH,
		"--setenv",
		"TMPDIR",
		SCRATCH,
		"--setenv",
		"LANG",
		"C.UTF-8"
	];
	for (const path of layout.binds) args.push("--ro-bind", path, path);
	for (const link of layout.symlinks) args.push("--symlink", link.target, link.path);
	args.push("--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev");
	args.push("--size", String(options.scratchBytes), "--tmpfs", SCRATCH);
	for (const file of options.files) args.push("--file", String(file.fd), `${SCRATCH}/${file.name}`);
	args.push("--chdir", SCRATCH, "--remount-ro", "/", "--seccomp", String(options.seccompFd), "--", ...options.command);
	return args;
}
