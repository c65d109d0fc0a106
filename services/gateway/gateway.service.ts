import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ActionEndpoint, Context, Errors, ServiceSchema } from "moleculer";
import ApiGateway, { type ApiRouteSchema, type ApiSettingsSchema } from "moleculer-web";
import type { Config } from "../../config";
import { accessTokenKeys, type AccessTokenKeys, signAccessToken, type TokenKind, verifyAccessToken } from "../../lib/access-token";
import type { AuthUser, IdempotencyMeta, RequestMeta } from "../../lib/auth-types";
import { createCounterStore, type CounterStore } from "../../lib/counter-store";
import { UnauthorizedError } from "../../lib/errors";
import { clientAddressResolver } from "./client-address";
import { answerClientError } from "./client-errors";
import { docsRoute } from "./docs-page";
import { toErrorResponse } from "./error-response";
import { openApiRoute } from "./openapi";
import { RateLimitStore, type RateLimitStoreOptions } from "./rate-limit-store";
import { idempotency } from "./idempotency";
import { requireJsonBody, safeRequestInput } from "./request-guards";
import { requestIdOf } from "./request-id";
import { SharedResponsesMixin, type SharedResponsesMethods } from "./shared-responses.mixin";
import { call } from "../contracts";
import type { SubmissionProgress } from "../judge/judge.contract";
import type { NotificationCreatedEvent, StoredNotification } from "../notifications/notifications.contract";
import { NotificationStreams } from "./notification-streams";
import { type RouteTable, whitelistOf } from "./routes";
import { UPLOADS, uploadRoute } from "./upload-routes";
import { webClientRoute } from "./web-client";
import { sendJson } from "../../lib/send-response";

type Req = IncomingMessage & { $ctx?: Context<unknown, RequestMeta>; query?: Record<string, unknown> };
/** A request after moleculer-web resolved its action, with the key the idempotency middleware found. */
type KeyedReq = Req & {
	$idempotency?: Omit<IdempotencyMeta, "action">;
	$action?: { name?: string };
	$endpoint?: unknown;
};

interface GatewayMethods {
	callAction(route: { callOptions?: object }, actionName: string, req: Req, res: ServerResponse, ...rest: unknown[]): Promise<unknown>;
	authenticate(ctx: Context<unknown, RequestMeta>, route: unknown, req: Req): Promise<AuthUser | null>;
	caller(token: string, kind: TokenKind): Promise<AuthUser>;
	openNotificationStream(req: Req, res: ServerResponse): Promise<void>;
	spendTicket(ticket: string): Promise<void>;
}

interface GatewayVars {
	server: Server;
	tokens: AccessTokenKeys;
	counters: CounterStore;
	streams: NotificationStreams;
	routes: { rateLimit?: { store?: RateLimitStore } }[];
}

/** moleculer-web's own, which the gateway's `callAction` wraps. */
const callAction = (ApiGateway.methods as { callAction: (this: unknown, ...args: unknown[]) => Promise<unknown> }).callAction;

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** moleculer-web's `logging` on every route: off, it skips a response line's formatting too. */
const withRequestLines = (logging: boolean, routes: ApiRouteSchema[]): ApiRouteSchema[] => routes.map(route => ({ logging, ...route }));

/**
 * The HTTP entry point: API.md's routes over explicit aliases, nothing else. `routes` is the table
 * built from the `http` keys of every service's actions (services/index.ts).
 */
