/** Runs one clang command (its first word is "clang" or "clang++") on an in-memory file tree, and reads and writes files of such trees. */
import type { Clang } from "./clang-loader";

/** A directory of the in-memory file system: names to files (text or bytes) and directories. */
export type Tree = { [name: string]: Tree | string | Uint8Array };

/** Clang's own messages kept per command; what a learner is shown is trimmed further. */
const OUTPUT_BYTES = 64 * 1024;

export interface ToolResult {
	/** The tree after the command, or null when it failed. */
	files: Tree | null;
	output: string;
}

export function putFile(tree: Tree, path: string, content: string | Uint8Array): Tree {
	const parts = path.split("/").filter(Boolean);
	let dir = tree;
	for (const part of parts.slice(0, -1)) dir = (dir[part] ??= {}) as Tree;
	dir[parts[parts.length - 1]] = content;
	return tree;
}

export function getFile(tree: Tree, path: string): Uint8Array | null {
	let entry: Tree | string | Uint8Array | undefined = tree;
	for (const part of path.split("/").filter(Boolean)) {
		if (typeof entry !== "object" || entry instanceof Uint8Array) return null;
		entry = entry[part];
	}
	return entry instanceof Uint8Array ? entry : null;
}

export async function runTool(clang: Clang, command: string[], files: Tree): Promise<ToolResult> {
	const chunks: Uint8Array[] = [];
	let kept = 0;
	const capture = (bytes: Uint8Array | null) => {
		if (bytes === null || kept >= OUTPUT_BYTES) return;
		const part = bytes.subarray(0, OUTPUT_BYTES - kept);
		chunks.push(part.slice());
		kept += part.length;
	};
	const output = () => Buffer.concat(chunks).toString("utf8");
	try {
		const [tool, ...args] = command;
		const run = tool === "clang++" ? clang.commands["clang++"] : clang.commands.clang;
		const result = await run(args, files, { stdout: capture, stderr: capture, decodeASCII: false });
		return { files: (result ?? null) as Tree | null, output: output() };
	} catch (error) {
		if (error instanceof clang.Exit) return { files: null, output: output() };
		// Anything but an exit is clang dying: out of its memory (LLVM aborts), or a trap.
		const reason = error instanceof Error ? error.message : String(error);
		return { files: null, output: `${output()}\nthe compiler stopped: ${reason} (out of memory?)` };
	}
}
