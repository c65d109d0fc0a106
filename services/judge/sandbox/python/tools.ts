/**
 * The host programs a run is made of, found in the system directories only (never a PATH a caller could bend):
 * sh joins the run's cgroups, prlimit sets the rlimits, setpriv drops root, bwrap builds the sandbox.
 */
import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const SYSTEM_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export interface Tools {
	sh: string;
	prlimit: string;
	setpriv: string;
	bwrap: string;
	/** "0.8.0". */
	bwrapVersion: string;
}

async function findProgram(name: string): Promise<string | null> {
	for (const dir of SYSTEM_DIRS) {
		const path = join(dir, name);
		try {
			await access(path, constants.X_OK);
			return path;
		} catch {
			continue;
		}
	}
	return null;
}

/** The tools, or the reason (which ones are missing, and from which Debian package). */
export async function findTools(): Promise<Tools | string> {
	const [sh, prlimit, setpriv, bwrap] = await Promise.all(["sh", "prlimit", "setpriv", "bwrap"].map(findProgram));
	const missing = [
		!bwrap && "bwrap (Debian package bubblewrap)",
		!prlimit && "prlimit (util-linux)",
		!setpriv && "setpriv (util-linux)",
		!sh && "sh"
	].filter(Boolean);
	if (!sh || !prlimit || !setpriv || !bwrap) return `missing ${missing.join(", ")}`;
	const { stdout } = await run(bwrap, ["--version"], { timeout: 5000 });
	return { sh, prlimit, setpriv, bwrap, bwrapVersion: stdout.trim().replace(/^bubblewrap\s+/, "") };
}
