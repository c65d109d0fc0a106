/**
 * The compilers of a process, shared by C and C++: started on the first compile, at most
 * MAX_COMPILERS of them, each stopped after IDLE_STOP_MS without a compile (and started again on the
 * next). A second one starts only when a compile has waited SECOND_AFTER_MS behind a running one:
 * compiles are short, and each compiler holds hundreds of MB. What the judge builds with clang is
 * kept for the process's life, so that a compiler started again only loads clang (≈1 s of CPU): the
 * runtime objects (KBs, ≈3 s of CPU) and the precompiled bits/stdc++.h (≈30 MB, ≈10 s of CPU, built
 * on the first compile that includes it).
 */
import type { ClangLanguage } from "./clang.types";
import { COMPILE_TIMEOUT_MS, compileCommand, wantsStdcxxHeader } from "./compile-flags";
import type { CompileAnswer } from "./compile.protocol";
import { CompilerProcess } from "./compiler-process";
import { buildPch, type PchBuild } from "./pch-builder";

/**
 * A compiler process holds ≈500 MB (clang's code and its working memory) and starts again in a
 * second or two: after a minute without a compile, no one is submitting C or C++ just now, and the
 * memory is worth more to the rest of the platform than a warm compiler.
 */
export const IDLE_STOP_MS = 60_000;
/** Two: one compile that overruns (up to a minute of wall time on a loaded node) does not stall every other. */
const MAX_COMPILERS = 2;
/** Longer than a usual compile (1–3 s), so that the two probes at start or a short burst share one compiler. */
const SECOND_AFTER_MS = 5000;

interface Queued {
	language: ClangLanguage;
	command: string[];
	source: string;
	pch: Uint8Array | null;
	resolve: (answer: CompileAnswer) => void;
	reject: (error: Error) => void;
}

export class CompilerPool {
	#compilers: CompilerProcess[] = [];
	#busy = new Set<CompilerProcess>();
	#idleTimers = new Map<CompilerProcess, NodeJS.Timeout>();
	#queue: Queued[] = [];
	#secondTimer: NodeJS.Timeout | null = null;
	#pch: PchBuild | null = null;
	#objects = new Map<string, Uint8Array>();
	#closed = false;
	/** Clang's version, known once a compiler has started. */
	version: string | null = null;

	async compile(language: ClangLanguage, source: string, memoryMb: number): Promise<CompileAnswer> {
		if (this.#closed) throw new Error("the C/C++ runtime is closed");
		let pch: Uint8Array | null = null;
		if (wantsStdcxxHeader(language, source)) {
			this.#pch ??= buildPch();
			// The compiler starts meanwhile; other sources compile while the header is built.
			if (this.#compilers.length === 0) this.#spawn();
			pch = await this.#pch.bytes;
		}
		const command = compileCommand(language, memoryMb, pch !== null);
		return new Promise<CompileAnswer>((resolve, reject) => {
			if (this.#closed) return reject(new Error("the C/C++ runtime is closed"));
			this.#queue.push({ language, command, source, pch, resolve, reject });
			this.#dispatch();
		});
	}

	close(): void {
		this.#closed = true;
		for (const job of this.#queue.splice(0)) job.reject(new Error("the C/C++ runtime is closed"));
		for (const compiler of this.#compilers) this.#stop(compiler);
		if (this.#secondTimer) clearTimeout(this.#secondTimer);
		this.#pch?.stop();
	}

	#dispatch(): void {
		if (this.#closed) return;
		this.#compilers = this.#compilers.filter(compiler => compiler.alive || this.#busy.has(compiler));
		const loaded = this.#compilers.some(compiler => compiler.alive && compiler.started);
		for (const compiler of this.#compilers) {
			if (this.#queue.length === 0) break;
			// One still loading clang takes a compile only if none is loaded: a loaded one may be free sooner.
			const free = compiler.alive && !this.#busy.has(compiler) && (compiler.started || !loaded);
			if (free) void this.#execute(compiler, this.#queue.shift()!);
		}
		if (this.#queue.length > 0 && !this.#compilers.some(compiler => compiler.alive))
			void this.#execute(this.#spawn(), this.#queue.shift()!);
		this.#watchBlocked();
		for (const compiler of this.#compilers) if (!this.#busy.has(compiler)) this.#armIdle(compiler);
	}

	/** Starts another compiler once compiles have waited SECOND_AFTER_MS, all the while, behind loaded and busy ones. */
	#watchBlocked(): void {
		const loading = this.#compilers.some(compiler => compiler.alive && !compiler.started);
		if (this.#queue.length === 0 || loading || this.#compilers.length >= MAX_COMPILERS) {
			if (this.#secondTimer) clearTimeout(this.#secondTimer);
			this.#secondTimer = null;
			return;
		}
		this.#secondTimer ??= setTimeout(() => {
			this.#secondTimer = null;
			this.#spawn();
			this.#dispatch();
		}, SECOND_AFTER_MS).unref();
	}

	#spawn(): CompilerProcess {
		const compiler = new CompilerProcess();
		this.#compilers.push(compiler);
		// Once loaded it may take a waiting compile, or decide that a second compiler is needed.
		compiler.ready.then(
			version => {
				this.version = version;
				this.#dispatch();
			},
			() => this.#dispatch()
		);
		return compiler;
	}

	async #execute(compiler: CompilerProcess, job: Queued): Promise<void> {
		this.#busy.add(compiler);
		clearTimeout(this.#idleTimers.get(compiler));
		this.#idleTimers.delete(compiler);
		try {
			await compiler.ready;
			for (const [path, bytes] of await compiler.load(job.language, [...this.#objects])) this.#objects.set(path, bytes);
			if (job.pch && !compiler.hasPch) compiler.sendPch(job.pch);
			job.resolve(await compiler.run(job.language, job.command, job.source, COMPILE_TIMEOUT_MS[job.language]));
		} catch (error) {
			job.reject(error instanceof Error ? error : new Error(String(error)));
		} finally {
			this.#busy.delete(compiler);
			this.#dispatch();
		}
	}

	#armIdle(compiler: CompilerProcess): void {
		if (!compiler.alive || this.#idleTimers.has(compiler)) return;
		const timer = setTimeout(() => {
			this.#idleTimers.delete(compiler);
			if (!this.#busy.has(compiler)) this.#stop(compiler);
		}, IDLE_STOP_MS);
		timer.unref();
		this.#idleTimers.set(compiler, timer);
	}

	#stop(compiler: CompilerProcess): void {
		clearTimeout(this.#idleTimers.get(compiler));
		this.#idleTimers.delete(compiler);
		compiler.terminate();
		this.#compilers = this.#compilers.filter(other => other !== compiler);
	}
}
