import { readFileSync } from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import type { UploadSpec } from "../../lib/contracts";
import { honoursIdempotencyKey, SANE_KEY } from "./idempotency";
import { convertRule, type JsonSchema, objectSchema, responseSchema, type Rule } from "./openapi-schema";
import type { RouteTable } from "./routes";
import { PROJECT_ROOT } from "../../lib/project-root";
import { sendBody } from "../../lib/send-response";

/** Read, not imported: an import would make the compiler copy package.json into dist/, a second project root. */
const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };

/** What the generator reads of an action: its definition here or in another node's INFO packet. */
export interface ActionDefinition {
	params?: Record<string, unknown>;
	auth?: "required" | "optional";
	roles?: string[];
	/** Its result's schema (a fastest-validator props object or `$$root` rule); null: 204, no body. */
	response?: Record<string, unknown> | null;
}

type Operation = Record<string, unknown>;

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** API.md's error statuses, each answering the one public error body. */
const ERRORS: Record<string, [number, string]> = {
	BadRequest: [
		400,
		"The body is not valid JSON, a body or query names `__proto__`, `constructor` or `prototype` (FORBIDDEN_KEY) or nests deeper than 32 levels (TOO_DEEP), or a query string was sent to a write route"
	],
	Unauthorized: [401, "No, an invalid or an expired access token (a bad token is refused on public routes too)"],
	Forbidden: [403, "Authenticated, but not allowed"],
	NotFound: [404, "Not found, or not visible to the caller"],
	Conflict: [409, "A duplicate, or the resource is in the wrong state"],
	LengthRequired: [411, "An upload without its Content-Length (LENGTH_REQUIRED)"],
	PayloadTooLarge: [413, "The body is larger than the gateway accepts"],
	ValidationError: [422, "Parameters validation error; `data` lists each field"],
	TooManyRequests: [429, "Rate limited; retry after `Retry-After` seconds"],
	ServiceUnavailable: [503, "A service is unavailable (circuit open, no node); retry after `Retry-After` seconds"],
	GatewayTimeout: [504, "A service did not answer in time"]
};

const retryAfter = { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } } };

function components() {
	const responses = Object.fromEntries(
		Object.entries(ERRORS).map(([name, [status, description]]) => [
			name,
			{
				description,
				...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
				content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } }
			}
		])
	);
	return {
		parameters: {
			IdempotencyKey: {
				name: "Idempotency-Key",
				in: "header",
				required: false,
				schema: { type: "string", pattern: SANE_KEY.source },
				description:
					"Send one per intended write, and the same on its retries: the write takes effect once, whatever fails on the way, " +
					"and a repeat within 24 h answers the first result (`Idempotent-Replayed: true`; another body with the key is 422). " +
					"Without a key, a 503 cannot tell whether the write happened."
			}
		},
		schemas: {
			Error: {
				type: "object",
				required: ["name", "message", "code", "type"],
				properties: {
					name: { type: "string", examples: ["ValidationError"] },
					message: { type: "string" },
					code: { type: "integer", description: "The HTTP status" },
					type: { type: "string", description: "A stable UPPER_SNAKE reason", examples: ["VALIDATION_ERROR"] },
					data: { description: "Structured details, e.g. the invalid fields of a 422" }
				},
				additionalProperties: false
			}
		},
		responses,
		securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }
	};
}

/** The error responses a route can answer, from its method, path and action keys. */
function errorResponses(method: string, hasPathParams: boolean, action: ActionDefinition | undefined) {
	const names = ["BadRequest", "Unauthorized", "ValidationError", "TooManyRequests", "ServiceUnavailable", "GatewayTimeout"];
	if (method !== "GET") names.push("Conflict", "PayloadTooLarge");
	if (action?.auth === "required" || action?.roles) names.push("Forbidden");
	if (hasPathParams) names.push("NotFound");
	const statuses = names.map(name => [ERRORS[name][0], errorRef(name)] as const).sort(([a], [b]) => a - b);
	return Object.fromEntries(statuses.map(([status, ref]) => [String(status), ref]));
}

function security(action: ActionDefinition | undefined) {
	if (action?.auth === "required" || action?.roles) return { security: [{ bearerAuth: [] }] };
	// Anonymous callers are welcome; with a token the answer may show more (own drafts, private groups).
	if (action?.auth === "optional") return { security: [{}, { bearerAuth: [] }] };
	return {};
}

/**
 * A read answers 200; which 2xx a write answers is up to its handler, so that is what we say.
 * The body's schema is the action's `response` where it declares one; `response: null` is 204.
 */
