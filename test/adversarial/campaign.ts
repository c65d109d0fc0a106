/**
 * One hostile run against one topology: read the OpenAPI document, build the fixtures, prove the
 * state probe sees a change, then send every case one after another while `/health/live` is
 * polled, checking each answer and, after each 4xx, that no database changed.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { loadConfig } from "../../config";
import { apiRoutes } from "../../services";
import { answerProblems, MAX_HEALTH_MS } from "./assertions";
import { type BuiltRequest, generateCases, HEADER_CASES_PER_ROUTE, type HostileCase } from "./cases";
import { type Answer, type HealthStats, HealthPoller, send } from "./client";
import { type CreateAdmin, Fixtures } from "./fixtures";
import { adminOnly, rawUploadsOf, routesOf } from "./routes";
import { type Fingerprint, StateProbe } from "./state";
import { UPLOAD_ROUTE, uploadCases } from "./uploads";

/** The route table, from the `http` keys of every service's actions. */
const API_ALIASES = apiRoutes(loadConfig({}));

export interface Topology {
	label: string;
	baseUrl: string;
	/** `/health/live` of every node. */
	healthUrls: string[];
	/** Service name → URL of its database. */
	databases: Record<string, string>;
	/** How this topology makes a platform admin (the admin fixture sends the cases of admin-only routes). */
	createAdmin: CreateAdmin;
	/** The platform's JWT secret: some hostile Authorization values are signed with it, with wrong claims. */
	jwtSecret: string;
}

/** Cases per route (ADVERSARIAL_CASES) and the seed (ADVERSARIAL_SEED): fixed, so a run can be repeated. */
export const CASES_PER_ROUTE = Number(process.env.ADVERSARIAL_CASES ?? 24);
export const SEED = Number(process.env.ADVERSARIAL_SEED ?? 20261212);

export interface Violation {
	route: string;
	target: string;
	kind: string;
	anonymous: boolean;
	status: number;
	problems: string[];
	request: string;
	answer: string;
}

export interface Summary {
	routes: number;
	cases: number;
	/** Of `cases`, those with a hostile Authorization or Idempotency-Key header. */
	headerCases: number;
	/** Of `cases`, those of the tests' upload (uploads.ts): documented, but attacked there, not from the document. */
	uploadCases: number;
	byClass: Record<string, number>;
	fiveXX: number;
	slowest: { ms: number; what: string };
	health: HealthStats;
	stateChecked: number;
	violations: Violation[];
	/** Admin-only route → status → how many of its cases sent with the admin's token got it. */
	asAdmin: Record<string, Record<number, number>>;
	/** Where the run's time went, in ms: sending, fingerprints after 4xx, settling after writes. */
	timings: { send: number; probe: number; settle: number };
}

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

function describeRequest(c: HostileCase, built: BuiltRequest): string {
	const headers = Object.entries(built.headers ?? {}).map(
		([name, value]) =>
			` ${name}: ${Array.isArray(value) ? `${value.length} lines, first ${JSON.stringify(clip(value[0] ?? "", 120))}` : JSON.stringify(clip(value, 120))}`
	);
	const who = c.anonymous ? " (anonymous)" : c.header === "authorization" ? "" : adminOnly(c.route) ? " (as admin)" : "";
	const body =
		built.body === undefined
			? ""
			: typeof built.body === "string"
				? ` body=${clip(built.body)}`
				: ` body=${built.body.length} bytes of ${built.contentType}${built.chunked ? ", chunked" : ""}`;
	return `${c.route.method} ${clip(built.path)}${body}${headers.join("")}${who}`;
}

/** Fails unless the probe sees a known write: a state check that cannot see changes would pass vacuously. */
async function controlWrite(probe: StateProbe, fixtures: Fixtures, baseUrl: string): Promise<Fingerprint> {
	const before = await probe.settle();
	const answer = await send(baseUrl, "PATCH", "/api/users/me", {
		token: fixtures.main.token,
		body: JSON.stringify({ displayName: `Control ${Date.now()}` })
	});
	assert.equal(answer.status, 200, `the control write failed: ${answer.text}`);
	const after = await probe.settle();
	assert.ok(
		after.users.outbox > before.users.outbox && after.users.digest !== before.users.digest,
		"the state probe did not see a successful write"
	);
	for (const [service, state] of Object.entries(after)) assert.ok(state.rows > 0, `${service}: the fingerprint covers no rows`);
	return after;
}

