import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors, type ServiceBroker } from "moleculer";
import { type AccessTokenKeys, verifyAccessToken } from "../../lib/access-token";
import type { CounterStore } from "../../lib/counter-store";

type Req = IncomingMessage & { body?: unknown; originalUrl?: string };
type Next = (err?: Error) => void;

/** API.md: a write repeated with the same key and body within 24 h returns the first result. */
const REMEMBER_S = 24 * 3600;
/** A first request still running holds its key this long at most (its process may have died). */
const IN_PROGRESS_MS = 30_000;
const SANE_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const BEARER = /^Bearer (.+)$/;

interface StoredResponse {
	fingerprint: string;
	status: number;
	headers: Record<string, string>;
	body: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * `Idempotency-Key` on writes, as Stripe and the IETF draft do it: the first response (2xx or
 * 4xx; a 5xx may be retried) is kept per caller and key, and a repeat with the same method,
 * path and body gets it again without running the action; the same key with another request
 * is 422, and a repeat while the first still runs is 409. Keys are per caller (the verified
 * token's user, else the client address), so nobody can read another's stored response.
 * Written by hand: moleculer-web has no such feature and no maintained middleware fits it.
 */
export function idempotency(clientAddress: (req: IncomingMessage) => string) {
	async function callerOf(tokens: AccessTokenKeys, req: Req): Promise<string> {
		const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
		const verified = token ? await verifyAccessToken(tokens, token) : undefined;
		return verified?.ok ? `user:${verified.user.id}` : `client:${clientAddress(req)}`;
	}

	/** A route middleware: `this` is the gateway service, with its token keys and counter store. */
	return async function (this: { broker: ServiceBroker; tokens: AccessTokenKeys; counters: CounterStore }, req: Req, res: ServerResponse, next: Next) {
		const key = req.headers["idempotency-key"];
		if (!WRITES.has(req.method ?? "") || key === undefined) return next();
		if (typeof key !== "string" || !SANE_KEY.test(key)) {
			return next(new Errors.MoleculerClientError("Idempotency-Key must be 1 to 128 letters, digits, '.', '_', ':' or '-'", 400, "INVALID_IDEMPOTENCY_KEY"));
		}
		const cacher = this.broker.cacher;
		if (!cacher) return next();
		const counters = this.counters;
		const id = sha256(`${await callerOf(this.tokens, req)}\n${key}`);
		const storeKey = `idempotency:${id}`;
		const fingerprint = sha256(`${req.method} ${req.originalUrl ?? req.url}\n${JSON.stringify(req.body ?? null)}`);

		const stored = (await cacher.get(storeKey)) as StoredResponse | null;
		if (stored) {
			if (stored.fingerprint !== fingerprint) {
				return next(new Errors.MoleculerClientError("This Idempotency-Key was used for another request", 422, "IDEMPOTENCY_KEY_REUSED"));
			}
			res.writeHead(stored.status, { ...stored.headers, "Idempotent-Replayed": "true" });
			return void res.end(stored.body);
		}
		if ((await counters.increment(`idempotency:${id}`, IN_PROGRESS_MS)).count > 1) {
			return next(new Errors.MoleculerClientError("A request with this Idempotency-Key is still running", 409, "IDEMPOTENCY_KEY_IN_USE", { retryAfter: 1 }));
		}

		// Keep the response before it leaves, so that a retry right after it finds it; then release the key.
		const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
		res.end = ((chunk?: unknown, ...rest: unknown[]) => {
			const keep =
				res.statusCode < 500
					? cacher.set(
							storeKey,
							{
								fingerprint,
								status: res.statusCode,
								headers: Object.fromEntries(["content-type", "location"].flatMap(h => (res.getHeader(h) ? [[h, String(res.getHeader(h))]] : []))),
								body: chunk === undefined ? "" : String(chunk)
							} satisfies StoredResponse,
							REMEMBER_S
						)
					: Promise.resolve();
			void keep
				.catch(() => {})
				.then(() => end(chunk, ...rest))
				.finally(() => counters.reset(`idempotency:${id}`).catch(() => {}));
			return res;
		}) as ServerResponse["end"];
		next();
	};
}
