/**
 * Hostile cases per route, from the OpenAPI document: every parameter (path, query, body field)
 * and the body and query string as a whole are attacked in turn, each case with one hostile
 * part inside an otherwise valid request, so that the hostile part is what has to fail.
 * Generation is deterministic: fast-check samples with a seed derived from the run's seed, the
 * route and the target.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { AUTHORIZATION, type Credentials, dealHeaders, type HeaderHostile, type HeaderName, IDEMPOTENCY_KEY } from "./headers";
import { type BodyShape, bodyText, bodyValue, type Hostile, queryFragment, urlValue, wholeBody, wholeQuery } from "./hostile";
import type { JsonSchema, Param, RouteSpec } from "./routes";

/** Valid values for the current fixtures (ids of a post, a group, ...), per route. */
export interface Base {
	/** URL text of a valid value for a path parameter of the route. */
	path(route: RouteSpec, name: string): string;
	/** JSON text of a valid value for a body field of the route. */
	body(route: RouteSpec, param: Param): string;
	/** An ordinary (never admin) caller's valid token for the route, and the JWT secret: what forged credentials are made from. */
	credentials(route: RouteSpec): Credentials;
}

export interface BuiltRequest {
	path: string;
	/** JSON text; bytes for an upload (test/adversarial/uploads.ts), sent as `contentType`. */
	body?: string | Uint8Array;
	contentType?: string;
	/** Sent without a Content-Length (chunked), or on a socket of its own (a Content-Length that lies): see client.ts. */
	chunked?: boolean;
	raw?: boolean;
	/** Hostile headers (several values: repeated lines); a case with `authorization` sends no token of its own. */
	headers?: Record<string, string | string[]>;
}

export interface HostileCase {
	route: RouteSpec;
	/** "path.id", "query.page", "body.title", or "body" / "query" as a whole. */
	target: string;
	kind: string;
	anonymous: boolean;
	/** The request carries a prototype key: 400 is the only right answer (401 before it for anonymous callers). */
	proto: boolean;
	/** A header case: the rest of the request is valid, this header is hostile. */
	header?: HeaderName;
	/** The statuses a right answer to a header case may have, when the header alone decides it. */
	expect?: number[];
	build(base: Base): BuiltRequest;
}

/** Whether a route's write carries a body in a valid request (it documents required fields). */
function baseEntries(route: RouteSpec, base: Base): [string, string][] {
	return route.params.filter(p => p.in === "body" && p.required).map(p => [p.name, base.body(route, p)]);
}

function pathOf(route: RouteSpec, base: Base, hostile?: { name: string; text: string }): string {
	return route.template.replace(/\{(\w+)\}/g, (_, name: string) => (hostile?.name === name ? hostile.text : base.path(route, name)));
}

/** The body of a valid request: the required fields, or nothing for a route without a body. */
function validBody(route: RouteSpec, base: Base): string | undefined {
	return route.body ? bodyText(baseEntries(route, base)) : undefined;
}

function targetsOf(route: RouteSpec): string[] {
	const targets = route.params.map(p => `${p.in}.${p.name}`);
	if (route.method !== "GET") targets.push("body");
	targets.push("query");
	return targets;
}

function arbitraryFor(route: RouteSpec, target: string): fc.Arbitrary<Hostile | BodyShape> {
	if (target === "body") return wholeBody;
	if (target === "query") return wholeQuery;
	const [where, name] = [target.slice(0, target.indexOf(".")), target.slice(target.indexOf(".") + 1)];
	const schema: JsonSchema = route.params.find(p => p.in === where && p.name === name)!.schema;
	if (where === "path") return urlValue(schema);
	if (where === "query") return queryFragment(name, schema);
	return bodyValue(schema);
}

