import { Errors } from "moleculer";

/**
 * Keys that reach an object's prototype when copied with `Object.assign` or `obj[key] =`.
 * moleculer-web merges body and query into `ctx.params` that way, so a body key `__proto__`
 * would replace the params' prototype and smuggle fields past the validator's strict check.
 */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** Deeper than any parameter of the API; a bound keeps every later walk of the input cheap. */
export const MAX_DEPTH = 32;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Record<string, unknown> | unknown[];

const forbidden = (key: string) =>
	new Errors.MoleculerClientError(`The key "${key}" is not accepted in a request`, 400, "FORBIDDEN_KEY", { key });
const tooDeep = () =>
	new Errors.MoleculerClientError(`The request nests deeper than ${MAX_DEPTH} levels`, 400, "TOO_DEEP", { maxDepth: MAX_DEPTH });

const shellOf = (value: object): Container =>
	Array.isArray(value) ? new Array<unknown>(value.length) : (Object.create(null) as Record<string, unknown>);

/**
 * Parsed JSON (a body, a query object) rebuilt with null-prototype objects, refusing prototype
 * keys at any depth and nesting past MAX_DEPTH with a 400. Iterative: deep input cannot overflow
 * the stack.
 */
export function safeInput<T = Json>(value: unknown): T {
	if (value === null || typeof value !== "object") return value as T;
	const root = shellOf(value);
	const pending: [source: Container, target: Container, depth: number][] = [[value as Container, root, 1]];
	while (pending.length) {
		const [source, target, depth] = pending.pop()!;
		if (depth > MAX_DEPTH) throw tooDeep();
		const keys = Array.isArray(source) ? source.keys() : Object.keys(source);
		for (const key of keys) {
			if (typeof key === "string" && FORBIDDEN_KEYS.has(key)) throw forbidden(key);
			const item = (source as Record<string | number, unknown>)[key];
			if (item !== null && typeof item === "object") {
				const shell = shellOf(item);
				(target as Record<string | number, unknown>)[key] = shell;
				pending.push([item as Container, shell, depth + 1]);
			} else {
				(target as Record<string | number, unknown>)[key] = item;
			}
		}
	}
	return root as T;
}

/**
 * The first forbidden key named in a raw query string (`?__proto__[x]=1`, `?a[constructor]=1`,
 * `?a.prototype=1`), or undefined. Checked on the raw text: the query parser drops some of these
 * silently, and a request that tries one should be told, not half-served.
 */
export function forbiddenQueryKey(query: string): string | undefined {
	for (const pair of query.split("&")) {
		const rawKey = pair.split("=", 1)[0].replaceAll("+", " ");
		let key = rawKey;
		try {
			key = decodeURIComponent(rawKey);
		} catch {
			// Malformed escapes stay as they are: the parser keeps them literally too.
		}
		for (const segment of key.split(/[[\].]/)) if (FORBIDDEN_KEYS.has(segment)) return segment;
	}
	return undefined;
}

/** As `safeInput`, for a query string: its raw keys checked, its parsed object rebuilt. */
export function safeQuery(raw: string, parsed: unknown): Record<string, unknown> {
	const key = forbiddenQueryKey(raw);
	if (key) throw forbidden(key);
	return safeInput<Record<string, unknown>>(parsed ?? {});
}