function success(method: string, action: ActionDefinition | undefined) {
	if (action?.response === null) return { 204: { description: "Done, no body" } };
	const content = { "application/json": action?.response ? { schema: responseSchema(action.response) } : {} };
	if (method === "GET") return { 200: { description: "The result", content } };
	return {
		"2XX": {
			description: "Done: 200 with the result, 201 with a `Location` when created, 202 when accepted for later, or 204 with no body",
			content
		}
	};
}

/** One alias as an operation: path params from the path, the rest as query (GET) or JSON body. */
export function aliasOperation(method: string, path: string, actionName: string, action: ActionDefinition | undefined): Operation {
	const pathNames = [...path.matchAll(/:(\w+)/g)].map(m => m[1]);
	const params = action?.params ?? {};
	const rules = Object.fromEntries(Object.entries(params).filter(([key]) => !key.startsWith("$$")));
	const parameters: Operation[] = pathNames.map(name => ({
		name,
		in: "path",
		required: true,
		schema: name in rules ? convertRule(rules[name] as Rule).schema : { type: "string" }
	}));
	const rest = Object.fromEntries(Object.entries(rules).filter(([key]) => !pathNames.includes(key)));
	let requestBody: Operation | undefined;
	if (method === "GET") {
		for (const [name, rule] of Object.entries(rest)) {
			const { schema, optional } = convertRule(rule as Rule);
			parameters.push({ name, in: "query", required: !optional, schema });
		}
	} else if (Object.keys(rest).length) {
		const schema = objectSchema(rest, params.$$strict);
		requestBody = { required: Array.isArray(schema.required), content: { "application/json": { schema } } };
	}
	const notes = [
		action ? undefined : `The action \`${actionName}\` is not available in the cluster right now: its parameters are unknown.`,
		action?.roles ? `Roles: ${action.roles.join(", ")}.` : undefined
	].filter(Boolean);
	return {
		operationId: actionName,
		summary: actionName,
		...(notes.length ? { description: notes.join(" ") } : {}),
		// By service; the gateway's own actions belong with the routes they serve (the stream ticket).
		tags: [actionName.startsWith("gateway.") ? path.split("/")[1] : actionName.split(".")[0]],
		...(parameters.length ? { parameters } : {}),
		...(requestBody ? { requestBody } : {}),
		...security(action),
		responses: { ...success(method, action), ...errorResponses(method, pathNames.length > 0, action) },
		"x-moleculer-action": actionName
	};
}

const json = (schema: JsonSchema) => ({ content: { "application/json": { schema } } });
const errorBody = (description: string) => ({ description, ...json({ $ref: "#/components/schemas/Error" }) });

/**
 * A raw upload (streamed to its action, not JSON fields): path, security and result from the action
 * as for any alias; the body's media types and the statuses of the upload route itself from its spec.
 */
export function uploadOperation(upload: UploadSpec, action: ActionDefinition | undefined): Operation {
	const [method, path] = upload.route.split(" ");
	const operation = aliasOperation(method, `${upload.under}${path}`, upload.action, action);
	const content = Object.fromEntries(
		Object.entries(upload.media).map(([type, schema]) => [type, schema ? { schema: objectSchema(schema, schema.$$strict) } : {}])
	);
	const result = action?.response ? json(responseSchema(action.response)) : {};
	const names = ["BadRequest", "Unauthorized", "Forbidden", "NotFound", "LengthRequired", "TooManyRequests", "ServiceUnavailable"];
	return {
		...operation,
		description: [upload.description, operation.description].filter(Boolean).join(" "),
		requestBody: { required: true, content },
		responses: {
			200: { description: "Done: the result", ...result },
			...Object.fromEntries(names.map(name => [String(ERRORS[name][0]), errorRef(name)])),
			413: errorBody(
				`Over ${upload.maxBytes} bytes (as the Content-Length says, or as sent), or over a limit of what the body holds`
			),
			422: errorBody("An invalid path parameter, or a body the action refuses: `type` says why, `data` where in the body"),
			504: errorRef("GatewayTimeout")
		}
	};
}

