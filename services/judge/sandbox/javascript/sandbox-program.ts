/**
 * One prepared program inside a host child: its own isolate (memory-limited, the script compiled once), and for each
 * run a fresh context — new globals, a new `process` and `console` — so no run sees another's state. The isolate is
 * replaced after a run that hit a limit (a memory limit disposes it; after a timeout a fresh one is cheap insurance).
 */
import ivm from "isolated-vm";
import type { RunInput, RunLimits, RunOutcome, RunResult } from "../sandbox.types";
import { compileErrorText, uncaughtErrorText } from "./error-text";
import { type PreludeConfig, StepStatus } from "./prelude";
import { isolateWithPrelude } from "./prelude-snapshot";
import { RunOutput } from "./run-output";

/** CommonJS's wrapper, on the program's first line so line numbers match; the column offset undoes its width. */
const WRAPPER = "(function (exports, require, module, __filename, __dirname) { ";
const WRAPPER_END = "\n})";
/** isolated-vm refuses less. */
const MIN_MEMORY_MB = 8;
/** Bounds for the sandbox's own steps (setting up a context, flushing output): never the program's time. */
const SETUP_TIMEOUT_MS = 1000;
const FLUSH_TIMEOUT_MS = 200;
const TIMED_OUT = "Script execution timed out.";
const FLUSH_PHASE = 4;
const FINISH_PHASE = 3;

interface Compiled {
	isolate: ivm.Isolate;
	prelude: ivm.Script;
	script: ivm.Script;
	memoryMb: number;
}

/** The source as a CommonJS function expression; a `#!` line becomes a comment, as Node allows it. */
function wrap(source: string): string {
	const body = source.startsWith("#!") ? `//${source.slice(2)}` : source;
	return `${WRAPPER}${body}${WRAPPER_END}`;
}

function compile(wrapped: string, memoryMb: number): Compiled {
	const { isolate, prelude } = isolateWithPrelude(Math.max(MIN_MEMORY_MB, memoryMb));
	try {
		const script = isolate.compileScriptSync(wrapped, { filename: "main.js", columnOffset: -WRAPPER.length });
		return { isolate, prelude, script, memoryMb };
	} catch (err) {
		isolate.dispose();
		throw err;
	}
}

function release(handle: { release(): void } | undefined): void {
	try {
		handle?.release();
	} catch {
		// Already gone with its isolate.
	}
}

export class SandboxProgram {
	private compiled: Compiled | undefined;

	private constructor(
		private readonly wrapped: string,
		compiled: Compiled
	) {
		this.compiled = compiled;
	}

	/** Compiles the source in a new isolate; a syntax error is an answer (Node's text, trimmed), not a throw. */
	static prepare(source: string, memoryMb: number): { program: SandboxProgram } | { compileError: string } {
		const wrapped = wrap(source);
		try {
			return { program: new SandboxProgram(wrapped, compile(wrapped, memoryMb)) };
		} catch (err) {
			return { compileError: compileErrorText(err, source) };
		}
	}

	run(input: RunInput, limits: RunLimits, nodeVersion: string): RunResult {
		let compiled = this.compiled;
		if (compiled === undefined || compiled.isolate.isDisposed || compiled.memoryMb !== limits.memoryMb) {
			this.dispose();
			compiled = this.compiled = compile(this.wrapped, limits.memoryMb);
		}
		const { isolate } = compiled;
		const output = new RunOutput(limits.outputBytes);
		const context = isolate.createContextSync();
		const config: PreludeConfig = {
			stdin: input.stdin,
			files: { ...input.files },
			args: [...(input.args ?? [])],
			outputBytes: limits.outputBytes,
			nodeVersion
		};
		let setup: ivm.Reference | undefined;
		let step: ivm.Reference | undefined;
		let main: ivm.Reference | undefined;
		try {
			try {
				setup = compiled.prelude.runSync(context, { reference: true }) as ivm.Reference;
				step = setup.applySync(
					undefined,
					[new ivm.Callback(output.write), new ivm.Callback(output.exit), new ivm.ExternalCopy(config).copyInto()],
					{ result: { reference: true }, timeout: SETUP_TIMEOUT_MS }
				) as ivm.Reference;
				main = compiled.script.runSync(context, { reference: true }) as ivm.Reference;
			} catch (err) {
				// The input alone does not fit in the program's memory: the program could not have held it either.
				if (isolate.isDisposed) return inputTooLarge(limits);
				throw err;
			}
			return this.execute(compiled, step, main, output, limits);
		} finally {
			release(main);
			release(step);
			release(setup);
			release(context);
		}
	}

