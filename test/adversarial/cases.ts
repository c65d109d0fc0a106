/**
 * Hostile cases per route, from the OpenAPI document: every parameter (path, query, body field)
 * and the body and query string as a whole are attacked in turn, each case with one hostile
 * part inside an otherwise valid request, so that the hostile part is what has to fail.
 * Generation is deterministic: fast-check samples with a seed derived from the run's seed, the
 * route and the target.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { type BodyShape, bodyText, bodyValue, type Hostile, queryFragment, urlValue, wholeBody, wholeQuery } from "./hostile";
import type { JsonSchema, Param, RouteSpec } from "./routes";

/** Valid values for the current fixtures (ids of a post, a group, ...), per route. */
export interface Base {
	/** URL text of a valid value for a path parameter of the route. */
	path(route: RouteSpec, name: string): string;
	/** JSON text of a valid value for a body field of the route. */
	body(route: RouteSpec, param: Param): string;
}

export interface HostileCase {
	route: RouteSpec;
	/** "path.id", "query.page", "body.title", or "body" / "query" as a whole. */
	target: string;
	kind: string;
	anonymous: boolean;
	/** The request carries a prototype key: 400 is the only right answer (401 before it for anonymous callers). */
	proto: boolean;
	build(base: Base): { path: string; body?: string };
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
function seedOf(seed: number, label: string): number {
	return createHash("sha256").update(`${seed}:${label}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * `perRoute` cases for each route: the targets in turn (so that every parameter is attacked
 * even with few cases), a fifth of them anonymous (all of them on anonymous-only routes).
 */
export function generateCases(routes: RouteSpec[], perRoute: number, seed: number): HostileCase[][] {
	return routes.map(route => {
		const targets = targetsOf(route);
		const byTarget = targets.map((target, j) => {
			const count = Math.floor(perRoute / targets.length) + (j < perRoute % targets.length ? 1 : 0);
			if (!count) return [];
			const arbitrary = fc.record({ value: arbitraryFor(route, target), anonymous: fc.integer({ min: 0, max: 4 }).map(n => n === 0) });
			return fc.sample(arbitrary, { seed: seedOf(seed, `${route.key} ${target}`), numRuns: count }).map(
				({ value, anonymous }): HostileCase => ({
					route,
					target,
					kind: value.kind,
					anonymous: route.anonymousOnly || anonymous,
					proto: value.proto,
					build: buildFor(route, target, value)
				})
			);
		});
		// Interleaved, so that a route's first cases already touch every target.
		const cases: HostileCase[] = [];
		for (let i = 0; cases.length < byTarget.reduce((n, list) => n + list.length, 0); i++) {
			for (const list of byTarget) if (list[i]) cases.push(list[i]);
		}
		return cases;
	});
}
