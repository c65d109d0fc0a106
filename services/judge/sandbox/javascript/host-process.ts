/**
 * One host child seen from the judge's process: started when first needed and again after it dies, fed one request
 * at a time, each bounded by the wall clock. A request that overstays kills the child (a run's caller then gets the
 * answer it chose for that case, a time limit); a child that dies fails the request in flight, and the ones still
 * queued fail as "not started" so their callers may place them again.
 */
import { type ChildProcess, fork } from "node:child_process";
import type { ChildEntry } from "./child-entry";
import { type ChildMessage, type HostAnswers, type HostRequest, UNKNOWN_PROGRAM } from "./protocol";

/** A child has this long to load (tsx, isolated-vm) and say it is ready. */
const START_MS = 30_000;
/** A child that died younger than this is started again only after the same delay: no crash loop. */
const QUICK_DEATH_MS = 1000;

/** The host went away: `started` tells whether the request had reached it (a run may have been under way). */
export class HostGoneError extends Error {
	constructor(
		message: string,
		readonly started: boolean
	) {
		super(message);
		this.name = "HostGoneError";
	}
}

export interface Answer<T> {
	value: T;
	/** Which child answered: programs prepared in it live as long as `isCurrent(generation)`. */
	generation: number;
}

interface Pending {
	request: HostRequest;
	wallMs: number;
	onWallTimeout: ((wallMs: number) => unknown) | undefined;
	resolve(answer: Answer<unknown>): void;
	reject(err: Error): void;
}

interface InFlight {
	id: number;
	pending: Pending;
	timer: NodeJS.Timeout;
}

export class HostProcess {
	private child: ChildProcess | undefined;
	private ready = false;
	private generation = 0;
	private startedAt = 0;
	private startTimer: NodeJS.Timeout | undefined;
	private respawnTimer: NodeJS.Timeout | undefined;
	private readonly queue: Pending[] = [];
	private inFlight: InFlight | undefined;
	private nextId = 1;
	private closed = false;
	/** Programs prepared in the running child (the pool places new ones where there are fewest). */
	programs = 0;

	constructor(private readonly entry: ChildEntry) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** Requests waiting or under way. */
	get backlog(): number {
		return this.queue.length + (this.inFlight === undefined ? 0 : 1);
	}

	/** Whether the child that answered with this generation is still the running one. */
	isCurrent(generation: number): boolean {
		return this.child !== undefined && this.generation === generation;
	}

	/**
	 * Sends a request when the child is free. Past `wallMs` the child is killed; the request then resolves with
	 * `onWallTimeout(wallMs)` if given, else rejects.
	 */
	request<K extends HostRequest["op"]>(
		request: Extract<HostRequest, { op: K }>,
		wallMs: number,
		onWallTimeout?: (wallMs: number) => HostAnswers[K]
	): Promise<Answer<HostAnswers[K]>> {
		if (this.closed) return Promise.reject(new Error("the JavaScript runtime is closed"));
		return new Promise<Answer<HostAnswers[K]>>((resolve, reject) => {
			this.queue.push({ request, wallMs, onWallTimeout, resolve: resolve as Pending["resolve"], reject });
			this.pump();
		});
	}

	/** Kills the child and fails everything pending; the host starts no child again. */
	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.respawnTimer);
		const child = this.child;
		if (child !== undefined && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>(resolve => child.once("exit", () => resolve()));
			child.kill("SIGKILL");
			await exited;
		}
		this.gone(child, "the JavaScript runtime is closed");
	}

	private pump(): void {
		if (this.closed || this.inFlight !== undefined || this.queue.length === 0) return;
		const child = this.child ?? this.spawn();
		this.hold(child, true);
		if (!this.ready) return;
		const pending = this.queue.shift() as Pending;
		const id = this.nextId++;
		const timer = setTimeout(() => this.overstayed(child, id), pending.wallMs);
		this.inFlight = { id, pending, timer };
		child.send({ id, request: pending.request }, err => {
			if (err) child.kill("SIGKILL");
		});
	}

	private spawn(): ChildProcess {
		clearTimeout(this.respawnTimer);
		this.generation++;
		this.ready = false;
		this.startedAt = performance.now();
		const child = fork(this.entry.path, [], {
			execArgv: this.entry.execArgv,
			serialization: "advanced",
			stdio: ["ignore", "ignore", "inherit", "ipc"]
		});
		this.child = child;
		this.startTimer = setTimeout(() => child.kill("SIGKILL"), START_MS);
		child.on("message", (message: ChildMessage) => this.received(child, message));
		child.once("exit", (code, signal) => this.gone(child, `the JavaScript host exited (${signal ?? `code ${code}`})`));
		child.once("error", err => {
			child.kill("SIGKILL");
			this.gone(child, `the JavaScript host failed: ${err.message}`);
		});
		return child;
	}

	private received(child: ChildProcess, message: ChildMessage): void {
		if (child !== this.child) return;
		if (message.type === "ready") {
			clearTimeout(this.startTimer);
			this.ready = true;
			this.pump();
			if (this.inFlight === undefined) this.hold(child, false);
			return;
		}
		const inFlight = this.inFlight;
		if (inFlight === undefined || inFlight.id !== message.id) return;
		clearTimeout(inFlight.timer);
		this.inFlight = undefined;
		if (message.ok) inFlight.pending.resolve({ value: message.value, generation: this.generation });
		else if (message.code === UNKNOWN_PROGRAM) inFlight.pending.reject(new HostGoneError(message.error, false));
		else inFlight.pending.reject(new Error(message.error));
		this.pump();
		if (this.inFlight === undefined) this.hold(child, false);
	}

	private overstayed(child: ChildProcess, id: number): void {
		const inFlight = this.inFlight;
		if (child !== this.child || inFlight === undefined || inFlight.id !== id) return;
		this.inFlight = undefined;
		const { pending } = inFlight;
		if (pending.onWallTimeout === undefined)
			pending.reject(new Error(`the JavaScript host did not answer within ${pending.wallMs} ms`));
		else pending.resolve({ value: pending.onWallTimeout(pending.wallMs), generation: this.generation });
		child.kill("SIGKILL");
	}

	/** The child is gone (or being closed): fail what it held and start another unless closed. */
	private gone(child: ChildProcess | undefined, reason: string): void {
		if (child !== this.child) return;
		clearTimeout(this.startTimer);
		this.child = undefined;
		this.ready = false;
		this.programs = 0;
		const inFlight = this.inFlight;
		this.inFlight = undefined;
		if (inFlight !== undefined) {
			clearTimeout(inFlight.timer);
			inFlight.pending.reject(new HostGoneError(reason, true));
		}
		for (const pending of this.queue.splice(0)) pending.reject(new HostGoneError(reason, false));
		if (this.closed) return;
		const lived = performance.now() - this.startedAt;
		this.respawnTimer = setTimeout(
			() => {
				if (!this.closed && this.child === undefined) this.hold(this.spawn(), false);
			},
			lived < QUICK_DEATH_MS ? QUICK_DEATH_MS : 0
		);
		this.respawnTimer.unref();
	}

	/** An idle child must not keep the judge's process alive; a busy one must. */
	private hold(child: ChildProcess, busy: boolean): void {
		if (busy) {
			child.ref();
			child.channel?.ref();
		} else {
			child.unref();
			child.channel?.unref();
		}
	}
}
