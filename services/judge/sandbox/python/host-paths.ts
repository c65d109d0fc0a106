/** Paths on the host as the sandbox must mirror them: the symlinks met on the way to a file, and nested directories. */
import { lstat, readlink } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

export interface HostSymlink {
	path: string;
	target: string;
}

const MAX_SYMLINKS = 40;

/** Resolves `path` component by component, listing every symlink it follows (with its literal target) and the real path. */
export async function symlinkChain(path: string): Promise<{ links: HostSymlink[]; real: string }> {
	const links: HostSymlink[] = [];
	let pending = path.split("/").filter(Boolean);
	let current = "/";
	while (pending.length > 0) {
		const name = pending.shift() as string;
		if (name === ".") continue;
		if (name === "..") {
			current = dirname(current);
			continue;
		}
		const next = join(current, name);
		if (!(await lstat(next)).isSymbolicLink()) {
			current = next;
			continue;
		}
		if (links.length >= MAX_SYMLINKS) throw new Error(`too many symlinks resolving ${path}`);
		const target = await readlink(next);
		links.push({ path: next, target });
		pending = [...target.split("/").filter(Boolean), ...pending];
		if (target.startsWith("/")) current = "/";
	}
	return { links, real: current };
}

export function isUnder(path: string, dir: string): boolean {
	return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The directories that are not inside another one of the list, sorted, so each is bound once. */
export function outermost(dirs: Iterable<string>): string[] {
	const sorted = [...new Set(dirs)].sort();
	return sorted.filter(dir => !sorted.some(other => other !== dir && isUnder(dir, other)));
}