function groupViolations(violations: Violation[]): string[] {
	const groups = new Map<string, { first: Violation; count: number }>();
	for (const v of violations) {
		const key = `${v.route} | ${v.problems.map(p => p.replace(/\d+ ms/, "… ms").replace(/: .*/, "")).join(", ")}`;
		const group = groups.get(key);
		if (group) group.count++;
		else groups.set(key, { first: v, count: 1 });
	}
	return [...groups.values()].map(
		({ first: v, count }) =>
			`${v.route} [${v.target}: ${v.kind}] ×${count}: ${v.problems.join("; ")}\n      request: ${v.request}\n      answer: ${v.status} ${clip(v.answer)}`
	);
}

export async function runCampaign(t: TestContext, topology: Topology): Promise<Summary> {
	const docAnswer = await send(topology.baseUrl, "GET", "/api/openapi.json");
	assert.equal(docAnswer.status, 200);
	const doc = JSON.parse(docAnswer.text);
	const routes = routesOf(doc);
	// Every alias is attacked, with its parameters known (a missing action would leave them out).
	for (const route of Object.keys(API_ALIASES)) {
		const [method, path] = route.split(" ");
		const operation = doc.paths[`/api${path.replace(/:(\w+)/g, "{$1}")}`]?.[method.toLowerCase()];
		assert.ok(operation && !operation.description?.includes("not available"), `${route}: documented with its parameters`);
	}

	// The document's raw uploads are attacked by uploads.ts alone: one it does not know would go unattacked.
	assert.deepEqual(rawUploadsOf(doc), [UPLOAD_ROUTE.key], "every raw upload of the document is attacked by uploads.ts");
	assert.ok(routes.some(adminOnly), 'the document names admin-only routes ("Roles: admin.")');
	const fixtures = new Fixtures(topology.baseUrl, { createAdmin: topology.createAdmin, jwtSecret: topology.jwtSecret });
	await fixtures.build();
	const probe = new StateProbe(topology.databases);
	await probe.open();
	// Made before the health poller starts: in one process, the suite's own work would count as the platform's latency.
	const uploads = uploadCases(CASES_PER_ROUTE, SEED, routes.length);
	const cases = [...generateCases(routes, CASES_PER_ROUTE, SEED), uploads];
	const poller = new HealthPoller(topology.healthUrls);
	const summary: Summary = {
		// The routes fuzzed from the document, and the raw upload of tests (test/adversarial/uploads.ts).
		routes: routes.length + 1,
		cases: 0,
		headerCases: 0,
		uploadCases: uploads.length,
		asAdmin: {},
		byClass: {},
		fiveXX: 0,
		slowest: { ms: 0, what: "" },
		health: { max: 0, p99: 0, count: 0, slow: [], failures: [] },
		stateChecked: 0,
		violations: [],
		timings: { send: 0, probe: 0, settle: 0 }
	};
	try {
		let state = await controlWrite(probe, fixtures, topology.baseUrl);
		for (const routeCases of cases) {
			poller.current = `(checking the fixtures before ${routeCases[0]?.route.key})`;
			if (await fixtures.ensure()) state = await probe.settle();
			/**
			 * Answers to the cases sent with the fixture's token and no hostile header, and how many
			 * were 401 (403 on admin-only routes): all of them would mean the token, not the input, was refused.
			 */
			const withToken = { sent: 0, unauthorized: 0, forbidden: 0 };
			for (const c of routeCases) {
				const built = c.build(fixtures);
				poller.current = `${c.route.key} [${c.target}: ${c.kind}]`;
				const token = c.anonymous || c.header === "authorization" ? undefined : fixtures.tokenFor(c.route);
				const answer: Answer = await send(topology.baseUrl, c.route.method, built.path, {
					body: built.body,
					contentType: built.contentType,
					chunked: built.chunked,
					raw: built.raw,
					token,
					headers: built.headers
				});
				poller.current = `(after ${c.route.key} [${c.target}: ${c.kind}] → ${answer.status})`;
				summary.timings.send += answer.ms;
				const afterSend = performance.now();
				summary.cases++;
				if (c.header) {
					if (c.route !== UPLOAD_ROUTE) summary.headerCases++;
				} else if (!c.anonymous) {
					withToken.sent++;
					if (answer.status === 401) withToken.unauthorized++;
					if (answer.status === 403) withToken.forbidden++;
					if (adminOnly(c.route)) {
						const tally = (summary.asAdmin[c.route.key] ??= {});
						tally[answer.status] = (tally[answer.status] ?? 0) + 1;
					}
				}
				const statusClass = answer.status ? `${Math.floor(answer.status / 100)}xx` : "none";
				summary.byClass[statusClass] = (summary.byClass[statusClass] ?? 0) + 1;
				if (answer.status >= 500) summary.fiveXX++;
				if (answer.ms > summary.slowest.ms)
					summary.slowest = { ms: answer.ms, what: `${c.route.key} [${c.target}: ${c.kind}] → ${answer.status}` };

				let changes: string[] = [];
				if (answer.status >= 400 && answer.status < 500) {
					const after = await probe.fingerprint();
					changes = StateProbe.changes(state, after);
					summary.stateChecked++;
					state = after;
				} else if (c.route.method === "GET" && answer.status >= 200 && answer.status < 300) {
					state = await probe.fingerprint();
				} else {
					// A write went through (or failed in an unknown way): let its effects land, repair the fixtures.
					await probe.settle();
					if (fixtures.usesSession(c.route)) await fixtures.renewSession();
					await fixtures.ensure();
					state = await probe.settle();
				}
				summary.timings[answer.status >= 400 && answer.status < 500 ? "probe" : "settle"] += performance.now() - afterSend;
				const problems = answerProblems(c, answer, changes);
				if (problems.length) {
					summary.violations.push({
						route: c.route.key,
						target: c.target,
						kind: c.kind,
						anonymous: c.anonymous,
						status: answer.status,
						problems,
						request: describeRequest(c, built),
						answer: answer.error ?? answer.text
					});
				}
			}
			const route = routeCases[0]?.route;
			if (route && route.auth !== "none" && withToken.sent > 0 && withToken.unauthorized === withToken.sent) {
				summary.violations.push({
					route: route.key,
					target: "-",
					kind: "token",
					anonymous: false,
					status: 401,
					problems: [`all ${withToken.sent} cases sent with a valid token answered 401: the input was never looked at`],
					request: "-",
					answer: ""
				});
			}
			if (route && adminOnly(route) && withToken.sent > 0 && withToken.forbidden === withToken.sent) {
				summary.violations.push({
					route: route.key,
					target: "-",
					kind: "token",
					anonymous: false,
					status: 403,
					problems: [`all ${withToken.sent} cases sent with the admin's token answered 403: the input was never looked at`],
					request: "-",
					answer: ""
				});
			}
		}
	} finally {
		summary.health = await poller.stop();
		await probe.close();
	}
	if (summary.health.max >= MAX_HEALTH_MS) {
		summary.violations.push({
			route: "GET /health/live",
			target: "-",
			kind: "poll",
			anonymous: true,
			status: 200,
			problems: [`health latency max ${Math.round(summary.health.max)} ms (≥ ${MAX_HEALTH_MS})`],
			request: "polled during the run",
			answer: ""
		});
	}
	for (const failure of new Set(summary.health.failures)) {
		summary.violations.push({
			route: "GET /health/live",
			target: "-",
			kind: "poll",
			anonymous: true,
			status: 0,
			problems: [`health probe failed: ${failure}`],
			request: "polled during the run",
			answer: ""
		});
	}

	const classes = Object.entries(summary.byClass)
		.sort()
		.map(([k, v]) => `${k} ${v}`)
		.join(", ");
	t.diagnostic(
		`[${topology.label}] ${summary.routes - 1} documented JSON routes × ${CASES_PER_ROUTE} cases + ${summary.headerCases} header cases (Authorization ×${HEADER_CASES_PER_ROUTE} per route, Idempotency-Key ×${HEADER_CASES_PER_ROUTE} per write) + the tests' upload ${summary.uploadCases} cases = ${summary.cases} requests (seed ${SEED}); ` +
			`admin-only routes ${
				routes
					.filter(adminOnly)
					.map(r => r.key)
					.join(", ") || "none"
			} sent as admin; ${classes}; 5xx ${summary.fiveXX}; ` +
			`slowest ${Math.round(summary.slowest.ms)} ms (${summary.slowest.what}); /health/live max ${Math.round(summary.health.max)} ms, p99 ${Math.round(summary.health.p99)} ms over ${summary.health.count} probes; ` +
			`state checked after ${summary.stateChecked} 4xx; ${summary.violations.length} violations ` +
			`(time: sending ${Math.round(summary.timings.send / 1000)} s, fingerprints ${Math.round(summary.timings.probe / 1000)} s, settling ${Math.round(summary.timings.settle / 1000)} s)`
	);
	const asAdmin = Object.entries(summary.asAdmin).map(
		([route, tally]) =>
			`${route} ${Object.entries(tally)
				.map(([status, n]) => `${status}×${n}`)
				.join(" ")}`
	);
	t.diagnostic(`[${topology.label}] answers to the admin's cases of admin-only routes: ${asAdmin.join("; ")}`);
	for (const line of groupViolations(summary.violations)) t.diagnostic(line);
	for (const line of summary.health.slow.slice(0, 20)) t.diagnostic(`slow health probe: ${line}`);
	return summary;
}

/** The run's verdict, with the violations grouped by route and problem. */
export function assertNoViolations(summary: Summary): void {
	if (summary.violations.length)
		assert.fail(`${summary.violations.length} hostile answers were wrong:\n${groupViolations(summary.violations).join("\n")}`);
}
