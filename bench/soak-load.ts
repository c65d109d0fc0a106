/**
 * The soak's load: pacer.ts's open loop (request k due at start + k / rate, each latency counted
 * from its due time, in a worker thread with a heap of its own), with what a careful client does
 * about keyed writes: one that fails is sent again, with the same key and body, until it
 * succeeds or a bound passes. The pacer sends each request once, so the soak has its own worker
 * (soak-load-loop.ts); what a request is and how it is sent are the pacer's.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PacedRequest } from "./pacer";
import type { SoakKind, SoakOutcome } from "./soak-types";

export interface SoakRequest extends PacedRequest {
	kind: SoakKind;
	/** Sent again until it succeeds (it carries an Idempotency-Key). */
	keyed: boolean;
}

export interface RetryPolicy {
	/** Wait before sending a failed keyed write again, unless the answer's Retry-After says more (capped at maxDelayMs). */
	delayMs: number;
	maxDelayMs: number;
	/** No attempt is sent later than this after the request was due: the write counts as never successful. */
	deadlineMs: number;
}

/** What the worker gets: every request built up front. */
export interface SoakLoop {
	baseUrl: string;
	rate: number;
	timeoutS: number;
	maxInFlight: number;
	maxOutstanding: number;
	retry: RetryPolicy;
	requests: SoakRequest[];
	/** The runner's performance.timeOrigin: the worker reports times on the runner's clock. */
	parentTimeOrigin: number;
}

export interface SoakLoadResult {
	/** The requests that came due, in order. */
	outcomes: SoakOutcome[];
	/** When sending began (performance.now()). */
	startedAt: number;
}

export interface SoakLoadRun {
	/** When sending begins (performance.now(), the runner's clock): the worker's start, give or take its boot. */
	startedAt: Promise<number>;
	result: Promise<SoakLoadResult>;
	/** Sends nothing more (retries included) and resolves the result once the requests in flight are answered. */
	stop(): void;
}

export function soakLoad(loop: Omit<SoakLoop, "parentTimeOrigin">): SoakLoadRun {
	const workerData: SoakLoop = { ...loop, parentTimeOrigin: performance.timeOrigin };
	const worker = new Worker(path.join(__dirname, "soak-load-loop.ts"), { workerData });
	let started: (at: number) => void = () => {};
	const startedAt = new Promise<number>(resolve => (started = resolve));
	const result = new Promise<SoakLoadResult>((resolve, reject) => {
		worker.on("message", (message: { startedAt: number } | SoakLoadResult) => {
			if (!("outcomes" in message)) return started(message.startedAt);
			resolve(message);
			void worker.terminate();
		});
		worker.once("error", reject);
		worker.once("exit", code => reject(new Error(`the soak load's worker exited (code ${code}) without a result`)));
	});
	return { startedAt, result, stop: () => worker.postMessage("stop") };
}
