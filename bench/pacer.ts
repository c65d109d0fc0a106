/**
 * An open-loop load at a steady rate: request k is due at start + k / rate, whatever happened to
 * the earlier ones, and its latency runs from that due time (so time spent waiting for a free
 * connection counts: no coordinated omission).
 *
 * Why not autocannon's `overallRate`: each of its connections gets a per-second budget that is
 * reset by a 1 s interval started when the connection is created, and all are created together,
 * so the whole second's budget leaves in one burst at the start of each second (100 req/s over
 * 20 connections: 100 requests in the first 100 ms, then nothing for 900 ms). That measures a
 * burst's queue, not a steady load.
 *
 * The loop runs in a worker thread, with a heap of its own. In the runner's thread the runner's
 * own garbage collections (its heap holds the seeded rigs) stalled it for 20–50 ms at a time,
 * and every request due meanwhile counted the stall as the server's latency.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";

export interface PacedRequest {
	method: string;
	path: string;
	headers?: Record<string, string>;
	body?: string;
}

export interface PacedOptions {
	baseUrl: string;
	/** Requests per second. */
	rate: number;
	/** Seconds of sending. */
	seconds: number;
	/** Seconds before a request counts as failed. */
	timeoutS: number;
	/** Requests in flight at most (sockets); later ones wait for a socket, their wait counted in their latency. */
	maxInFlight: number;
	/** Beyond this many requests not yet answered, new ones are not sent but counted as dropped. */
	maxOutstanding: number;
	request(index: number): PacedRequest;
}

export interface PacedResult {
	/** `at`: when the request was due (performance.now()); `ms`: from then to the end of its response. */
	responses: { at: number; status: number; ms: number }[];
	/** Requests that got no response (connection error, timeout), or were dropped, by due time. */
	failures: { at: number; message: string }[];
	/** When sending began (performance.now()). */
	startedAt: number;
}

/** What the worker gets: the options, with every request built up front. */
export interface PacedLoop extends Omit<PacedOptions, "request" | "seconds"> {
	requests: PacedRequest[];
	/** The runner's performance.timeOrigin: the worker reports times on the runner's clock. */
	parentTimeOrigin: number;
}

export interface PacedRun {
	result: Promise<PacedResult>;
	stop(): void;
}

export function paced(options: PacedOptions): PacedRun {
	const { request, seconds, ...loop } = options;
	const requests = Array.from({ length: Math.floor(options.rate * seconds) }, (_, i) => request(i));
	const workerData: PacedLoop = { ...loop, requests, parentTimeOrigin: performance.timeOrigin };
	const worker = new Worker(path.join(__dirname, "pacer-loop.ts"), { workerData });
	const result = new Promise<PacedResult>((resolve, reject) => {
		worker.once("message", (r: PacedResult) => {
			resolve(r);
			void worker.terminate();
		});
		worker.once("error", reject);
		worker.once("exit", code => reject(new Error(`the pacer's worker exited (code ${code}) without a result`)));
	});
	return { result, stop: () => worker.postMessage("stop") };
}
