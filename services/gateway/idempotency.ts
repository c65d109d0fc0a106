import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Context, Errors, type ServiceBroker } from "moleculer";
import ApiGateway from "moleculer-web";
import { type AccessTokenKeys, verifyAccessToken } from "../../lib/access-token";
import type { IdempotencyMeta } from "../../lib/auth-types";
import type { CounterStore } from "../../lib/counter-store";
import { IdempotencyKeyReusedError } from "../../lib/errors";
import { sendBody } from "../../lib/send-response";

/** The parts of moleculer-web's route that run before an action: its rate limit and authentication. */
interface GuardedRoute {
	rateLimit?: {
		key(req: IncomingMessage): string | undefined | null;
		limit: number;
		headers?: boolean;
		store: { inc(key: string): Promise<number>; resetTime: number };
	};
	authentication?: (
		this: unknown,
		ctx: Context | undefined,
		route: GuardedRoute,
		req: IncomingMessage,
		res: ServerResponse
	) => Promise<unknown>;
}

type Req = IncomingMessage & {
	body?: unknown;
	originalUrl?: string;
	parsedUrl?: string;
	$route?: object;
	$ctx?: Context;
	$idempotency?: Omit<IdempotencyMeta, "action">;
};
type Next = (err?: Error) => void;

/** API.md: a write repeated with the same key and body within 24 h returns the first result. */
const REMEMBER_S = 24 * 3600;
/** A first request still running holds its key this long at most (its process may have died). */
const IN_PROGRESS_MS = 30_000;
export const SANE_KEY = /^[\w.:-]{1,128}$/;
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const BEARER = /^Bearer (.+)$/;
/**
 * Writes whose answers carry credentials (tokens, stream tickets): never kept nor replayed. A
 * retried refresh must meet reuse detection, not get the first answer's fresh token pair.
 * Matched on moleculer-web's normalised path, in any case, as its aliases match.
 */
const CREDENTIAL_PATHS = /^\/api\/(?:auth(?:\/|$)|notifications\/stream-ticket$)/i;
/**
 * Answers that depend on the moment, not on the request: credentials (401), permissions (403),
 * a conflict with the state of the time (409), the rate limit (429), and server faults (5xx).
 * A repeat runs again instead.
 */
/** Whether the gateway honours an Idempotency-Key on this method and `/api/…` path (the API document says so). */
export const honoursIdempotencyKey = (method: string, path: string) => WRITES.has(method) && !CREDENTIAL_PATHS.test(path);
const storable = (status: number) => status < 500 && status !== 401 && status !== 403 && status !== 409 && status !== 429;
/** Headers a replay repeats with the body. */
const KEPT_HEADERS = ["content-type", "location", "cache-control"];

interface StoredResponse {
	fingerprint: string;
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** `this` in a route middleware: the gateway service. */
interface Gateway {
	broker: ServiceBroker;
	tokens: AccessTokenKeys;
	counters: CounterStore;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * `Idempotency-Key` on writes, as Stripe and the IETF draft do it: the first answer (2xx, or a
 * 4xx that the same request would get again) is kept per caller and key, and a repeat with the
 * same method, path and body gets it again without running the action; the same key with
 * another request is 422, and a repeat while the first still runs is 409. Keys are per caller
 * (the token's user, else the client address), so nobody can read another's stored answer.
 *
 * A route middleware, so it runs before moleculer-web's rate limit and authentication (its order:
 * `use`, then rate limit, then `authenticate`). When it answers by itself (a replay, 422, 409) it
 * first runs the route's own rate limit and authentication, as they would have run: a replay is
 * counted, and needs a session that is still active. A request that goes on is counted and
 * authenticated by moleculer-web as usual. Written by hand: moleculer-web has no such feature.
 */
export function idempotency(clientAddress: (req: IncomingMessage) => string) {
	async function callerOf(tokens: AccessTokenKeys, req: Req): Promise<string> {
		const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
		const verified = token ? await verifyAccessToken(tokens, token) : undefined;
		return verified?.ok ? `user:${verified.user.id}` : `client:${clientAddress(req)}`;
	}

	/** What moleculer-web does before calling an action, for an answer given without calling one. */
	async function admit(this: Gateway, req: Req, res: ServerResponse) {
		const route = req.$route as GuardedRoute | undefined;
		const limit = route?.rateLimit;
		const key = limit?.key(req);
		if (limit && key) {
			const remaining = limit.limit - (await limit.store.inc(key));
			if (limit.headers) {
				res.setHeader("X-Rate-Limit-Limit", limit.limit);
				res.setHeader("X-Rate-Limit-Remaining", Math.max(0, remaining));
				res.setHeader("X-Rate-Limit-Reset", limit.store.resetTime);
			}
			if (remaining < 0) throw new ApiGateway.Errors.RateLimitExceeded("RATE_LIMIT_EXCEEDED");
		}
		if (route?.authentication) await route.authentication.call(this, req.$ctx, route, req, res);
	}

	async function handle(this: Gateway, req: Req, res: ServerResponse, next: Next) {
		const key = req.headers["idempotency-key"];
		if (!WRITES.has(req.method ?? "") || key === undefined) return next();
		if (typeof key !== "string" || !SANE_KEY.test(key)) {
			return next(
				new Errors.MoleculerClientError(
					"Idempotency-Key must be 1 to 128 letters, digits, '.', '_', ':' or '-'",
					400,
					"INVALID_IDEMPOTENCY_KEY"
				)
			);
		}
		if (CREDENTIAL_PATHS.test(req.parsedUrl ?? req.originalUrl ?? req.url ?? "")) return next();
		const cacher = this.broker.cacher;
		if (!cacher) return next();
		const counters = this.counters;
		const id = sha256(`${await callerOf(this.tokens, req)}\n${key}`);
		const storeKey = `idempotency:${id}`;
		const fingerprint = sha256(`${req.method} ${req.originalUrl ?? req.url}\n${JSON.stringify(req.body ?? null)}`);

		const stored = (await cacher.get(storeKey)) as StoredResponse | null;
		if (stored) {
			await admit.call(this, req, res);
			if (stored.fingerprint !== fingerprint) return next(new IdempotencyKeyReusedError());
			return sendBody(res, stored.status, { ...stored.headers, "Idempotent-Replayed": "true" }, stored.body);
		}
		if ((await counters.increment(`idempotency:${id}`, IN_PROGRESS_MS)).count > 1) {
			await admit.call(this, req, res);
			return next(
				new Errors.MoleculerClientError("A request with this Idempotency-Key is still running", 409, "IDEMPOTENCY_KEY_IN_USE", {
					retryAfter: 1
				})
			);
		}

		// The action's service records the key with its effect (mixins/db/keyed-writes.ts).
		req.$idempotency = { key: id, fingerprint };
		// Keep the answer before it leaves, so that a retry right after it finds it; then release the key.
		const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
		res.end = ((chunk?: unknown, ...rest: unknown[]) => {
			const keep = storable(res.statusCode)
				? cacher.set(
						storeKey,
						{
							fingerprint,
							status: res.statusCode,
							headers: Object.fromEntries(
								KEPT_HEADERS.flatMap(h => (res.getHeader(h) ? [[h, String(res.getHeader(h))]] : []))
							),
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
	}

	/** A route middleware: errors (401, 429, a cacher fault) go to `next`, never unhandled. */
	return function (this: Gateway, req: Req, res: ServerResponse, next: Next) {
		handle.call(this, req, res, next).catch((err: Error) => next(err));
	};
}
