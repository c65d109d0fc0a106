/**
 * The main thread's handle on one compile worker: waits for it to load clang, gives it one job at a
 * time and stops it when a job overruns its time (the worker is then dead and a new one is made).
 * The time is the worker thread's CPU time, watched from here, with a wall-clock cap of a few times
 * that: on a loaded node a compile waits for the CPU without being failed for it.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ClangLanguage } from "./clang.types";
import type { CompileAnswer, CompileWorkerData, CompileWorkerMessage, CompileWorkerRequest } from "./compile.protocol";
import { threadCpuMs } from "./thread-cpu";

// Workers inherit `--import tsx` in development; the built image runs the compiled .js file.
export const COMPILE_WORKER_FILE = path.join(__dirname, `compile.worker${path.extname(__filename)}`);

/** Loading clang (100 MB of WebAssembly) and building the runtime objects, on a busy node. */
const START_TIMEOUT_MS = 180_000;
/** The worker's JavaScript heap; clang's own memory is capped apart (COMPILER_MEMORY_PAGES). */
export const COMPILE_WORKER_HEAP_MB = 512;
const CPU_CHECK_MS = 200;
const WALL_CAP_FACTOR = 4;

interface Job {
	id: number;
	resolve: (answer: CompileAnswer) => void;
	timer: NodeJS.Timeout;
}

/** Calls `overrun` once the thread has used `budgetMs` of CPU since now, or the wall clock a few times that. */
function watchTime(threadId: number | null, budgetMs: number, overrun: (reason: string) => void): NodeJS.Timeout {
	const seconds = budgetMs / 1000;
	const startCpu = threadId === null ? null : threadCpuMs(threadId);
	if (threadId === null || startCpu === null) return setTimeout(() => overrun(`compilation timed out (limit ${seconds} s)`), budgetMs);
	const started = performance.now();
	return setInterval(() => {
		const cpu = threadCpuMs(threadId);
		if (cpu !== null && cpu - startCpu > budgetMs) overrun(`compilation timed out (limit ${seconds} s of CPU)`);
		else if (performance.now() - started > budgetMs * WALL_CAP_FACTOR)
			overrun(`compilation timed out (limit ${seconds * WALL_CAP_FACTOR} s of wall time)`);
	}, CPU_CHECK_MS);
}

export class CompilerThread {
	readonly ready: Promise<string>;
	#worker: Worker;
	#job: Job | null = null;
	#nextId = 1;
	#dead = false;
	#settleStart: { resolve: (version: string) => void; reject: (error: Error) => void } | null = null;
	#threadId: number | null = null;
	/** Whether the precompiled header was handed to this worker. */
	hasPch = false;

	constructor(language: ClangLanguage) {
		this.#worker = new Worker(COMPILE_WORKER_FILE, {
			workerData: { role: "compile", language } satisfies CompileWorkerData,
			resourceLimits: { maxOldGenerationSizeMb: COMPILE_WORKER_HEAP_MB }
		});
		this.#worker.unref();
		this.ready = new Promise<string>((resolve, reject) => (this.#settleStart = { resolve, reject }));
		const startTimer = setTimeout(() => this.#die("the compiler did not start in time"), START_TIMEOUT_MS);
		this.ready.then(
			() => clearTimeout(startTimer),
			() => clearTimeout(startTimer)
		);
		this.#worker.on("message", (message: CompileWorkerMessage) => this.#onMessage(message));
		this.#worker.on("error", error => this.#die(`the compiler crashed: ${error.message}`));
		this.#worker.on("exit", code => this.#die(`the compiler exited (code ${code})`));
	}

	get alive(): boolean {
		return !this.#dead;
	}

	/** Runs one command; an overrun stops the worker and answers with a compile error. */
	run(command: string[], source: string, timeoutMs: number): Promise<CompileAnswer> {
		if (this.#dead || this.#job) return Promise.reject(new Error("the compile worker is not free"));
		const id = this.#nextId++;
		return new Promise<CompileAnswer>(resolve => {
			const timer = watchTime(this.#threadId, timeoutMs, reason => this.#die(reason));
			this.#job = { id, resolve, timer };
			this.#post({ type: "compile", id, command, source });
		});
	}

	sendPch(bytes: Uint8Array): void {
		this.#post({ type: "pch", bytes });
		this.hasPch = true;
	}

	terminate(): void {
		this.#die("the compiler was stopped");
	}

	#post(request: CompileWorkerRequest): void {
		this.#worker.postMessage(request);
	}

	#onMessage(message: CompileWorkerMessage): void {
		if (message.type === "ready") {
			this.#threadId = message.threadId;
			this.#settleStart?.resolve(message.version);
		} else if (message.type === "failed") this.#die(`the compiler could not start: ${message.message}`);
		else if (message.type === "compiled" && this.#job?.id === message.id) {
			const job = this.#job;
			this.#job = null;
			clearInterval(job.timer);
			job.resolve(message.answer);
		}
	}

	/** Ends the worker for good: a job in flight is answered with the reason, a pending start fails with it. */
	#die(reason: string): void {
		if (this.#dead) return;
		this.#dead = true;
		this.#settleStart?.reject(new Error(reason));
		const job = this.#job;
		this.#job = null;
		if (job) {
			clearInterval(job.timer);
			job.resolve({ ok: false, message: reason, transient: true });
		}
		void this.#worker.terminate();
	}
}
