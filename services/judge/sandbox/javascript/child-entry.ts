/**
 * How the parent starts a host child: the entry file beside this one with this file's extension (`.ts` under tsx,
 * `.js` once compiled), and of the parent's Node flags only those that load code (tsx's `--import`), never the test
 * runner's or the inspector's.
 */
import path from "node:path";

const VALUE_FLAGS: Readonly<Record<string, string>> = {
	"--import": "--import",
	"--require": "--require",
	"-r": "--require",
	"--loader": "--loader",
	"--experimental-loader": "--loader",
	"--conditions": "--conditions",
	"-C": "--conditions"
};

/** The flags a child needs from the parent's `execArgv`, each once, as `--flag=value`. */
export function childExecArgv(parent: readonly string[]): string[] {
	const kept: string[] = [];
	for (let i = 0; i < parent.length; i++) {
		const arg = parent[i];
		const eq = arg.indexOf("=");
		const flag = VALUE_FLAGS[eq === -1 ? arg : arg.slice(0, eq)];
		if (flag === undefined) continue;
		const value = eq === -1 ? parent[++i] : arg.slice(eq + 1);
		if (value === undefined) continue;
		const normalized = `${flag}=${value}`;
		if (!kept.includes(normalized)) kept.push(normalized);
	}
	// isolated-vm asks for it on Node 20 and later: the startup snapshot and isolates do not mix well.
	kept.push("--no-node-snapshot");
	return kept;
}

export interface ChildEntry {
	path: string;
	execArgv: string[];
}

export function childEntry(): ChildEntry {
	return { path: path.join(__dirname, `host-child${path.extname(__filename)}`), execArgv: childExecArgv(process.execArgv) };
}