function buildFor(route: RouteSpec, target: string, value: Hostile | BodyShape): HostileCase["build"] {
	if (target === "body") {
		const shape = value as BodyShape;
		return base => ({ path: pathOf(route, base), body: shape.build(baseEntries(route, base)) });
	}
	const { text } = value as Hostile;
	if (target === "query") return base => ({ path: `${pathOf(route, base)}?${text}`, body: validBody(route, base) });
	const [where, name] = [target.slice(0, target.indexOf(".")), target.slice(target.indexOf(".") + 1)];
	if (where === "path") return base => ({ path: pathOf(route, base, { name, text }), body: validBody(route, base) });
	if (where === "query") return base => ({ path: `${pathOf(route, base)}?${text}` });
	return base => {
		const entries = baseEntries(route, base).filter(([key]) => key !== name);
		return { path: pathOf(route, base), body: bodyText([...entries, [name, text]]) };
	};
}

/** A 31-bit seed from the run's seed and a label, so that each route and target has its own stream. */
export function seedOf(seed: number, label: string): number {
	return createHash("sha256").update(`${seed}:${label}`).digest().readUInt32BE(0) & 0x7fffffff;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A valid request with one hostile header: `Authorization` replaces the caller's token, `Idempotency-Key` goes with it. */
function headerCase(route: RouteSpec, header: HeaderName, hostile: HeaderHostile): HostileCase {
	return {
		route,
		target: `header.${header}`,
		kind: hostile.kind,
		anonymous: false,
		proto: false,
		header,
		expect: hostile.expect,
		build: base => ({
			path: pathOf(route, base),
			body: validBody(route, base),
			headers: { [header]: hostile.value(base.credentials(route)) }
		})
	};
}

/** How many header cases each route gets (`ADVERSARIAL_HEADER_CASES`): Authorization on every route, Idempotency-Key on writes. */
export const HEADER_CASES_PER_ROUTE = Number(process.env.ADVERSARIAL_HEADER_CASES ?? 3);

/**
 * `perRoute` cases for each route: the targets in turn (so that every parameter is attacked
 * even with few cases), a fifth of them anonymous (all of them on anonymous-only routes); then
 * `headers` Authorization cases for each route and as many Idempotency-Key cases for each
 * write, dealt out so that every hostile header value is sent somewhere.
 */
export function generateCases(routes: RouteSpec[], perRoute: number, seed: number, headers = HEADER_CASES_PER_ROUTE): HostileCase[][] {
	const writes = routes.filter(route => WRITES.has(route.method));
	return routes.map((route, index) => {
		const targets = targetsOf(route);
		const byTarget = targets.map((target, j) => {
			const count = Math.floor(perRoute / targets.length) + (j < perRoute % targets.length ? 1 : 0);
			if (!count) return [];
			const arbitrary = fc.record({
				value: arbitraryFor(route, target),
				anonymous: fc.integer({ min: 0, max: 4 }).map(n => n === 0)
			});
			return fc
				.sample(arbitrary, { seed: seedOf(seed, `${route.key} ${target}`), numRuns: count })
				.map(({ value, anonymous }): HostileCase => ({
					route,
					target,
					kind: value.kind,
					anonymous: route.anonymousOnly || anonymous,
					proto: value.proto,
					build: buildFor(route, target, value)
				}));
		});
		// Interleaved, so that a route's first cases already touch every target.
		const cases: HostileCase[] = [];
		for (let i = 0; cases.length < byTarget.reduce((n, list) => n + list.length, 0); i++) {
			for (const list of byTarget) if (list[i]) cases.push(list[i]);
		}
		for (const hostile of dealHeaders(AUTHORIZATION, index, headers, seedOf(seed, "authorization")))
			cases.push(headerCase(route, "authorization", hostile));
		if (writes.includes(route)) {
			for (const hostile of dealHeaders(IDEMPOTENCY_KEY, writes.indexOf(route), headers, seedOf(seed, "idempotency-key")))
				cases.push(headerCase(route, "idempotency-key", hostile));
		}
		return cases;
	});
}
