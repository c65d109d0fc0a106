/**
 * The routes under attack, read from the gateway's own OpenAPI document: every operation with
 * its path, query and body parameters and whether it needs a token. Nothing here is written by
 * hand, so a route added to the alias table is attacked the day it appears.
 */
export type JsonSchema = Record<string, any>;

export type Location = "path" | "query" | "body";

export interface Param {
	name: string;
	in: Location;
	required: boolean;
	schema: JsonSchema;
}

export interface RouteSpec {
	/** "PATCH /api/users/{id}/role" */
	key: string;
	method: string;
	/** The OpenAPI path, e.g. "/api/users/{id}/role". */
	template: string;
	auth: "required" | "optional" | "none";
	/** Path and query parameters, then the body's top-level fields. */
	params: Param[];
	/** The JSON body's schema, when the route documents one. */
	body: JsonSchema | undefined;
	/** Routes an attacker reaches without headers only (the event stream: EventSource sends none). */
	anonymousOnly: boolean;
	/** The roles the action demands ("Roles: admin." in the operation's description), else empty. */
	roles: string[];
}

/** Routes the gateway answers itself without parameters: probed (health) or served as files. */
const WITHOUT_INPUT = new Set(["/health/live", "/health/ready", "/api/openapi.json", "/api/docs"]);

/** The gateway documents an action's roles as "Roles: admin." (services/gateway/openapi.ts `aliasOperation`). */
function rolesOf(description: unknown): string[] {
	const listed = typeof description === "string" ? /\bRoles: ([^.]+)\./.exec(description)?.[1] : undefined;
	return listed ? listed.split(",").map(role => role.trim()) : [];
}

/** Whether only platform admins may call the route. */
export const adminOnly = (route: RouteSpec) => route.roles.includes("admin");

function authOf(security: unknown): RouteSpec["auth"] {
	if (!Array.isArray(security)) return "none";
	const anonymousAllowed = security.some(s => s && typeof s === "object" && Object.keys(s).length === 0);
	return anonymousAllowed ? "optional" : "required";
}

/** An operation whose body is a file (a zip, ...), not JSON fields. */
const isRawUpload = (operation: any) => Object.keys(operation.requestBody?.content ?? {}).some(type => type !== "application/json");

/**
 * The keys of the raw uploads the document names ("PUT /api/problems/{id}/tests"). They are left
 * out of `routesOf`: JSON fields fuzzed into them would test the JSON reader only, while
 * uploads.ts attacks the upload with crafted zips, JSON and lying Content-Lengths.
 */
export function rawUploadsOf(doc: { paths: Record<string, Record<string, any>> }): string[] {
	return Object.entries(doc.paths).flatMap(([template, operations]) =>
		Object.entries(operations)
			.filter(([, operation]) => isRawUpload(operation))
			.map(([method]) => `${method.toUpperCase()} ${template}`)
	);
}

/** Every operation of the document that takes input, in document order; raw uploads aside (rawUploadsOf). */
export function routesOf(doc: { paths: Record<string, Record<string, any>> }): RouteSpec[] {
	const routes: RouteSpec[] = [];
	for (const [template, operations] of Object.entries(doc.paths)) {
		if (WITHOUT_INPUT.has(template)) continue;
		for (const [method, operation] of Object.entries(operations)) {
			if (isRawUpload(operation)) continue;
			const params: Param[] = [];
			for (const p of operation.parameters ?? []) {
				if (p.in !== "path" && p.in !== "query") continue; // headers (Last-Event-ID) are not parameters of the action
				params.push({ name: p.name, in: p.in, required: p.required === true, schema: p.schema ?? {} });
			}
			const body: JsonSchema | undefined = operation.requestBody?.content?.["application/json"]?.schema;
			const required = new Set<string>(body?.required ?? []);
			for (const [name, schema] of Object.entries<JsonSchema>(body?.properties ?? {})) {
				params.push({ name, in: "body", required: required.has(name), schema });
			}
			const upper = method.toUpperCase();
			routes.push({
				key: `${upper} ${template}`,
				method: upper,
				template,
				auth: authOf(operation.security),
				params,
				body,
				anonymousOnly: operation.responses?.["200"]?.content?.["text/event-stream"] !== undefined,
				roles: rolesOf(operation.description)
			});
		}
	}
	return routes;
}
