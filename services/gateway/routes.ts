import type { ServiceSchema } from "moleculer";

/** "<METHOD> <path under /api>" → "<service>.<action>". */
export type RouteTable = Record<string, string>;

/** A service schema as far as its routes go: its name, its actions, and its mixins' actions. */
export interface RoutedSchema {
	name: string;
	actions?: Record<string, unknown>;
	mixins?: readonly Partial<ServiceSchema>[];
}

/** The action's `http` key, where the action is a schema (not `false` or a bare handler). */
function httpOf(action: unknown): string | undefined {
	return typeof action === "object" && action !== null ? (action as { http?: string }).http : undefined;
}

/**
 * Routes declared on a schema's actions, its mixins' first: as Moleculer merges them, the service's
 * own definition of an action replaces a mixin's (and `false` switches it off).
 */
function declaredRoutes(schema: Partial<RoutedSchema>, into = new Map<string, string | undefined>()) {
	for (const mixin of schema.mixins ?? []) declaredRoutes(mixin as Partial<RoutedSchema>, into);
	for (const [name, action] of Object.entries(schema.actions ?? {})) into.set(name, httpOf(action));
	return into;
}

/** The number of `/`-separated segments of a path: moleculer-web's first ordering key. */
const segments = (path: string) => path.split("/").length;
/** Its parameters: the second key. */
const params = (path: string) => path.split(":").length;

/**
 * The order moleculer-web matches aliases in (its `optimizeOrder`, on by default), applied to the
 * table too so that it reads as it routes: more segments first, then fewer parameters (so
 * `/users/me` wins over `/users/:username`), then alphabetically.
 */
function matchOrder([a]: [string, string], [b]: [string, string]) {
	const [pathA, pathB] = [a.split(" ")[1], b.split(" ")[1]];
	return segments(pathB) - segments(pathA) || params(pathA) - params(pathB) || pathA.localeCompare(pathB) || a.localeCompare(b);
}

/**
 * Every HTTP route of the API and the action behind it, from the `http` keys of the given schemas'
 * actions. Only these actions are reachable over HTTP (the gateway's whitelist is this table's
 * actions); nothing else, `$node.*` included. The schemas are the factories' own, so the gateway
 * knows every route even when the services run on other nodes.
 */
export function routeTable(schemas: readonly RoutedSchema[]): RouteTable {
	const routes: [string, string][] = [];
	const owners = new Map<string, string>();
	for (const schema of schemas) {
		for (const [action, route] of declaredRoutes(schema)) {
			if (!route) continue;
			const [method, path, extra] = route.split(" ");
			if (!/^(GET|POST|PUT|PATCH|DELETE)$/.test(method) || !path?.startsWith("/") || extra !== undefined) {
				throw new Error(`${schema.name}.${action}: http "${route}" is not "<METHOD> /<path>"`);
			}
			const fullName = `${schema.name}.${action}`;
			const owner = owners.get(route);
			if (owner) throw new Error(`${route} is declared by both ${owner} and ${fullName}`);
			owners.set(route, fullName);
			routes.push([route, fullName]);
		}
	}
	return Object.fromEntries(routes.sort(matchOrder));
}

/** The actions the table reaches: the gateway's whitelist. */
export const whitelistOf = (routes: RouteTable) => [...new Set(Object.values(routes))];
