/**
 * The judge's handle on one compiler process: waits for it to load clang, builds a language's
 * runtime objects before its first compile, gives it one job at a time and stops it when a job
 * overruns its time (the process is then dead and a new one is made). The time is the CPU time of
 * the process's main thread (where clang runs), with a wall-clock cap of a few times that: on a
 * loaded node a compile waits for the CPU without being failed for it.
 */
import type { ChildProcess } from "node:child_process";
import type { ClangLanguage } from "./clang.types";
import type { CompileAnswer, CompileRequest, CompilerMessage, RuntimeObjects } from "./compile.protocol";
import { forkCompiler } from "./compiler-fork";
import { threadCpuMs } from "./thread-cpu";

/** Loading clang (100 MB of WebAssembly), or building a language's runtime objects, on a busy node. */
const START_TIMEOUT_MS = 180_000;
const CPU_CHECK_MS = 200;
const WALL_CAP_FACTOR = 4;

interface Job {
	id: number;
	resolve: (answer: CompileAnswer) => void;
	timer: NodeJS.Timeout;
}

/** Calls `overrun` once the process's main thread has used `budgetMs` of CPU since now, or the wall clock a few times that. */
function watchTime(processId: number | undefined, budgetMs: number, overrun: (reason: string) => void): NodeJS.Timeout {
	const seconds = budgetMs / 1000;
	const startCpu = processId === undefined ? null : threadCpuMs(processId);
	if (processId === undefined || startCpu === null)
		return setTimeout(() => overrun(`compilation timed out (limit ${seconds} s)`), budgetMs);
	const started = performance.now();
	return setInterval(() => {
		const cpu = threadCpuMs(processId);
		if (cpu !== null && cpu - startCpu > budgetMs) overrun(`compilation timed out (limit ${seconds} s of CPU)`);
		else if (performance.now() - started > budgetMs * WALL_CAP_FACTOR)
			overrun(`compilation timed out (limit ${seconds * WALL_CAP_FACTOR} s of wall time)`);
	}, CPU_CHECK_MS);
}

/** A promise with its settlers, for answers that arrive as messages. */
function deferred<T>() {
	let settle!: { resolve: (value: T) => void; reject: (error: Error) => void };
	const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
	promise.catch(() => undefined);
	return { promise, ...settle };
}

export class CompilerProcess {
	#child: ChildProcess;
	#start = deferred<string>();
	#loads = new Map<ClangLanguage, ReturnType<typeof deferred<RuntimeObjects>>>();
	#job: Job | null = null;
	#nextId = 1;
	#dead = false;
	#started = false;
	/** Whether the precompiled header was handed to this process. */
	hasPch = false;

	constructor() {
		this.#child = forkCompiler("compile");
		this.#guard(this.#start.promise, "the compiler did not start in time");
		this.#start.promise.then(
			() => (this.#started = true),
			() => undefined
		);
		this.#child.on("message", (message: CompilerMessage) => this.#onMessage(message));
		this.#child.on("error", error => this.#die(`the compiler crashed: ${error.message}`));
		this.#child.on("exit", (code, signal) => this.#die(`the compiler exited (${signal ?? `code ${code}`})`));
	}

	/** Resolves to clang's version once the compiler is loaded. */
	get ready(): Promise<string> {
		return this.#start.promise;
	}

	get alive(): boolean {
		return !this.#dead;
	}

	/** Whether clang is loaded (a process still loading it is not counted as a free compiler yet). */
	get started(): boolean {
		return this.#started;
	}

	/** Gives the language's runtime objects known so far, once; resolves to all the process has (the missing ones built). */
	load(language: ClangLanguage, known: RuntimeObjects): Promise<RuntimeObjects> {
		let load = this.#loads.get(language);
		if (!load) {
			load = deferred<RuntimeObjects>();
			this.#loads.set(language, load);
			this.#guard(load.promise, "the compiler did not build its runtime objects in time");
			this.#post({ type: "load", language, objects: known });
		}
		return load.promise;
	}

	/** Runs one command; an overrun stops the process and answers with a compile error. */
	run(language: ClangLanguage, command: string[], source: string, timeoutMs: number): Promise<CompileAnswer> {
		if (this.#dead || this.#job) return Promise.reject(new Error("the compiler is not free"));
		const id = this.#nextId++;
		return new Promise<CompileAnswer>(resolve => {
			const timer = watchTime(this.#child.pid, timeoutMs, reason => this.#die(reason));
			this.#job = { id, resolve, timer };
			this.#post({ type: "compile", id, language, command, source });
		});
	}

	sendPch(bytes: Uint8Array): void {
		this.#post({ type: "pch", bytes });
		this.hasPch = true;
	}

	terminate(): void {
		this.#die("the compiler was stopped");
	}

	/** Stops the process if `promise` has not settled within the start timeout. */
	#guard(promise: Promise<unknown>, reason: string): void {
		const timer = setTimeout(() => this.#die(reason), START_TIMEOUT_MS);
		promise.then(
			() => clearTimeout(timer),
			() => clearTimeout(timer)
		);
	}

	#post(request: CompileRequest): void {
		if (!this.#dead) this.#child.send(request);
	}

	#onMessage(message: CompilerMessage): void {
		if (message.type === "ready") this.#start.resolve(message.version);
		else if (message.type === "loaded") this.#loads.get(message.language)?.resolve(message.objects);
		else if (message.type === "failed") this.#die(`the compiler failed: ${message.message}`);
		else if (message.type === "compiled" && this.#job?.id === message.id) {
			const job = this.#job;
			this.#job = null;
			clearInterval(job.timer);
			job.resolve(message.answer);
		}
	}

	/** Ends the process for good: a job in flight is answered with the reason, a pending start or load fails with it. */
	#die(reason: string): void {
		if (this.#dead) return;
		this.#dead = true;
		this.#start.reject(new Error(reason));
		for (const load of this.#loads.values()) load.reject(new Error(reason));
		const job = this.#job;
		this.#job = null;
		if (job) {
			clearInterval(job.timer);
			job.resolve({ ok: false, message: reason, transient: true });
		}
		this.#child.kill("SIGKILL");
	}
}
