/**
 * Exact HTTP for hostile requests: the path is sent as written (fetch would normalise `..` and
 * re-encode), the body as the given text, and the time to the last byte of the answer is kept.
 * Also the poller that measures `/health/live` while the hostile requests run.
 */
import http from "node:http";
import { Worker } from "node:worker_threads";

export interface Answer {
	status: number;
	contentType: string;
	text: string;
	ms: number;
	/** Set when no HTTP answer came (connection closed, timeout). */
	error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** Sends one request; never throws. Bodies of event streams are not waited for. */
export function send(baseUrl: string, method: string, path: string, options: { body?: string; token?: string; timeoutMs?: number } = {}): Promise<Answer> {
	const url = new URL(baseUrl);
	const headers: Record<string, string> = {};
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	if (options.body !== undefined) {
		headers["content-type"] = "application/json";
		headers["content-length"] = String(Buffer.byteLength(options.body));
	}
	const started = performance.now();
	return new Promise<Answer>(resolve => {
		const done = (answer: Omit<Answer, "ms">) => resolve({ ...answer, ms: performance.now() - started });
		let req: http.ClientRequest;
		try {
			req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent, timeout: options.timeoutMs ?? 5000 }, res => {
				const contentType = String(res.headers["content-type"] ?? "");
				const status = res.statusCode ?? 0;
				if (contentType.startsWith("text/event-stream")) {
					res.destroy();
					return done({ status, contentType, text: "(event stream)" });
				}
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () => done({ status, contentType, text: Buffer.concat(chunks).toString("utf8") }));
				res.on("error", err => done({ status, contentType, text: Buffer.concat(chunks).toString("utf8"), error: err.message }));
			});
		} catch (err) {
			return done({ status: 0, contentType: "", text: "", error: `not sent: ${(err as Error).message}` });
		}
		req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`)));
		req.on("error", err => done({ status: 0, contentType: "", text: "", error: err.message }));
		req.end(options.body);
	});
}

/**
 * The poller's loop, run in a worker thread: its own event loop and heap, so that the suite's
 * own work (building 100 kB cases, reading fingerprints, garbage collection) is not counted as
 * the platform's latency. Plain JavaScript, so the worker needs no TypeScript loader.
 */
const POLLER_SOURCE = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const { urls, everyMs, slowMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const samples = [], slow = [], failures = [];
let current = "", running = true;
parentPort.on("message", m => {
	if (m.current !== undefined) current = m.current;
	if (m.count) parentPort.postMessage({ count: samples.length });
	if (m.stop) running = false;
});
function probe(url) {
	const started = performance.now();
	return new Promise(resolve => {
		const req = http.get(url, { agent, timeout: 2000 }, res => {
			res.resume();
			res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode }));
		});
		req.on("timeout", () => req.destroy(new Error("no answer within 2000 ms")));
		req.on("error", err => resolve({ ms: performance.now() - started, status: 0, error: err.message }));
	});
}
(async () => {
	while (running) {
		for (const url of urls) {
			const during = current;
			const { ms, status, error } = await probe(url);
			samples.push(ms);
			if (ms >= slowMs) slow.push(Math.round(ms) + " ms " + url + " during " + (during || current || "(between cases)"));
			if (status !== 200) failures.push(url + ": " + (status || error));
		}
		await new Promise(resolve => setTimeout(resolve, everyMs));
	}
	agent.destroy();
	parentPort.postMessage({ samples, slow, failures });
})();
`;

export interface HealthStats {
	max: number;
	p99: number;
	count: number;
	/** Probes slower than the threshold, with what was being sent meanwhile. */
	slow: string[];
	failures: string[];
}

/** Latencies of `/health/live` on each URL, polled one after another until stopped. */
export class HealthPoller {
	private readonly worker: Worker;
	private readonly result: Promise<{ samples: number[]; slow: string[]; failures: string[] }>;
	private counted?: (count: number) => void;

	constructor(urls: string[], everyMs = 20, slowMs = 50) {
		this.worker = new Worker(POLLER_SOURCE, { eval: true, workerData: { urls, everyMs, slowMs } });
		this.result = new Promise((resolve, reject) => {
			this.worker.on("message", message => {
				if (message.samples) resolve(message);
				else this.counted?.(message.count);
			});
			this.worker.once("error", reject);
		});
	}

	/** What is being sent now, for the record of slow probes ("" between cases). */
	set current(label: string) {
		this.worker.postMessage({ current: label });
	}

	/** How many probes have been answered so far. */
	count(): Promise<number> {
		return new Promise(resolve => {
			this.counted = resolve;
			this.worker.postMessage({ count: true });
		});
	}

	async stop(): Promise<HealthStats> {
		this.worker.postMessage({ stop: true });
		const { samples, slow, failures } = await this.result;
		await this.worker.terminate();
		const sorted = [...samples].sort((a, b) => a - b);
		const p99 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] : 0;
		return { max: sorted.at(-1) ?? 0, p99, count: sorted.length, slow, failures };
	}
}
