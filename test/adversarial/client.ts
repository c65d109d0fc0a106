/**
 * Exact HTTP for hostile requests: the path is sent as written (fetch would normalise `..` and
 * re-encode), the body as the given text, and the time to the last byte of the answer is kept.
 * Also the poller that measures `/health/live` while the hostile requests run.
 */
import http from "node:http";
import { setTimeout as delay } from "node:timers/promises";

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

/** Latencies of `/health/live` on each URL, polled one after another until stopped. */
export class HealthPoller {
	readonly samples: number[] = [];
	readonly failures: string[] = [];
	/** Probes slower than `slowMs`, with what was being sent meanwhile. */
	readonly slow: string[] = [];
	/** Set by the caller: what is being sent now, for the record of slow probes. */
	current = "";
	private running = true;
	private readonly loop: Promise<void>;

	constructor(urls: string[], everyMs = 20, slowMs = 50) {
		this.loop = (async () => {
			while (this.running) {
				for (const url of urls) {
					const { origin, pathname } = new URL(url);
					const answer = await send(origin, "GET", pathname, { timeoutMs: 2000 });
					this.samples.push(answer.ms);
					if (answer.ms >= slowMs) this.slow.push(`${Math.round(answer.ms)} ms ${url} during ${this.current || "(between cases)"}`);
					if (answer.status !== 200) this.failures.push(`${url}: ${answer.status || answer.error}`);
				}
				await delay(everyMs);
			}
		})();
	}

	async stop(): Promise<{ max: number; p99: number; count: number }> {
		this.running = false;
		await this.loop;
		const sorted = [...this.samples].sort((a, b) => a - b);
		const p99 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] : 0;
		return { max: sorted.at(-1) ?? 0, p99, count: sorted.length };
	}
}