export function gatewayService(c: Config, routes: RouteTable): ServiceSchema<ApiSettingsSchema, GatewayMethods, GatewayVars> {
	const clientAddress = clientAddressResolver(c.http.trustProxy);
	const requestLines = c.logLevel === "debug" || c.logLevel === "trace";
	// Per client, in Redis in a cluster; a fresh object per route, since each route keeps its own store.
	const apiRateLimit = () => ({
		window: c.rateLimit.windowMs,
		limit: c.rateLimit.max,
		headers: true,
		key: clientAddress,
		StoreFactory: RateLimitStore,
		...({ redisUrl: c.cacher, prefix: `${c.namespace}:ratelimit:` } satisfies RateLimitStoreOptions)
	});
	return {
		name: "gateway",
		// SharedResponsesMixin first: its httpHandler answers from copies before moleculer-web's runs.
		mixins: [
			SharedResponsesMixin(c.http.cacheMaxBytes, c.transporter ? c.heartbeatTimeoutS * 1000 : 0) as Partial<ServiceSchema>,
			ApiGateway as unknown as Partial<ServiceSchema>
		],

		actions: {
			// Every HTTP request is one call of `rest`: a bulkhead or breaker there would put all routes
			// (health probes included) behind the slowest one. Limits live on the actions it calls.
			rest: { bulkhead: { enabled: false }, circuitBreaker: { enabled: false } },
			// moleculer-web's route-changing actions: any node of the cluster could add a route with them.
			addRoute: false,
			removeRoute: false,
			listAliases: false,

			/** A one-minute ticket for `GET /api/notifications/stream?ticket=…` (EventSource sends no headers). */
			streamTicket: {
				http: "POST /notifications/stream-ticket",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: {
					$$strict: true,
					ticket: { type: "string", max: 2048 },
					expiresIn: { type: "number", integer: true, positive: true }
				},
				async handler(ctx: Context<unknown, RequestMeta>): Promise<{ ticket: string; expiresIn: number }> {
					return { ticket: await signAccessToken(this.tokens, ctx.meta.user!, "stream"), expiresIn: 60 };
				}
			}
		},

		events: {
			/** Notifications just created: written to the streams of their recipients open on this node. */
			"notification.created"(ctx: Context<NotificationCreatedEvent>) {
				this.streams.deliver(ctx.params.notifications as StoredNotification[]);
			},

			/** A judge's progress on a submission: written to its submitter's streams open on this node. */
			"submission.progress"(ctx: Context<SubmissionProgress>) {
				this.streams.progress(ctx.params);
			},

			/**
			 * Sessions that ended or whose authority changed (logout, password or role change, account
			 * deletion; broadcast by users to every gateway): their streams close on this node.
			 */
			"session.changed": {
				params: { sessionIds: { type: "array", max: 100_000, items: { type: "uuid" } } },
				handler(ctx: Context<{ sessionIds: string[] }>) {
					this.streams.sessionsChanged(ctx.params.sessionIds);
				}
			}
		},

		settings: {
			port: c.http.port,
			ip: c.http.host,
			// Request and response lines at debug only: logging each at info costs ~40 % of throughput,
			// and moleculer-web formats a response's line, coloured, even when its level is off.
			logRequest: requestLines ? "debug" : null,
			logResponse: requestLines ? "debug" : null,
			log4XXResponses: false,
			logRequestParams: null,
			logResponseData: null,
			// Query strings are small: bounded work for the parser (the input boundary rebuilds the result).
			qsOptions: { plainObjects: true, depth: 5, arrayLimit: 20, parameterLimit: 100 },
			// Above every action deadline (password hashing allows 10 s): the call's own timeout answers first.
			httpServerTimeout: 30_000,
			// A stranger's request (headers and a body up to BODY_LIMIT) arrives within 30 s or is cut.
			requestTimeout: 30_000,

			// The request id (sane, or a new one) and the client's address travel with every call.
			// @ts-expect-error moleculer-web accepts a function here; its typings only an object.
			rootCallOptions(options: { requestID?: string; meta?: RequestMeta; tracking?: boolean }, req: IncomingMessage) {
				options.requestID = requestIdOf(req);
				options.meta = { clientIp: clientAddress(req) };
				// A stream lasts until the client leaves: shutdown must not wait for it (`stopped` ends it).
				if (req.url?.startsWith("/api/notifications/stream")) options.tracking = false;
			},

			cors: c.http.corsOrigins.length
				? {
						origin: c.http.corsOrigins,
						methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
						allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
						exposedHeaders: ["X-Request-ID", "Retry-After", "Idempotent-Replayed"],
						credentials: false,
						maxAge: 600
					}
				: undefined,

			routes: withRequestLines(requestLines, [
				{
					// The probes are answered before moleculer-web (probes.ts); any other path under it is 404.
					path: "/health",
					mappingPolicy: "restrict",
					bodyParsers: false,
					aliases: {}
				},
				{
					// Before "/api": a long-lived response written by the gateway itself, not an action call.
					path: "/api/notifications/stream",
					mappingPolicy: "restrict",
					bodyParsers: false,
					use: [safeRequestInput],
					aliases: {
						"GET /"(this: GatewayMethods, req: Req, res: ServerResponse) {
							void this.openNotificationStream(req, res);
						}
					},
					// The same limit, and in a cluster the same counters (same prefix and key), as "/api".
					rateLimit: apiRateLimit()
				},
				// Before "/api": raw uploads (a problem's tests, a zip or JSON), each streamed to its service.
				...UPLOADS.map(upload => uploadRoute(upload, apiRateLimit())),
				// Before "/api": the OpenAPI document and its docs page, answered by the gateway itself.
				openApiRoute(routes, UPLOADS),
				docsRoute(),
				{
					path: "/api",
					mappingPolicy: "restrict",
					autoAliases: false,
					whitelist: whitelistOf(routes),
					aliases: routes,
					authentication: true,
					bodyParsers: { json: { strict: true, limit: c.http.bodyLimit }, urlencoded: false },
					use: [safeRequestInput, requireJsonBody, idempotency(clientAddress)],
					rateLimit: apiRateLimit(),
					onBeforeCall(ctx: Context<unknown, RequestMeta>, _route: unknown, req: KeyedReq) {
						if (req.$idempotency && req.$action?.name) ctx.meta.idempotency = { ...req.$idempotency, action: req.$action.name };
					},
					onAfterCall(
						this: SharedResponsesMethods,
						ctx: Context<unknown, RequestMeta>,
						_route: unknown,
						req: Req,
						res: ServerResponse,
						data: unknown
					) {
						return this.takeAnswer(ctx, req, res, data);
					}
				},
				// Last: the web client answers every GET no route above has taken (the API's own stay JSON 404s).
				webClientRoute()
			]),

			// moleculer-web has already logged any 5xx with its stack; the client gets none of it.
			onError(req: Req, res: ServerResponse, err: Error) {
				const response = toErrorResponse(err, Math.ceil(c.rateLimit.windowMs / 1000));
				const requestId = req.$ctx?.requestID;
				if (requestId) response.headers["X-Request-ID"] = requestId;
				sendJson(res, response.status, response.body, response.headers);
			}
		},

		methods: {
			/**
			 * moleculer-web's call, and once more on another node when a keyed write's node failed
			 * under it (died, timed out, stopping, overloaded): the service's key record makes the
			 * repeat safe, so the client sees the write succeed. Unkeyed writes keep their 503.
			 */
			async callAction(route: { callOptions?: object }, actionName: string, req: KeyedReq, res: ServerResponse, ...rest: unknown[]) {
				const failed = req.$endpoint as ActionEndpoint | undefined;
				try {
					return await callAction.call(this, route, actionName, req, res, ...rest);
				} catch (err) {
					if (!req.$idempotency || !(err as Errors.MoleculerRetryableError).retryable || !req.$ctx) throw err;
					const list = this.broker.registry.getActionEndpoints(actionName);
					const other = list?.select(
						list.endpoints.filter(ep => ep.isAvailable && ep.id !== failed?.id),
						req.$ctx
					);
					if (!other) throw err;
					this.logger.warn(`Repeating keyed write ${actionName} on node ${other.id} after: ${(err as Error).message}`);
					req.$endpoint = other;
					return callAction.call(this, route, actionName, req, res, ...rest);
				}
			},

			/**
			 * Resolves the caller from a Bearer access token: a valid signature and an active session.
			 * No header means anonymous; a bad one is 401 even on public routes, so clients notice.
			 */
			async authenticate(_ctx: Context<unknown, RequestMeta>, _route: unknown, req: Req): Promise<AuthUser | null> {
				const header = req.headers.authorization;
				if (!header) return null;
				const match = BEARER.exec(header);
				if (!match) throw new UnauthorizedError("Malformed Authorization header", "INVALID_TOKEN");
				return this.caller(match[1], "access");
			},

			/** The user behind a token or stream ticket: a valid signature and a session still active. */
			async caller(token: string, kind: TokenKind): Promise<AuthUser> {
				const verified = await verifyAccessToken(this.tokens, token, kind);
				if (!verified.ok) {
					throw verified.reason === "expired"
						? new UnauthorizedError("The access token has expired", "TOKEN_EXPIRED")
						: new UnauthorizedError("Invalid access token", "INVALID_TOKEN");
				}
				const session = await call(this.broker, "users.session", { sessionId: verified.user.sessionId });
				return { id: session.userId, role: session.role, sessionId: verified.user.sessionId };
			},

			/**
			 * The caller's notifications as Server-Sent Events: authenticated by Bearer header or a
			 * single-use `?ticket=`, and resumed after `Last-Event-ID` (header, or `lastEventId` for a
			 * first connect).
			 */
			async openNotificationStream(req: Req, res: ServerResponse) {
				try {
					const header = BEARER.exec(req.headers.authorization ?? "");
					const ticket = typeof req.query?.ticket === "string" ? req.query.ticket : undefined;
					if (!header && !ticket) throw new UnauthorizedError();
					const [token, kind]: [string, TokenKind] = header ? [header[1], "access"] : [ticket!, "stream"];
					const checkedAt = performance.now();
					let user = await this.caller(token, kind);
					if (kind === "stream") await this.spendTicket(token);
					// The session ended or changed while it was checked: check again, now that its cache is clean.
					if (this.streams.changedSince(user.sessionId, checkedAt)) user = await this.caller(token, kind);
					const lastEventId = req.headers["last-event-id"] ?? req.query?.lastEventId;
					const replay = this.streams.open(user, res);
					const resuming = typeof lastEventId === "string" && UUID.test(lastEventId);
					replay(resuming ? await call(this.broker, "notifications.since", { userId: user.id, afterId: lastEventId }) : []);
				} catch (err) {
					if (res.headersSent) return void res.end();
					const response = toErrorResponse(err as Error, Math.ceil(c.rateLimit.windowMs / 1000));
					sendJson(res, response.status, response.body, response.headers);
				}
			},

			/** A ticket opens one stream: its id is kept (in Redis in a cluster) until it expires. */
			async spendTicket(ticket: string) {
				const verified = await verifyAccessToken(this.tokens, ticket, "stream");
				if (!verified.ok || !verified.ticket) throw new UnauthorizedError("Invalid stream ticket", "INVALID_TOKEN");
				const { id, validUntilMs } = verified.ticket;
				const { count } = await this.counters.increment(`stream-ticket:${id}`, Math.max(validUntilMs - Date.now(), 1000));
				if (count > 1) throw new UnauthorizedError("This stream ticket has been used; ask for a new one", "TICKET_USED");
			}
		},

		created() {
			// moleculer-web made the server in its own `created`, before this one; headers come first, within 10 s.
			this.server.headersTimeout = 10_000;
			this.server.on("clientError", answerClientError);
			this.tokens = accessTokenKeys(c.auth.jwtSecret, c.auth.accessTokenTtlS);
			this.streams = new NotificationStreams();
			this.counters = createCounterStore(c.cacher, `${c.namespace}:`);
		},

		async stopped() {
			this.streams.close();
			await this.counters.close();
			await Promise.all(this.routes.map(route => route.rateLimit?.store?.close()));
		}
	};
}
