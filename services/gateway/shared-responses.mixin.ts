import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import type { RequestMeta } from "../../lib/auth-types";
import { PURGE_EVENT } from "../../lib/http-cache";
import { ensureMetric } from "../../lib/metrics";
import { answeredAsProbe } from "./probes";
import { requestIdOf } from "./request-id";
import { type CachedResponse, ResponseCache } from "./response-cache";
import { ServedCounter } from "./served-counter";

type Req = IncomingMessage & { originalUrl?: string; $generation?: number; $action?: { name?: string } };
type HttpHandler = (this: unknown, req: Req, res: ServerResponse, next?: unknown) => Promise<void>;

/** What this mixin needs of a moleculer-web route: its rate limit and CORS, applied to copies too. */
interface ApiRoute {
	path: string;
	cors?: object;
	rateLimit?: {
		key(req: Req): string | null;
		limit: number;
		headers: boolean;
		store: { inc(key: string): Promise<number>; resetTime: number };
	};
}

interface SharedResponsesVars {
	responses: ResponseCache;
	/** When copies may be kept (see `unknownForMs`). */
	keepFrom: number;
	served: ServedCounter;
	/** moleculer-web's. */
	routes: ApiRoute[];
}

export interface SharedResponsesMethods {
	/** From the route's `onAfterCall`: drops what the call purged; keeps a shared answer, returned as its bytes. */
	takeAnswer(ctx: Context<unknown, RequestMeta>, req: Req, res: ServerResponse, data: unknown): unknown;
}

interface InternalMethods extends SharedResponsesMethods {
	httpHandler(req: Req, res: ServerResponse, next?: unknown): Promise<void>;
	serveCopy(req: Req, res: ServerResponse, copy: CachedResponse, next: unknown): Promise<void>;
	admitted(req: Req, res: ServerResponse): Promise<boolean>;
	encodeResponse(req: Req, res: ServerResponse, data: unknown): string | Buffer;
	/** moleculer-web's. */
	writeCorsHeaders(route: ApiRoute, req: Req, res: ServerResponse, preflight: boolean): void;
}

const JSON_TYPE = "application/json; charset=utf-8";
/** Clients may store a copy but revalidate it (If-None-Match) each time: freshness is decided here. */
const CACHE_CONTROL = "no-cache";
const HITS = "codelearn.http.cache.hits.total";
const MISSES = "codelearn.http.cache.misses.total";

/**
 * Serialised answers by the answer itself, for answers frozen all through (lib/deep-freeze.ts):
 * a cached value handed to every reader in one process is encoded once, not on each request.
 */
const encodedFrozen = new WeakMap<object, Buffer>();

const fullHandler = (ApiGateway as unknown as { methods: { httpHandler: HttpHandler } }).methods.httpHandler;

/** API GETs without credentials: the only requests a shared answer may serve. */
function anonymousApiGet(req: Req): boolean {
	return req.method === "GET" && req.headers.authorization === undefined && req.url!.startsWith("/api/");
}

/**
 * The gateway as an edge cache (lib/http-cache.ts): anonymous GETs of an answer it holds are
 * served before moleculer-web and the broker see them, with the `/api` route's rate limit and
 * CORS; so are the health probes (probes.ts); everything else takes the full path. Listed before
 * moleculer-web among the gateway's mixins, so that its `httpHandler` wins.
 */
