/**
 * The warm run workers, shared by the C and C++ runtimes of a process: each holds ≈20 MB, so they
 * stay warm (the compilers are what is stopped when idle). A run takes a free worker; at its deadline
 * the main thread stops the worker (whatever the program is doing, even sleeping) and puts a fresh
 * one in its place. What the program had grown its memory to is read from memory shared with the
 * worker, which outlives it.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { SHARED, type RunJob, type RunReport } from "./run.protocol";
import type { RunWorkerData } from "./run.worker";

const RUN_WORKER_FILE = path.join(__dirname, `run.worker${path.extname(__filename)}`);

/** Deep recursion lives on the worker's own stack (WebAssembly frames are native frames). */
const RUN_WORKER_STACK_MB = 256;
/** The worker's JavaScript heap: the run's input, files and output are its largest things. */
const RUN_WORKER_HEAP_MB = 512;

export type PoolAnswer =
	| { kind: "report"; report: RunReport; growFailed: boolean }
	| { kind: "timeout"; pages: number; growFailed: boolean; wallMs: number }
	| { kind: "crash"; message: string; pages: number; growFailed: boolean };

class Slot {
	readonly worker: Worker;
	readonly shared = new Int32Array(new SharedArrayBuffer(SHARED.length * Int32Array.BYTES_PER_ELEMENT));
	readonly ready: Promise<void>;
	onAnswer: ((answer: PoolAnswer) => void) | null = null;
	dead = false;

	constructor() {
		this.worker = new Worker(RUN_WORKER_FILE, {
			workerData: { shared: this.shared.buffer as SharedArrayBuffer } satisfies RunWorkerData,
			resourceLimits: { stackSizeMb: RUN_WORKER_STACK_MB, maxOldGenerationSizeMb: RUN_WORKER_HEAP_MB }
		});
		this.worker.unref();
		this.ready = new Promise((resolve, reject) => {
			this.worker.once("message", () => resolve());
			this.worker.once("error", reject);
		});
		this.ready.catch(() => undefined);
		this.worker.on("message", (message: RunReport | { type: "ready" }) => {
			if (message.type === "done") this.onAnswer?.({ kind: "report", report: message, growFailed: this.growFailed });
		});
		this.worker.on("error", error => this.#crash(error.message));
		this.worker.on("exit", code => this.#crash(`exited with code ${code}`));
	}

	get pages(): number {
		return Atomics.load(this.shared, SHARED.pages);
	}

	get growFailed(): boolean {
		return Atomics.load(this.shared, SHARED.growFailed) !== 0;
	}

	stop(): void {
		this.dead = true;
		void this.worker.terminate();
	}

	#crash(message: string): void {
		if (this.dead) return;
		this.dead = true;
		this.onAnswer?.({ kind: "crash", message: `the run worker died: ${message}`, pages: this.pages, growFailed: this.growFailed });
	}
}

export class RunPool {
	#size: number;
	#idle: Slot[] = [];
	#waiting: ((slot: Slot | null) => void)[] = [];
	#started = false;
	#closed = false;
	#all = new Set<Slot>();

	constructor(size: number) {
		this.#size = Math.max(1, Math.floor(size));
	}

	/** Keeps at least `size` workers (the C and C++ runtimes share the pool, each asking for the judge's slots). */
	grow(size: number): void {
		const wanted = Math.max(1, Math.floor(size));
		if (this.#started && !this.#closed) for (let i = this.#size; i < wanted; i++) this.#release(this.#spawn());
		this.#size = Math.max(this.#size, wanted);
	}

	/** Starts the workers (once); resolves when they have loaded the shim. */
	async start(): Promise<void> {
		this.#spawnAll();
		await Promise.all([...this.#all].map(slot => slot.ready));
	}

	async run(job: RunJob): Promise<PoolAnswer> {
		if (this.#closed) throw new Error("the C/C++ runtime is closed");
		this.#spawnAll();
		let slot = await this.#acquire();
		if (!slot) throw new Error("the C/C++ runtime is closed");
		if (slot.dead) slot = this.#replace(slot);
		try {
			await slot.ready;
		} catch (error) {
			this.#release(this.#replace(slot));
			throw error;
		}
		const dispatched = performance.now();
		const answer = await new Promise<PoolAnswer>(resolve => {
			const timer = setTimeout(() => {
				slot.stop();
				resolve({ kind: "timeout", pages: slot.pages, growFailed: slot.growFailed, wallMs: performance.now() - dispatched });
			}, job.deadlineMs);
			slot.onAnswer = answer => {
				clearTimeout(timer);
				resolve(answer);
			};
			slot.worker.postMessage(job);
		});
		slot.onAnswer = null;
		if (this.#closed) slot.stop();
		else this.#release(slot.dead ? this.#replace(slot) : slot);
		return answer;
	}

	async close(): Promise<void> {
		this.#closed = true;
		for (const waiter of this.#waiting.splice(0)) waiter(null);
		await Promise.all([...this.#all].map(slot => slot.worker.terminate()));
		this.#all.clear();
	}

	#spawnAll(): void {
		if (this.#started || this.#closed) return;
		this.#started = true;
		for (let i = 0; i < this.#size; i++) this.#release(this.#spawn());
	}

	#spawn(): Slot {
		const slot = new Slot();
		this.#all.add(slot);
		return slot;
	}

	#replace(slot: Slot): Slot {
		this.#all.delete(slot);
		slot.stop();
		return this.#spawn();
	}

	#acquire(): Promise<Slot | null> {
		const slot = this.#idle.pop();
		if (slot) return Promise.resolve(slot);
		return new Promise(resolve => this.#waiting.push(resolve));
	}

	#release(slot: Slot): void {
		if (this.#closed) return;
		const waiter = this.#waiting.shift();
		if (waiter) waiter(slot);
		else this.#idle.push(slot);
	}
}
