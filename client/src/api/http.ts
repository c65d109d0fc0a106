import { ApiError } from "./errors";
import { loadTokens, saveTokens, type Tokens } from "./tokens";

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
	query?: Query;
	body?: unknown;
	signal?: AbortSignal;
	/** Sent as Idempotency-Key: one per thing the person meant to do, so a retry does it once. */
	idempotencyKey?: string;
}

let tokens: Tokens | null = loadTokens();
const listeners = new Set<(signedIn: boolean) => void>();

/** Called when the session starts or ends (sign-in, logout, a refresh the server refused). */
export function onSessionChange(listener: (signedIn: boolean) => void) {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function setTokens(next: Tokens | null) {
	tokens = next;
	saveTokens(next);
	for (const listener of listeners) listener(next !== null);
}

export const hasSession = () => tokens !== null;

function url(path: string, query?: Query) {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query ?? {}))
		if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
	const search = params.toString();
	return `/api${path}${search ? `?${search}` : ""}`;
}

async function errorOf(res: Response): Promise<ApiError> {
	const retryAfter = Number(res.headers.get("Retry-After")) || undefined;
	try {
		const body = (await res.json()) as { message?: string; type?: string; data?: unknown };
		const details = Array.isArray(body.data) ? (body.data as { field?: string; message?: string }[]) : [];
		return new ApiError(res.status, body.type ?? "ERROR", body.message ?? res.statusText, details, retryAfter);
	} catch {
		return new ApiError(res.status, "ERROR", res.statusText || "Request failed", [], retryAfter);
	}
}

async function send(method: string, path: string, options: RequestOptions, access = tokens?.accessToken): Promise<Response> {
	const headers: Record<string, string> = { Accept: "application/json" };
	if (access) headers.Authorization = `Bearer ${access}`;
	if (options.body !== undefined) headers["Content-Type"] = "application/json";
	if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
	try {
		return await fetch(url(path, options.query), {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: options.signal
		});
	} catch (err) {
		if ((err as Error).name === "AbortError") throw err;
		throw new ApiError(0, "OFFLINE", "The server cannot be reached");
	}
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time, however many calls found the access token expired: refresh tokens are single use. */
function refreshSession(): Promise<boolean> {
	refreshing ??= (async () => {
		const spent = tokens;
		if (!spent) return false;
		const res = await send("POST", "/auth/refresh", { body: { refreshToken: spent.refreshToken } }, "");
		if (tokens !== spent) return tokens !== null; // signed out or in again meanwhile
		if (!res.ok) {
			// Refused (expired, revoked): the session is over. A server error keeps it for the next try.
			if (res.status === 400 || res.status === 401 || res.status === 422) setTokens(null);
			return false;
		}
		const fresh = (await res.json()) as Tokens;
		setTokens({ accessToken: fresh.accessToken, refreshToken: fresh.refreshToken });
		return true;
	})().finally(() => (refreshing = null));
	return refreshing;
}

/** Calls the API: JSON in and out, the access token refreshed silently when it has expired. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
	let res = await send(method, path, options);
	if (res.status === 401 && tokens) {
		const error = await errorOf(res.clone());
		if (error.type === "TOKEN_EXPIRED" && (await refreshSession())) res = await send(method, path, options);
		else if (error.type === "TOKEN_EXPIRED" || error.type === "INVALID_TOKEN" || error.type === "SESSION_ENDED") setTokens(null);
	}
	if (!res.ok) throw await errorOf(res);
	return (res.status === 204 ? undefined : await res.json()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>("GET", path, { query, signal });
