/**
 * The platform's public HTTP API, as the seed uses it: JSON in and out, a bearer token when acting
 * as someone, and patience where the platform asks for it.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";

/** Longest Retry-After the seed waits out; past it, raising the limit beats waiting (RATE_LIMIT_MAX). */
const MAX_WAIT_S = 15;
const MAX_ATTEMPTS = 5;

export class ApiError extends Error {
	override name = "ApiError";

	constructor(
		readonly status: number,
		readonly body: unknown,
		request: string
	) {
		const error = body as { type?: string; message?: string; data?: unknown } | null;
		const detail = error?.message ? `${error.type ?? ""} ${error.message}`.trim() : JSON.stringify(body);
		const fields = error?.data ? ` ${JSON.stringify(error.data)}` : "";
		super(`${request} answered ${status}: ${detail}${fields}`);
	}
}

export interface Call {
	token?: string;
	body?: unknown;
}

export type Api = <T = unknown>(method: string, path: string, call?: Call) => Promise<T>;

/** A `GET` whose status is the answer (a 404 says "nobody by that name"), with the server's clock. */
export type Probe = (path: string) => Promise<Answer>;

interface Answer {
	status: number;
	body: unknown;
	/** The response's `Date`: the server's clock, to a second. */
	date: Date | null;
}

function comeBackSoon(status: number, body: unknown): boolean {
	return status === 429 || status === 503 || (status === 409 && (body as { type?: string } | null)?.type === "IDEMPOTENCY_KEY_IN_USE");
}

function retryAfterS(res: Response): number {
	const seconds = Number(res.headers.get("retry-after"));
	return Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}

async function send(baseUrl: string, method: string, path: string, call: Call, idempotencyKey: string | null): Promise<Response> {
	const headers: Record<string, string> = { accept: "application/json" };
	if (call.token) headers.authorization = `Bearer ${call.token}`;
	if (call.body !== undefined) headers["content-type"] = "application/json";
	if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
	return fetch(new URL(path, baseUrl), { method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) });
}

async function readBody(res: Response): Promise<unknown> {
	const text = await res.text();
	if (!text) return null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export function apiClient(baseUrl: string): { api: Api; probe: Probe } {
	/** One request, again after an answer that says to come back soon (429, 503, a key still in use). */
	async function attempt(method: string, path: string, call: Call): Promise<Answer> {
		// One key for every attempt of a signed-in write: a retry must not create the thing twice.
		const idempotencyKey = method !== "GET" && call.token ? randomUUID() : null;
		for (let tries = 1; ; tries++) {
			const res = await send(baseUrl, method, path, call, idempotencyKey);
			const body = await readBody(res);
			const wait = retryAfterS(res);
			if (comeBackSoon(res.status, body) && tries < MAX_ATTEMPTS && wait <= MAX_WAIT_S) {
				await delay(wait * 1000);
				continue;
			}
			const date = res.headers.get("date");
			return { status: res.status, body, date: date ? new Date(date) : null };
		}
	}

	const api: Api = async <T>(method: string, path: string, call: Call = {}) => {
		const { status, body } = await attempt(method, path, call);
		if (status >= 400) throw new ApiError(status, body, `${method} ${path}`);
		return body as T;
	};
	return { api, probe: path => attempt("GET", path, {}) };
}