	/** Runs the program's phases within the time limit, then classifies how it ended. */
	private execute(compiled: Compiled, step: ivm.Reference, main: ivm.Reference, output: RunOutput, limits: RunLimits): RunResult {
		const { isolate } = compiled;
		const cpuStart = isolate.cpuTime;
		const wallStart = performance.now();
		const deadline = wallStart + limits.timeMs;
		let status: number = StepStatus.ok;
		let failure: { error: unknown } | undefined;
		let exitCode = 0;
		let stepStarted = 0;
		let stepTimeout = 0;
		const call = (args: unknown[], timeout: number): number => {
			stepStarted = performance.now();
			stepTimeout = timeout;
			return step.applySync(undefined, args, { timeout }) as number;
		};
		try {
			for (const phase of [0, 1, 2]) {
				status = call(phase === 0 ? [phase, main.derefInto()] : [phase], Math.max(1, Math.ceil(deadline - performance.now())));
				if (status !== StepStatus.ok || output.ended) break;
			}
			if (status === StepStatus.ok && !output.ended) {
				exitCode = call([FINISH_PHASE], Math.max(FLUSH_TIMEOUT_MS, Math.ceil(deadline - performance.now())));
			}
		} catch (error) {
			failure = { error };
		}
		// A program can throw an Error with the timeout's words; only a step that lasted its whole timeout timed out.
		const timedOut =
			failure !== undefined &&
			failure.error instanceof Error &&
			failure.error.message === TIMED_OUT &&
			performance.now() - stepStarted >= stepTimeout - 2;
		const disposed = isolate.isDisposed;
		const wallMs = performance.now() - wallStart;
		const timeMs = disposed ? wallMs : Number(isolate.cpuTime - cpuStart) / 1e6;
		if (failure !== undefined && !disposed) {
			// Keep what the program printed before it failed, as a process's output would be kept.
			try {
				step.applySync(undefined, [FLUSH_PHASE], { timeout: FLUSH_TIMEOUT_MS });
			} catch {
				// Nothing more to keep.
			}
		}
		const outOfMemory = disposed || status === StepStatus.allocationFailed;
		const memoryKb = outOfMemory ? limits.memoryMb * 1024 : heapKb(isolate);
		const result = (outcome: RunOutcome, code: number | null, signal: string | null, stderr = output.stderr()): RunResult => ({
			outcome,
			exitCode: code,
			signal,
			stdout: output.stdout,
			stderr,
			timeMs: Math.round(timeMs * 10) / 10,
			memoryKb
		});
		if (outOfMemory || timedOut) this.dispose();
		if (output.overflowed) return result("output-limit", null, "output limit");
		if (output.exitCode !== undefined)
			return output.exitCode === 0 ? result("ok", 0, null) : result("runtime-error", output.exitCode, null);
		if (outOfMemory) return result("memory-limit", null, "out of memory");
		if (timedOut) return result("time-limit", null, "timeout");
		if (failure !== undefined) return result("runtime-error", 1, "uncaught exception", output.stderr(uncaughtErrorText(failure.error)));
		if (status === StepStatus.threw) return result("runtime-error", 1, "uncaught exception");
		if ((exitCode & 0xff) !== 0) return result("runtime-error", exitCode & 0xff, null);
		return result("ok", 0, null);
	}

	dispose(): void {
		const compiled = this.compiled;
		this.compiled = undefined;
		if (compiled !== undefined && !compiled.isolate.isDisposed) compiled.isolate.dispose();
	}
}

function inputTooLarge(limits: RunLimits): RunResult {
	return {
		outcome: "memory-limit",
		exitCode: null,
		signal: "out of memory",
		stdout: "",
		stderr: "",
		timeMs: 0,
		memoryKb: limits.memoryMb * 1024
	};
}

/** The isolate's heap in use after the run, with the array buffers it holds outside the heap. */
function heapKb(isolate: ivm.Isolate): number {
	try {
		const heap = isolate.getHeapStatisticsSync();
		return Math.round((heap.used_heap_size + heap.externally_allocated_size) / 1024);
	} catch {
		return 0;
	}
}