export function SharedResponsesMixin(
	maxBytes: number,
	/**
	 * Keeps no copy this long after it starts: the other nodes learn of a new one at its first
	 * heartbeat, and until then their purges miss it, so a copy kept meanwhile could stay stale.
	 */
	unknownForMs: number
): Partial<ServiceSchema<ServiceSettingSchema, InternalMethods, SharedResponsesVars>> {
	return {
		events: {
			[PURGE_EVENT]: {
				params: { tags: { type: "array", items: { type: "string", max: 200 } } },
				handler(ctx: Context<{ tags: string[] }>) {
					this.responses.purge(ctx.params.tags);
				}
			}
		},

		methods: {
			httpHandler(req: Req, res: ServerResponse, next?: unknown) {
				if (answeredAsProbe(this.broker, req, res)) return Promise.resolve();
				if (!anonymousApiGet(req)) return fullHandler.call(this, req, res, next);
				const copy = this.responses.get(req.url!);
				if (copy) return this.serveCopy(req, res, copy, next);
				this.broker.metrics.increment(MISSES);
				req.$generation = this.responses.generation;
				return fullHandler.call(this, req, res, next);
			},

			async serveCopy(req: Req, res: ServerResponse, copy: CachedResponse, next: unknown) {
				// Over the limit, a refused origin, a failing limit store: the full path answers (429, 403, 503).
				if (!(await this.admitted(req, res).catch(() => false))) return fullHandler.call(this, req, res, next);
				this.broker.metrics.increment(HITS);
				if (copy.countServedAs) this.served.served(copy.countServedAs);
				res.setHeader("X-Request-ID", requestIdOf(req));
				if (req.headers["if-none-match"] === copy.etag) {
					res.writeHead(304, { ETag: copy.etag, "Cache-Control": CACHE_CONTROL });
					return void res.end();
				}
				res.writeHead(200, {
					"Content-Type": JSON_TYPE,
					"Content-Length": copy.body.length,
					ETag: copy.etag,
					"Cache-Control": CACHE_CONTROL
				});
				res.end(copy.body);
			},

			/** The `/api` route's rate limit and CORS check, as moleculer-web applies them, headers included. */
			async admitted(req: Req, res: ServerResponse): Promise<boolean> {
				const route = this.routes.find(r => r.path === "/api")!;
				if (route.cors && req.headers.origin) this.writeCorsHeaders(route, req, res, false);
				const limit = route.rateLimit;
				const key = limit?.key(req);
				if (!limit || !key) return true;
				const remaining = limit.limit - (await limit.store.inc(key));
				if (remaining < 0) return false;
				if (limit.headers) {
					res.setHeader("X-Rate-Limit-Limit", limit.limit);
					res.setHeader("X-Rate-Limit-Remaining", remaining);
					res.setHeader("X-Rate-Limit-Reset", limit.store.resetTime);
				}
				return true;
			},

			/** moleculer-web's JSON encoding, once per frozen answer. */
			encodeResponse(_req: Req, _res: ServerResponse, data: unknown): string | Buffer {
				if (!data || typeof data !== "object" || !Object.isFrozen(data)) return JSON.stringify(data);
				let bytes = encodedFrozen.get(data);
				if (!bytes) encodedFrozen.set(data, (bytes = Buffer.from(JSON.stringify(data))));
				return bytes;
			},

			takeAnswer(ctx: Context<unknown, RequestMeta>, req: Req, res: ServerResponse, data: unknown) {
				const { $purgedTags, $sharedResponse } = ctx.meta;
				if ($purgedTags) this.responses.purge($purgedTags);
				const generation = req.$generation;
				if (
					!$sharedResponse ||
					$sharedResponse.action !== req.$action?.name ||
					generation === undefined ||
					Date.now() < this.keepFrom
				) {
					// Anything not marked shared may be the caller's own (tokens, profiles, drafts): never stored.
					res.setHeader("Cache-Control", "no-store");
					return data;
				}
				const copy = this.responses.keep(req.originalUrl ?? req.url!, data, $sharedResponse, generation);
				res.setHeader("ETag", copy.etag);
				res.setHeader("Cache-Control", CACHE_CONTROL);
				(ctx.meta as { $responseType?: string }).$responseType = JSON_TYPE;
				return copy.body;
			}
		},

		created() {
			this.responses = new ResponseCache(maxBytes);
			ensureMetric(this.broker, HITS, "counter", "Anonymous API GETs answered from the gateway's copy", []);
			ensureMetric(this.broker, MISSES, "counter", "Anonymous API GETs that took the full path", []);
			// Scraped from the start, not from the first hit: a ratio needs both series.
			for (const name of [HITS, MISSES]) this.broker.metrics.increment(name, {}, 0);
		},

		started() {
			this.keepFrom = Date.now() + unknownForMs;
			this.served = new ServedCounter(
				(event, counts) => this.broker.emit(event, counts),
				err => this.logger.warn("Could not report answers served from copies", err)
			);
		},

		async stopped() {
			await this.served?.stop();
			this.responses.clear();
		}
	};
}
