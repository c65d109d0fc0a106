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
 */
import http from "node:http";

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

export interface PacedRun {
	result: Promise<PacedResult>;
	stop(): void;
}

export function paced(options: PacedOptions): PacedRun {
	const url = new URL(options.baseUrl);
	const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight });
	const responses: PacedResult["responses"] = [];
	const failures: PacedResult["failures"] = [];
	const pending = new Set<Promise<void>>();
	const intervalMs = 1000 / options.rate;
	const total = Math.floor(options.rate * options.seconds);
	const startedAt = performance.now();
	let next = 0;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let finishSending!: () => void;
	const sendingDone = new Promise<void>(resolve => (finishSending = resolve));

	const send = (index: number, at: number) => {
		if (pending.size >= options.maxOutstanding) {
			failures.push({ at, message: "dropped: too many requests outstanding" });
			return;
		}
		const r = options.request(index);
		const headers: Record<string, string | number> = { ...r.headers };
		if (r.body !== undefined) headers["content-length"] = Buffer.byteLength(r.body);
		const done = new Promise<void>(resolve => {
			const req = http.request(
				{ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers, timeout: options.timeoutS * 1000 },
				res => {
					res.resume();
					res.once("end", () => {
						responses.push({ at, status: res.statusCode ?? 0, ms: performance.now() - at });
						resolve();
					});
					res.once("error", err => {
						failures.push({ at, message: err.message });
						resolve();
					});
				}
			);
			req.once("timeout", () => req.destroy(new Error("timed out")));
			req.once("error", err => {
				failures.push({ at, message: err.message });
				resolve();
			});
			req.end(r.body);
		});
		pending.add(done);
		void done.then(() => pending.delete(done));
	};

	const tick = () => {
		if (stopped) return finishSending();
		const now = performance.now();
		while (next < total && startedAt + next * intervalMs <= now) {
			send(next, startedAt + next * intervalMs);
			next++;
		}
		if (next >= total) return finishSending();
		timer = setTimeout(tick, startedAt + next * intervalMs - now);
	};
	tick();

	const result = (async () => {
		await sendingDone;
		while (pending.size) await Promise.all([...pending]);
		agent.destroy();
		return { responses, failures, startedAt };
	})();

	return {
		result,
		stop() {
			stopped = true;
			clearTimeout(timer);
			finishSending();
			agent.destroy();
		}
	};
}
