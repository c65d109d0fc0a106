/**
 * Starts a compiler process. Clang runs in a child process, not a worker thread, so that stopping it
 * gives its memory back: after a compile worker thread ended, the allocator kept ≈350 MB of what it
 * had used in the judge's process (measured with clang 22), while an ended process keeps nothing.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CompilerRole } from "./compile.protocol";

const COMPILER_FILE = path.join(__dirname, `compile.child${path.extname(__filename)}`);
/** The compiler's JavaScript heap; clang's own memory is capped apart (COMPILER_MEMORY_PAGES). */
const HEAP_MB = 512;
/** Clang's recursion runs on V8's stack: as deep as the 4 MB worker thread it used to run in. */
const STACK_KB = 3900;

/** At most half the OS's stack limit: V8 checks its own limit only as frames begin, so it needs room beyond it. */
function stackKb(): number {
	try {
		const soft = /^Max stack size\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
		return soft ? Math.min(STACK_KB, Math.floor(Number(soft) / 2048)) : STACK_KB;
	} catch {
		return STACK_KB;
	}
}

export function forkCompiler(role: CompilerRole): ChildProcess {
	// The sources run through tsx (`npm start`, the image); a compiled build runs the .js file.
	const loader = path.extname(__filename) === ".ts" ? ["--import", "tsx"] : [];
	const child = fork(COMPILER_FILE, [role], {
		execArgv: [...loader, `--max-old-space-size=${HEAP_MB}`, `--stack-size=${stackKb()}`],
		serialization: "advanced",
		stdio: ["ignore", "ignore", "inherit", "ipc"]
	});
	// Like a worker thread, it does not keep the judge's process alive: the compile's own timers do.
	child.unref();
	child.channel?.unref();
	return child;
}
