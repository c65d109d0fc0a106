import fs from "node:fs";
import path from "node:path";

/**
 * PGlite has no lock of its own: two processes opening one data directory would corrupt it.
 * A pid file taken with O_EXCL is enough on one host; a lock left by a dead process is taken over.
 * (proper-lockfile and friends poll mtimes for cross-host use, which this embedded mode never has.)
 */
export function lockDataDir(dir: string): () => void {
	fs.mkdirSync(dir, { recursive: true });
	const lockFile = path.join(dir, "codelearn.lock");
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
			return () => fs.rmSync(lockFile, { force: true });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
			const owner = Number(fs.readFileSync(lockFile, "utf8"));
			if (isAlive(owner) && owner !== process.pid) {
				throw new Error(
					`The embedded database in ${dir} is in use by process ${owner}. ` + "Stop it, or set DATA_DIR to another directory.",
					{ cause: err }
				);
			}
			fs.rmSync(lockFile, { force: true });
		}
	}
	throw new Error(`Could not lock the embedded database directory ${dir}`);
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === "EPERM";
	}
}
