/**
 * Compiles submissions of one language on a warm compile worker, one at a time (clang's own
 * memory is large, and the judge's slots wait on runs far more than on compiles). A worker that
 * overran or crashed is replaced on the next compile. For C++, the precompiled bits/stdc++.h is
 * built beside it once and handed to every worker.
 */
import type { ClangLanguage } from "./clang.types";
import { COMPILE_TIMEOUT_MS, compileCommand, wantsStdcxxHeader } from "./compile-flags";
import type { CompileAnswer } from "./compile.protocol";
import { CompilerThread } from "./compiler-thread";
import { buildPch, type PchBuild } from "./pch-builder";

export class CompilerPool {
	#language: ClangLanguage;
	#thread: CompilerThread | null = null;
	#pch: PchBuild | null = null;
	#tail: Promise<unknown> = Promise.resolve();
	#closed = false;

	constructor(language: ClangLanguage) {
		this.#language = language;
	}

	/** Starts the worker (and for C++ the header's build) if not running; resolves to clang's version. */
	start(): Promise<string> {
		if (this.#closed) return Promise.reject(new Error("the C/C++ runtime is closed"));
		if (this.#language === "cpp") this.#pch ??= buildPch();
		if (!this.#thread?.alive) this.#thread = new CompilerThread(this.#language);
		return this.#thread.ready;
	}

	async compile(source: string, memoryMb: number): Promise<CompileAnswer> {
		this.start().catch(() => undefined);
		// Waiting for the header happens outside the queue: other sources compile meanwhile.
		const pch = wantsStdcxxHeader(this.#language, source) && this.#pch ? await this.#pch.bytes : null;
		const command = compileCommand(this.#language, memoryMb, pch !== null);
		const job = () => this.#compileOnWorker(command, source, pch);
		const answer = this.#tail.then(job, job);
		this.#tail = answer.catch(() => undefined);
		return answer;
	}

	async #compileOnWorker(command: string[], source: string, pch: Uint8Array | null): Promise<CompileAnswer> {
		await this.start();
		const thread = this.#thread!;
		if (pch && !thread.hasPch) thread.sendPch(pch);
		return thread.run(command, source, COMPILE_TIMEOUT_MS[this.#language]);
	}

	close(): void {
		this.#closed = true;
		this.#thread?.terminate();
		this.#pch?.stop();
	}
}
