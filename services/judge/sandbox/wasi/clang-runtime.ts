/**
 * C and C++ for the judge: clang compiled to WebAssembly compiles the submission (in a compiler
 * process started on demand and stopped when idle, on an in-memory file tree) to a WASI program,
 * which runs in a warm worker thread as a fresh instance per run, with nothing of the host in reach
 * but its standard streams and the run's files. Both languages share the compilers and run workers.
 */
import type { Availability, LanguageRuntime, PreparedProgram, PrepareResult, RunInput, RunLimits, RunResult } from "../sandbox.types";
import type { ClangRuntimeOptions } from "./clang.types";
import { stackBytes } from "./compile-flags";
import { compileErrorText } from "./compile-messages";
import { acquireHost, releaseHost, type ClangHost } from "./clang-host";
import { ProgramCache, programKey, type CachedProgram } from "./program-cache";
import { refusedImport } from "./program-imports";
import { runResult, staticMemoryLimit } from "./run-outcome";
import type { RunPool } from "./run-pool";
import { importedMemoryLimits } from "./wasm-binary";
import { wasm } from "./wasm-api";

const MIB = 1024 * 1024;
const PAGE_BYTES = 65536;
/** WebAssembly's 32-bit memories hold at most 4 GiB. */
const MAX_PAGES = 65536;

const PROBE_SOURCE = '#include <stdio.h>\nint main(void) { puts("ok"); return 0; }\n';
const PROBE_LIMITS: RunLimits = { timeMs: 5000, memoryMb: 64, outputBytes: 1024 };

/** The wall deadline of a run: its time limit and a margin for handing the job to the worker. */
export function deadlineMs(timeMs: number): number {
	return timeMs + Math.max(50, Math.round(timeMs / 10));
}

class WasiProgram implements PreparedProgram {
	#program: Extract<CachedProgram, { ok: true }> | null;
	#runs: RunPool;

	constructor(program: Extract<CachedProgram, { ok: true }>, runs: RunPool) {
		this.#program = program;
		this.#runs = runs;
	}

	async run(input: RunInput, limits: RunLimits): Promise<RunResult> {
		const program = this.#program;
		if (!program) throw new Error("the program was disposed");
		for (const name of Object.keys(input.files ?? {})) {
			if (!name || name === "." || name === ".." || name.includes("/")) throw new Error(`not a plain file name: ${name}`);
		}
		// The limit is for the program's data: the stack it was linked with is reserved on top of it.
		const maxPages = Math.min(MAX_PAGES, Math.floor((limits.memoryMb * MIB) / PAGE_BYTES) + program.stackBytes / PAGE_BYTES);
		if (program.minPages > maxPages) return staticMemoryLimit(program.minPages, program.stackBytes);
		const answer = await this.#runs.run({
			type: "run",
			module: program.module,
			input,
			initialPages: program.minPages,
			maxPages,
			outputBytes: limits.outputBytes,
			deadlineMs: deadlineMs(limits.timeMs)
		});
		return runResult(answer, limits, program.stackBytes);
	}

	async dispose(): Promise<void> {
		// The compiled module stays in the node's cache for the next submission of the same source.
		this.#program = null;
	}
}

export class ClangRuntime implements LanguageRuntime {
	#options: ClangRuntimeOptions;
	#host: ClangHost;
	#cache: ProgramCache;
	#closed = false;

	constructor(options: ClangRuntimeOptions) {
		this.#options = options;
		this.#host = acquireHost(options.workers);
		this.#cache = new ProgramCache((options.compileCacheMb ?? 64) * MIB);
	}

	/** Compiles and runs the smallest program: proof enough, and the compiler it started stops when idle. */
	async probe(): Promise<Availability> {
		try {
			const prepared = await this.prepare(PROBE_SOURCE, PROBE_LIMITS);
			if (!prepared.ok) return { available: false, reason: `a test program did not compile: ${prepared.compileError}` };
			const result = await prepared.program.run({ stdin: "" }, PROBE_LIMITS);
			await prepared.program.dispose();
			if (result.outcome !== "ok" || result.stdout !== "ok\n") {
				return { available: false, reason: `a test program ended with ${result.outcome} (${result.signal ?? result.stderr})` };
			}
			return { available: true, version: `clang ${this.#host.compiler.version} (WebAssembly/WASI)` };
		} catch (error) {
			return { available: false, reason: error instanceof Error ? error.message : String(error) };
		}
	}

	async prepare(source: string, limits: RunLimits): Promise<PrepareResult> {
		if (this.#closed) throw new Error("the C/C++ runtime is closed");
		const { language } = this.#options;
		const key = programKey(language, limits.memoryMb, source);
		const program = await this.#cache.get(key, () => this.#build(source, limits.memoryMb));
		if (!program.ok) return { ok: false, compileError: program.compileError };
		return { ok: true, program: new WasiProgram(program, this.#host.runs) };
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await releaseHost(this.#host);
	}

	async #build(source: string, memoryMb: number): Promise<CachedProgram> {
		const answer = await this.#host.compiler.compile(this.#options.language, source, memoryMb);
		if (!answer.ok) return { ok: false, compileError: compileErrorText(answer.message), transient: answer.transient };
		const memory = importedMemoryLimits(answer.wasm);
		if (!memory) return { ok: false, compileError: "the program does not import its memory" };
		const module = await wasm.compile(answer.wasm);
		const refused = refusedImport(module);
		if (refused) return { ok: false, compileError: refused };
		return { ok: true, module, minPages: memory.minPages, stackBytes: stackBytes(memoryMb), bytes: answer.wasm.byteLength };
	}
}
