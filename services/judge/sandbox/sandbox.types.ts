/**
 * What every language runtime of the judge offers: prepare a submission once (compile it, or load and
 * syntax-check it), then run it on many inputs, each run fresh and bounded by limits that the OS or the
 * engine enforces, never the program's cooperation.
 */

/** Limits of one run. The runtime enforces each one itself. */
export interface RunLimits {
	/** CPU (or engine) time of the run; the wall clock is bounded at a small multiple of it. */
	timeMs: number;
	/** Memory the program may hold. */
	memoryMb: number;
	/** Bytes of standard output kept; more ends the run as "output-limit". */
	outputBytes: number;
}

/** How one run ended, before any checker looks at its output. */
export type RunOutcome = "ok" | "time-limit" | "memory-limit" | "output-limit" | "runtime-error";

export interface RunResult {
	outcome: RunOutcome;
	/** The exit code when the program exited by itself (0 for a JavaScript program that returned). */
	exitCode: number | null;
	/** The signal or engine fault that ended it, in words ("SIGSEGV", "uncaught exception"). */
	signal: string | null;
	/** Standard output, at most `outputBytes` of it. */
	stdout: string;
	/** Standard error (or the uncaught error's message), trimmed to a few KB. */
	stderr: string;
	timeMs: number;
	/** Peak memory the runtime could measure, in KB (0 when it cannot tell). */
	memoryKb: number;
}

/** A run's input: standard input, and for checkers, named files in the scratch folder and arguments. */
export interface RunInput {
	stdin: string;
	/** Files the program may read from its working directory by these names (a custom checker's input, output, answer). */
	files?: Readonly<Record<string, string>>;
	/** Command-line arguments (`process.argv.slice(2)`, `argv[1..]`, `sys.argv[1:]`). */
	args?: readonly string[];
}

/** One prepared submission: runs it as often as the tests need, each run in a fresh sandbox. */
export interface PreparedProgram {
	run(input: RunInput, limits: RunLimits): Promise<RunResult>;
	/** Frees what preparing held (an isolate, a compiled binary, a scratch folder). Safe to call twice. */
	dispose(): Promise<void>;
}

export type PrepareResult = { ok: true; program: PreparedProgram } | { ok: false; compileError: string };

/** Whether this host can run a language safely, and if not, why: a language without its sandbox is unavailable. */
export type Availability = { available: true; version: string } | { available: false; reason: string };

/** One language's runtime. Implementations live in their own folders; the languages table picks them. */
export interface LanguageRuntime {
	/** Checks the sandbox works on this host (once, at start); never throws. */
	probe(): Promise<Availability>;
	/** Compiles or loads a source; a compile error (trimmed to a few KB) is an answer, not a throw. */
	prepare(source: string, limits: RunLimits): Promise<PrepareResult>;
	/** Stops worker threads and child processes the runtime keeps. */
	close(): Promise<void>;
}