/** Routes the gateway answers itself: probes, the notification stream, this document and its page. */
function gatewayPaths() {
	const health = json({ type: "object", required: ["status"], properties: { status: { type: "string" } } });
	return {
		"/health/live": {
			get: {
				operationId: "health.live",
				summary: "The process is up",
				tags: ["operations"],
				responses: { 200: { description: "Up", ...health } }
			}
		},
		"/health/ready": {
			get: {
				operationId: "health.ready",
				summary: "This node's database, cache and transporter are usable",
				tags: ["operations"],
				responses: {
					200: { description: "Ready", ...health },
					503: { description: "Not ready; the body says which dependency failed", ...health }
				}
			}
		},
		"/api/notifications/stream": {
			get: {
				operationId: "notifications.stream",
				summary: "The caller's new notifications as Server-Sent Events",
				description:
					"Authenticated by a Bearer header, or by `?ticket=` from `POST /api/notifications/stream-ticket` (EventSource sends no headers).",
				tags: ["notifications"],
				parameters: [
					{
						name: "ticket",
						in: "query",
						required: false,
						description: "Single use: a second use is 401 `TICKET_USED`",
						schema: { type: "string", maxLength: 2048 }
					},
					{
						name: "lastEventId",
						in: "query",
						required: false,
						description: "Resume after this notification (first connect)",
						schema: { type: "string", format: "uuid" }
					},
					{ name: "Last-Event-ID", in: "header", required: false, schema: { type: "string", format: "uuid" } }
				],
				security: [{ bearerAuth: [] }, {}],
				responses: {
					200: { description: "An event per notification", content: { "text/event-stream": { schema: { type: "string" } } } },
					400: errorRef("BadRequest"),
					401: errorRef("Unauthorized"),
					429: errorRef("TooManyRequests")
				}
			}
		},
		"/api/openapi.json": {
			get: {
				operationId: "docs.openapi",
				summary: "This OpenAPI document",
				tags: ["operations"],
				responses: { 200: { description: "OpenAPI 3.1", ...json({ type: "object" }) } }
			}
		},
		"/api/docs": {
			get: {
				operationId: "docs.page",
				summary: "Interactive documentation of this document",
				tags: ["operations"],
				responses: { 200: { description: "An HTML page", content: { "text/html": { schema: { type: "string" } } } } }
			}
		}
	};
}

/** "/problems/:id" → "/api/problems/{id}". */
const openPathOf = (path: string) => `/api${path.replace(/:(\w+)/g, "{$1}")}`;

/** The OpenAPI 3.1 document of the alias table and the raw uploads, with each action's definition where known. */
export function buildOpenApi(
	aliases: Record<string, string>,
	actions: ReadonlyMap<string, ActionDefinition>,
	uploads: readonly UploadSpec[] = []
): Record<string, unknown> {
	const paths: Record<string, Record<string, Operation>> = {};
	for (const [route, actionName] of Object.entries(aliases)) {
		const [method, path] = route.trim().split(/\s+/);
		const operations = (paths[openPathOf(path)] ??= {});
		const operation = aliasOperation(method.toUpperCase(), path, actionName, actions.get(actionName));
		if (honoursIdempotencyKey(method.toUpperCase(), `/api${path}`))
			operation.parameters = [
				...((operation.parameters as Operation[] | undefined) ?? []),
				{ $ref: "#/components/parameters/IdempotencyKey" }
			];
		operations[method.toLowerCase()] = operation;
	}
	for (const upload of uploads) {
		const [method, path] = upload.route.split(" ");
		const operations = (paths[openPathOf(`${upload.under}${path}`)] ??= {});
		operations[method.toLowerCase()] = uploadOperation(upload, actions.get(upload.action));
	}
	Object.assign(paths, gatewayPaths());
	return {
		openapi: "3.1.1",
		info: {
			title: "Code-Learn API",
			version,
			description: "Generated by the gateway from its routes and the actions' parameter and response schemas."
		},
		paths,
		components: components()
	};
}

/**
 * Every action the registry knows, local or remote: a remote node's INFO packet carries its
 * action definitions (params, response, auth, roles; not handlers), so a gateway-only node sees them too.
 */
export function registryActions(broker: ServiceBroker): Map<string, ActionDefinition> {
	const actions = new Map<string, ActionDefinition>();
	for (const item of broker.registry.getActionList({})) {
		if (item.action) actions.set(item.name, item.action as ActionDefinition);
	}
	return actions;
}

const documents = new WeakMap<ServiceBroker, string>();
const watched = new WeakSet<ServiceBroker>();

/** The document of the route table and uploads as JSON, built on first use and again after any service (de)registers. */
export function openApiJson(broker: ServiceBroker, routes: RouteTable, uploads: readonly UploadSpec[] = []): string {
	let document = documents.get(broker);
	if (document === undefined) {
		if (!watched.has(broker)) {
			watched.add(broker);
			broker.localBus.on("$services.changed", () => documents.delete(broker));
		}
		document = JSON.stringify(buildOpenApi(routes, registryActions(broker), uploads));
		documents.set(broker, document);
	}
	return document;
}

/** The gateway route serving the document (before "/api", which allows only its aliases). */
export function openApiRoute(routes: RouteTable, uploads: readonly UploadSpec[] = []) {
	return {
		path: "/api/openapi.json",
		mappingPolicy: "restrict" as const,
		bodyParsers: false,
		aliases: {
			"GET /"(this: { broker: ServiceBroker }, _req: IncomingMessage, res: ServerResponse) {
				sendBody(
					res,
					200,
					{ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
					openApiJson(this.broker, routes, uploads)
				);
			}
		}
	};
}
