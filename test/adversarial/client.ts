/**
 * Exact HTTP for hostile requests: the path is sent as written (fetch would normalise `..` and
 * re-encode), the body as the given text or bytes (an upload), with a Content-Length that may
 * lie or none at all (chunked), and the time to the last byte of the answer is kept.
 * Also the poller that measures `/health/live` while the hostile requests run.
 */
import http from "node:http";
import net from "node:net";
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

export interface SendOptions {
	/** JSON text, or the bytes of an upload. */
	body?: string | Uint8Array;
	/** The body's Content-Type: JSON unless given. */
	contentType?: string;
	token?: string;
	/**
	 * Extra headers as byte strings (one character per byte); an array is sent as repeated lines.
	 * They win over the ones derived from the body: a case may send a Content-Length that lies.
	 */
	headers?: Record<string, string | string[]>;
	/** No Content-Length: the body goes chunked. */
	chunked?: boolean;
	/**
	 * On a socket of its own (`Connection: close`): for a Content-Length that lies, which the server
	 * may answer before the body it announces has come (a pooled connection would be left mid-request).
	 */
	raw?: boolean;
	timeoutMs?: number;
}

/** What `http.request` lets through in a header value; anything else goes over a raw socket. */
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Sends one request; never throws. Bodies of event streams are not waited for. */
export function send(baseUrl: string, method: string, path: string, options: SendOptions = {}): Promise<Answer> {
	const url = new URL(baseUrl);
	const headers: Record<string, string | string[]> = {};
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	if (options.body !== undefined) {
		headers["content-type"] = options.contentType ?? "application/json";
		if (options.chunked) headers["transfer-encoding"] = "chunked";
		else headers["content-length"] = String(Buffer.byteLength(options.body));
	}
	Object.assign(headers, options.headers);
	if (
		options.raw ||
		Object.values(headers)
			.flat()
			.some(value => !SENDABLE.test(value))
	)
		return sendRaw(url, method, path, headers, options);
	const started = performance.now();
	return new Promise<Answer>(resolve => {
		const done = (answer: Omit<Answer, "ms">) => resolve({ ...answer, ms: performance.now() - started });
		let req: http.ClientRequest;
		try {
			req = http.request(
				{ host: url.hostname, port: url.port, method, path, headers, agent, timeout: options.timeoutMs ?? 5000 },
				res => {
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
				}
			);
		} catch (err) {
			return done({ status: 0, contentType: "", text: "", error: `not sent: ${(err as Error).message}` });
		}
		req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`)));
		req.on("error", err => done({ status: 0, contentType: "", text: "", error: err.message }));
		req.end(options.body);
	});
}

/**
 * The request as bytes on a socket of its own (`Connection: close`), for header values Node's
 * client refuses to write (control characters): the server's parser has to refuse them. The
 * answer is read to the end of the connection and parsed here.
 */
function sendRaw(
	url: URL,
	method: string,
	path: string,
	headers: Record<string, string | string[]>,
	options: SendOptions
): Promise<Answer> {
	const lines = [`${method} ${path} HTTP/1.1`, `Host: ${url.host}`, "Connection: close"];
	for (const [name, value] of Object.entries(headers)) for (const one of [value].flat()) lines.push(`${name}: ${one}`);
	const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
	const timeoutMs = options.timeoutMs ?? 5000;
	const started = performance.now();
	return new Promise<Answer>(resolve => {
		let settled = false;
		const done = (answer: Omit<Answer, "ms">) => {
			if (settled) return;
			settled = true;
			socket.destroy();
			resolve({ ...answer, ms: performance.now() - started });
		};
		const chunks: Buffer[] = [];
		const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => {
			const body = options.body;
			socket.write(
				body === undefined ? head : Buffer.concat([head, typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body)])
			);
		});
		socket.setTimeout(timeoutMs, () => done({ status: 0, contentType: "", text: "", error: `no answer within ${timeoutMs} ms` }));
		socket.on("data", (chunk: Buffer) => chunks.push(chunk));
		socket.on("error", err => done({ status: 0, contentType: "", text: "", error: err.message }));
		socket.on("close", () => done(parseAnswer(Buffer.concat(chunks))));
	});
}

/** Status, content type and body of a whole HTTP/1.1 answer (chunked or not). */
function parseAnswer(bytes: Buffer): Omit<Answer, "ms"> {
	const end = bytes.indexOf("\r\n\r\n");
	if (end < 0)
		return { status: 0, contentType: "", text: bytes.toString("latin1"), error: "the connection closed without a complete answer" };
	const [statusLine, ...headerLines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
	const header = (name: string) =>
		headerLines
			.find(line => line.toLowerCase().startsWith(`${name}:`))
			?.slice(name.length + 1)
			.trim() ?? "";
	let body = bytes.subarray(end + 4);
	if (header("transfer-encoding").toLowerCase() === "chunked") {
		const parts: Buffer[] = [];
		for (let at = 0; at < body.length;) {
			const lineEnd = body.indexOf("\r\n", at);
			const size = parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
			if (!(size > 0)) break;
			parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
			at = lineEnd + 2 + size + 2;
		}
		body = Buffer.concat(parts);
	} else if (header("content-length")) {
		body = body.subarray(0, Number(header("content-length")));
	}
	return { status, contentType: header("content-type"), text: body.toString("utf8") };
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
