/**
 * What Prometheus sees of a node: a node with METRICS_ENABLED=true on METRICS_PORT=0 (any free
 * port), a few calls through the gateway (a write that emits an event, a cached read twice, a
 * 404), a breaker opened on purpose (and half-open 10 s later), then its /metrics scraped over
 * HTTP as Prometheus would.
 * The Grafana dashboard's queries are checked against the same scrape.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Errors } from "moleculer";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { metricSum, parsePrometheus, REPO_ROOT, type Sample } from "../helpers/processes";
import { unavailable } from "../helpers/services";

const skip = unavailable("postgres");

/** The port the Prometheus reporter got for METRICS_PORT=0 (Moleculer only logs it). */
async function metricsPort(platform: Platform): Promise<number> {
	const reporters = (platform.broker.metrics as unknown as { reporter?: { server?: Server }[] }).reporter ?? [];
	const server = reporters.find(r => r.server)?.server;
	assert.ok(server, "a Prometheus reporter with an HTTP server");
	if (!server.listening) await new Promise(resolve => server.once("listening", resolve));
	return (server.address() as AddressInfo).port;
}

describe("the metrics a node exposes to Prometheus", { skip, concurrency: 1 }, () => {
	const namespace = `metrics-test-${randomBytes(4).toString("hex")}`;
	const nodeID = `${namespace}-node`;
	const dbs = { users: scratchDatabase("codelearn_test_users"), audit: scratchDatabase("codelearn_test_audit") };
	let platform: Platform;
	let scrapeUrl: string;
	/** The last scrape, and the one taken while the breaker was open. */
	let text = "";
	let whileOpen = "";
	let samples: Sample[] = [];

	async function scrape(): Promise<string> {
		const res = await fetch(scrapeUrl, { signal: AbortSignal.timeout(10_000) });
		assert.equal(res.status, 200);
		assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
		text = await res.text();
		samples = parsePrometheus(text);
		return text;
	}

	const series = (name: string, labels: Record<string, string> = {}) =>
		samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

	before(
		async () => {
			platform = await startPlatform({
				SERVICES: "gateway,users,audit",
				NAMESPACE: namespace,
				NODE_ID: nodeID,
				USERS_DATABASE_URL: dbs.users.url,
				AUDIT_DATABASE_URL: dbs.audit.url,
				METRICS_ENABLED: "true",
				METRICS_PORT: "0"
			});
			scrapeUrl = `http://127.0.0.1:${await metricsPort(platform)}/metrics`;

			const user = newUser("metrics");
			const registered = await platform.api("POST", "/api/auth/register", { body: user });
			assert.equal(registered.status, 201, JSON.stringify(registered.body));
			// users.profile is cached by username: a miss, then a hit (signed in: the gateway's copy serves anonymous readers only).
			for (let i = 0; i < 2; i++) {
				const read = await platform.api("GET", `/api/users/${user.username}`, { token: registered.body.accessToken });
				assert.equal(read.status, 200);
			}
			const missing = await platform.api("GET", "/api/users/nobody-at-all");
			assert.equal(missing.status, 404, JSON.stringify(missing.body));

			// A breaker opens after 20 calls with ≥ 50 % server errors; it half-opens 10 s later.
			platform.broker.createService({
				name: "flaky",
				actions: {
					fail() {
						throw new Errors.MoleculerServerError("down on purpose", 503, "DOWN");
					}
				}
			});
			await platform.broker.waitForServices("flaky", 10_000);
			for (let i = 0; i < 20; i++) await assert.rejects(platform.broker.call("flaky.fail"), { code: 503 });
			await assert.rejects(platform.broker.call("flaky.fail"), { name: "ServiceNotAvailableError" }, "the breaker is open");
			whileOpen = await scrape();

			// The user.created event reaches audit through the outbox, and the breaker half-opens
			// after 10 s: the scrape the tests read is taken once both happened.
			await eventually(
				"the user.created event consumed by audit, the users outbox drained, the breaker half-open",
				async () => {
					await scrape();
					return {
						consumed: metricSum(text, "codelearn_events_consumed_total", { service: "audit" }),
						backlog: series("codelearn_outbox_backlog", { service: "users" }).map(s => s.value),
						halfOpen: metricSum(text, "moleculer_circuit_breaker_half_opened_active", { action: "flaky.fail" })
					};
				},
				s => s.consumed >= 1 && s.backlog.length === 1 && s.backlog[0] === 0 && s.halfOpen === 1,
				30_000,
				250
			);
		},
		{ timeout: 120_000 }
	);

	after(
		async () => {
			await platform?.stop();
			await Promise.all(Object.values(dbs).map(db => db.drop()));
		},
		{ timeout: 30_000 }
	);

	test("when actions were called through the gateway, then request counts and latencies are exported per action", () => {
		const local = { type: "local", namespace, nodeID };
		assert.equal(metricSum(text, "moleculer_request_total", { ...local, action: "users.register" }), 1);
		assert.equal(metricSum(text, "moleculer_request_total", { ...local, action: "users.profile" }), 3);
		assert.ok(metricSum(text, "moleculer_request_total", { ...local, action: "gateway.rest" }) >= 4);

		const count = metricSum(text, "moleculer_request_time_count", { ...local, action: "users.profile" });
		const buckets = series("moleculer_request_time_bucket", { ...local, action: "users.profile" });
		assert.equal(count, 3);
		assert.equal(buckets.find(b => b.labels.le === "+Inf")?.value, 3, "the +Inf bucket counts every call");
		const values = buckets.map(b => b.value);
		assert.deepEqual(
			values,
			[...values].sort((a, b) => a - b),
			"buckets are cumulative"
		);
		const sumMs = metricSum(text, "moleculer_request_time_sum", { ...local, action: "users.register" });
		assert.ok(sumMs > 0 && sumMs < 60_000, `users.register took ${sumMs} ms`);
	});

	test("when a call failed, then the error is counted with its action and code", () => {
		assert.equal(
			metricSum(text, "moleculer_request_error_total", {
				type: "local",
				action: "users.profile",
				errorCode: "404",
				errorType: "NOT_FOUND"
			}),
			1
		);
		assert.equal(metricSum(text, "moleculer_request_error_total", { action: "users.register" }), 0);
	});

	test("when a cached read is repeated, then the cacher counts the read and the hit", () => {
		const reads = metricSum(text, "moleculer_cacher_get_total");
		const hits = metricSum(text, "moleculer_cacher_found_total");
		assert.ok(reads >= 2, `cache reads: ${reads}`);
		assert.ok(hits >= 1 && hits < reads, `cache hits: ${hits} of ${reads}`);
	});

	test("when a breaker opened and later half-opened, then both states are exported for its endpoint", () => {
		const breaker = { affectedNodeID: nodeID, service: "flaky", action: "flaky.fail" };
		assert.equal(metricSum(whileOpen, "moleculer_circuit_breaker_opened_active", breaker), 1);
		assert.equal(metricSum(whileOpen, "moleculer_circuit_breaker_opened_total", breaker), 1);
		assert.equal(metricSum(text, "moleculer_circuit_breaker_opened_active", breaker), 0);
		assert.equal(metricSum(text, "moleculer_circuit_breaker_half_opened_active", breaker), 1);
		assert.equal(metricSum(text, "moleculer_circuit_breaker_opened_total", breaker), 1);
	});

	test("when a service writes and another consumes, then the outbox and consumer series are exported", () => {
		assert.equal(metricSum(text, "codelearn_outbox_backlog", { service: "users" }), 0);
		assert.ok(metricSum(text, "codelearn_outbox_published_total", { service: "users" }) >= 1);
		assert.equal(metricSum(text, "codelearn_outbox_publish_failures_total", { service: "users" }), 0);
		assert.ok(metricSum(text, "codelearn_events_consumed_total", { service: "audit" }) >= 1);
		assert.equal(metricSum(text, "codelearn_events_dead_letters_total", { service: "audit" }), 0);
		const lag = series("codelearn_events_consumer_lag_bucket", { service: "audit", le: "+Inf" });
		assert.ok(lag.length === 1 && lag[0].value >= 1, "the consumer lag histogram has the event");
	});

	test("when the node is scraped, then no series publishes the command line, host name, user or addresses", () => {
		const names = new Set(samples.map(s => s.name));
		for (const name of names) {
			assert.doesNotMatch(name, /^(process_(arguments|pid|ppid)|os_hostname|os_user|os_network|os_cpu_info)/, name);
		}
		const hostname = os.hostname();
		for (const sample of samples) {
			assert.ok(!Object.values(sample.labels).includes(hostname), `${sample.name} carries the host name`);
		}
		assert.ok(!text.includes(process.argv[1] ?? "\0"), "no command-line path in the scrape");
	});

	test("when the Grafana dashboard is read, then every metric its queries use is in the scrape", () => {
		const dashboard = JSON.parse(readFileSync(path.join(REPO_ROOT, "deploy/grafana/dashboard.json"), "utf8"));
		const exprs: string[] = [];
		const visit = (value: unknown) => {
			if (Array.isArray(value)) value.forEach(visit);
			else if (value && typeof value === "object") {
				for (const [k, v] of Object.entries(value)) {
					if (k === "expr" && typeof v === "string") exprs.push(v);
					else visit(v);
				}
			}
		};
		visit(dashboard);
		assert.ok(exprs.length >= 10, `queries found: ${exprs.length}`);
		const used = new Set(exprs.flatMap(e => e.match(/\b(?:moleculer|codelearn|process|os)_[a-z0-9_]+/g) ?? []));
		const scraped = new Set(samples.map(s => s.name));
		const stale = [...used].filter(name => !scraped.has(name));
		assert.deepEqual(stale, [], "dashboard metrics missing from the scrape");
	});
});
