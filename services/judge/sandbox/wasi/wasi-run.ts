/**
 * One run, inside a run worker: a fresh memory bounded by the run's limit, a fresh WASI whose only
 * files are the standard streams and the run's own, a fresh instance of the cached module, and a
 * report of how it ended. The main thread's deadline bounds it from outside.
 */
import { SHARED, type RunJob, type RunReport } from "./run.protocol";
import { makeFds } from "./wasi-fds";
import { wasiImports, type ProgramState } from "./wasi-imports";
import { wasm, type WasmInstance, type WasmMemory } from "./wasm-api";

type Shim = typeof import("@bjorn3/browser_wasi_shim");

export const STDERR_BYTES = 4096;
const PAGE = 65536;

export function runProgram(shim: Shim, job: RunJob, shared: Int32Array): RunReport {
	const started = performance.now();
	Atomics.store(shared, SHARED.pages, job.initialPages);
	Atomics.store(shared, SHARED.growFailed, 0);
	const { fds, stdout, stderr } = makeFds(shim, job.input.stdin, job.input.files ?? {}, job.outputBytes, STDERR_BYTES);
	const state: ProgramState = { exitCode: null, signal: null };
	let memory: WasmMemory | null = null;
	let instance: WasmInstance | null = null;
	let failure: unknown = null;
	try {
		memory = new wasm.Memory({ initial: job.initialPages, maximum: job.maxPages });
		const wasi = new shim.WASI(["main", ...(job.input.args ?? [])], [], fds, { debug: false });
		wasi.inst = { exports: { memory } };
		const judge = {
			memory_grown(pages: number, refused: number) {
				Atomics.store(shared, SHARED.pages, pages);
				if (refused) Atomics.store(shared, SHARED.growFailed, 1);
			}
		};
		instance = new wasm.Instance(job.module, {
			wasi_snapshot_preview1: wasiImports(shim, wasi, memory, started + job.deadlineMs, state),
			env: { memory },
			judge
		});
		(instance.exports._start as () => void)();
	} catch (error) {
		failure = error;
	}
	const report: RunReport = {
		type: "done",
		ending: "exit",
		exitCode: null,
		detail: null,
		stdout: stdout.bytes(),
		stderr: "",
		timeMs: performance.now() - started,
		pages: memory ? memory.buffer.byteLength / PAGE : job.initialPages
	};
	if (stdout.exceeded) report.ending = "output-limit";
	else if (state.exitCode !== null || failure === null) report.exitCode = state.exitCode ?? 0;
	else if (state.signal !== null) Object.assign(report, { ending: "trap", detail: `raised signal ${state.signal}` });
	else if (failure instanceof wasm.Exception) {
		Object.assign(report, { ending: "trap", detail: "uncaught C++ exception" });
		describeUncaught(instance, failure);
	} else if (failure instanceof wasm.RuntimeError) Object.assign(report, { ending: "trap", detail: failure.message });
	else if (failure instanceof RangeError && /call stack/i.test(failure.message))
		Object.assign(report, { ending: "trap", detail: "call stack exhausted" });
	else Object.assign(report, { ending: "crash", detail: failure instanceof Error ? failure.message : String(failure) });
	report.stderr = new TextDecoder().decode(stderr.bytes());
	return report;
}

/** Has the program's runtime write what was thrown to standard error, as std::terminate would. */
function describeUncaught(instance: WasmInstance | null, exception: InstanceType<typeof wasm.Exception>): void {
	const tag = instance?.exports.__cpp_exception;
	const describe = instance?.exports.judge_describe_uncaught;
	if (!tag || typeof describe !== "function") return;
	try {
		if (exception.is(tag)) describe(exception.getArg(tag, 0));
	} catch {
		// The program's memory may be too broken to describe it; the verdict stands without.
	}
}
