/**
 * The compile step of a submission, run by its zygote inside the sandbox like the program itself (the compiler is
 * attack surface too): compile() of main.py, the error formatted as Python prints it, with no path but "main.py".
 */
import { trimToBytes } from "./capture";

export const COMPILE_ERROR_BYTES = 4096;
/** CPU the compile may take, whatever the tests allow. */
export const COMPILE_CPU_MS = 5000;
/** The zygote's cgroup: the interpreter, the compiled program, a test's input and a custom checker's files. */
export const ZYGOTE_MEMORY_BYTES = 512 * 1024 * 1024;

export function compileErrorOf(message: string): string {
	return trimToBytes(message.trim(), COMPILE_ERROR_BYTES) || "The program did not compile.";
}
