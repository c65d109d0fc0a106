/**
 * The syntax check of a submission, run inside the sandbox like the program itself (the compiler is attack surface
 * too): compile() of main.py, the error formatted as Python prints it, with no path but "main.py".
 */
import type { RunLimits, RunResult } from "../sandbox.types";
import { trimToBytes } from "./capture";

export const COMPILE_ERROR_BYTES = 4096;

export const SYNTAX_CHECK = `
import sys, traceback
try:
    compile(open("main.py", "rb").read(), "main.py", "exec")
except (SyntaxError, ValueError) as error:
    sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))
    sys.exit(1)
`;

/** Limits of the check: a few seconds of CPU whatever the tests allow, and the tests' memory with a floor. */
export function syntaxCheckLimits(limits: RunLimits): RunLimits {
	return { timeMs: 5000, memoryMb: Math.max(limits.memoryMb, 256), outputBytes: 1024 };
}

/** The compile error of a check, or null when the source compiled. */
export function compileErrorOf(result: RunResult): string | null {
	if (result.outcome === "ok") return null;
	if (result.outcome === "time-limit") return "Checking the syntax took too long.";
	if (result.outcome === "memory-limit") return "Checking the syntax ran out of memory.";
	const text = result.stderr.trim();
	if (text) return trimToBytes(text, COMPILE_ERROR_BYTES);
	return `Checking the syntax failed (${result.signal ?? `exit code ${result.exitCode}`}).`;
}
