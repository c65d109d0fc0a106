/**
 * The judge scenario's client side: JSON requests over keep-alive sockets (hundreds a second: a
 * fetch() each would cost the runner CPU the judges need on this machine), and the submitters'
 * notification streams, which time each submission's first progress frame and its verdict frame.
 */
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** Tries to open a stream that ended, 250 ms apart. */
const REOPEN_TRIES = 40;

export interface Answer {
	status: number;
	text: string;
}

export class JudgeApi {
	private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	private readonly url: URL;

	constructor(readonly baseUrl: string) {
		this.url = new URL(baseUrl);
	}

	request(method: string, path: string, token?: string, body?: unknown, timeoutMs = 60_000): Promise<Answer> {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const headers: Record<string, string | number> = {};
		if (token) headers.authorization = `Bearer ${token}`;
		if (payload !== undefined) {
			headers["content-type"] = "application/json";
			headers["content-length"] = Buffer.byteLength(payload);
		}
		return new Promise((resolve, reject) => {
			const req = http.request(
				{ agent: this.agent, host: this.url.hostname, port: this.url.port, method, path, headers, timeout: timeoutMs },
				res => {
					const chunks: Buffer[] = [];
					res.on("data", (chunk: Buffer) => chunks.push(chunk));
					res.once("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
					res.once("error", reject);
				}
			);
			req.once("timeout", () => req.destroy(new Error("timed out")));
			req.once("error", reject);
			req.end(payload);
		});
	}

	close(): void {
		this.agent.destroy();
	}
}

/** What a submitter's stream showed of one submission, on the runner's performance clock. */
export interface Seen {
	/** The first `event: submission` frame: the judge took it (status compiling). */
	firstAt: number;
	doneAt?: number;
	verdict?: string;
}

/** One stream per submitter, open for the whole scenario; a stream that ends is opened again. */
export class ProgressStreams {
	readonly seen = new Map<string, Seen>();
	onDone: (id: string, verdict: string | undefined) => void = () => {};
	private readonly requests = new Set<http.ClientRequest>();
	private closed = false;

	constructor(private readonly api: JudgeApi) {}

	/** Resolves once the gateway has registered every stream (its first bytes came): no frame is lost after that. */
	async connect(tokens: string[]): Promise<void> {
		await Promise.all(tokens.map(token => this.open(token)));
	}

	close(): void {
		this.closed = true;
		for (const req of this.requests) req.destroy();
		this.requests.clear();
	}

	private async open(token: string): Promise<void> {
		const answer = await this.api.request("POST", "/api/notifications/stream-ticket", token, {});
		if (answer.status !== 200) throw new Error(`POST /api/notifications/stream-ticket: ${answer.status} ${answer.text.slice(0, 300)}`);
		const { ticket } = JSON.parse(answer.text) as { ticket: string };
		const url = new URL(`/api/notifications/stream?ticket=${encodeURIComponent(ticket)}`, this.api.baseUrl);
		await new Promise<void>((resolve, reject) => {
			let registered = false;
			const req = http.get(url, { agent: false }, res => {
				if (res.statusCode !== 200) {
					res.resume();
					reject(new Error(`GET /api/notifications/stream: ${res.statusCode}`));
					return;
				}
				let buffer = "";
				res.setEncoding("utf8");
				res.on("data", (chunk: string) => {
					const at = performance.now();
					registered = true;
					resolve();
					buffer += chunk;
					for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
						this.frame(buffer.slice(0, end), at);
						buffer = buffer.slice(end + 2);
					}
				});
				res.once("close", () => this.reopen(req, token, registered));
			});
			req.once("error", err => {
				if (!registered) reject(err);
				this.reopen(req, token, registered);
			});
			this.requests.add(req);
		});
	}

	/** Frames missed meanwhile are found by the load's polling of old submissions. */
	private reopen(req: http.ClientRequest, token: string, registered: boolean): void {
		if (!this.requests.delete(req) || this.closed || !registered) return;
		void this.retry(token);
	}

	private async retry(token: string): Promise<void> {
		for (let i = 0; i < REOPEN_TRIES && !this.closed; i++) {
			await sleep(250);
			try {
				return await this.open(token);
			} catch {
				// The gateway is busy: try again.
			}
		}
	}

	private frame(text: string, at: number): void {
		let event = "";
		let data = "";
		for (const line of text.split("\n")) {
			if (line.startsWith("event: ")) event = line.slice(7);
			else if (line.startsWith("data: ")) data += line.slice(6);
		}
		if (event !== "submission") return;
		const progress = JSON.parse(data) as { submissionId: string; status: string; verdict?: string };
		let seen = this.seen.get(progress.submissionId);
		if (!seen) this.seen.set(progress.submissionId, (seen = { firstAt: at }));
		if (progress.status !== "done" || seen.doneAt !== undefined) return;
		seen.doneAt = at;
		seen.verdict = progress.verdict;
		this.onDone(progress.submissionId, progress.verdict);
	}
}
