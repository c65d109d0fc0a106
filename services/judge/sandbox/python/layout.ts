/**
 * What of the host a python3 needs inside the sandbox, asked of that python3 itself once: its real executable, its
 * standard library, the directories of the shared libraries it maps (the loader, libc, libssl behind _ssl, ...) and
 * the symlinks on the way to its loader. Only these are bound, read-only; no /etc, no site-packages, no shell.
 */
import { execFile } from "node:child_process";
import { realpath, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { readElfInterpreter } from "./elf";
import { type HostSymlink, isUnder, outermost, symlinkChain } from "./host-paths";

const run = promisify(execFile);

export interface PythonLayout {
	/** The real path of the interpreter, which the sandbox runs by that same path. */
	executable: string;
	/** "3.11.2". */
	version: string;
	/** Host directories (and the executable) bound read-only at the same path. */
	binds: string[];
	/** Symlinks recreated inside so the loader's path resolves as on the host. */
	symlinks: HostSymlink[];
}

/** Trusted, fixed code run by the host's python3 (never a submission): loads the extension modules learners use and lists what got mapped. */
const DISCOVER = `
import json, sys, sysconfig
for name in ("math", "cmath", "_json", "_decimal", "_ssl", "_hashlib", "_sqlite3", "_ctypes", "_lzma", "_bz2", "zlib",
             "pyexpat", "_elementtree", "_socket", "select", "array", "_datetime", "_random", "_bisect", "_heapq",
             "unicodedata", "_struct", "binascii", "_posixsubprocess", "fcntl", "mmap", "resource", "_csv", "_uuid"):
    try:
        __import__(name)
    except Exception:
        pass
maps = set()
with open("/proc/self/maps") as f:
    for line in f:
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[5].startswith("/"):
            maps.add(parts[5].strip())
print(json.dumps({"executable": sys.executable, "version": sys.version.split()[0],
                  "stdlib": [sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")], "maps": sorted(maps)}))
`;

interface Discovered {
	executable: string;
	version: string;
	stdlib: string[];
	maps: string[];
}

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch {
		return false;
	}
}

export async function discoverLayout(python: string): Promise<PythonLayout> {
	// PATH and HOME only: enough for a shim (pyenv) to find its interpreter, nothing else of the judge's environment.
	const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/" };
	const { stdout } = await run(python, ["-I", "-S", "-c", DISCOVER], { timeout: 10_000, env });
	const found = JSON.parse(stdout) as Discovered;
	const executable = await realpath(found.executable);
	const dirs = new Set<string>();
	for (const dir of found.stdlib) dirs.add(await realpath(dir));
	for (const mapped of found.maps) {
		if (mapped === found.executable || !(await isFile(mapped))) continue;
		const real = await realpath(mapped);
		if (real !== executable) dirs.add(dirname(real));
	}
	const bound = outermost(dirs);
	const binds = bound.some(dir => isUnder(executable, dir)) ? bound : [...bound, executable];
	const symlinks: HostSymlink[] = [];
	const loader = await readElfInterpreter(executable);
	if (loader) {
		const chain = await symlinkChain(loader);
		if (!binds.some(dir => isUnder(chain.real, dir))) binds.push(chain.real);
		for (const link of chain.links) if (!binds.some(dir => isUnder(link.path, dir))) symlinks.push(link);
	}
	return { executable, version: found.version, binds, symlinks };
}
