/**
 * Domain events across a crash, with real processes: a users node (gateway + users) commits
 * writes while it cannot reach RabbitMQ, so its events are committed in the outbox and not
 * published; it is then killed -9 and started again with RabbitMQ reachable. The audit node, a
 * separate process, must receive every event once. Observed from outside: HTTP, the nodes'
 * Prometheus endpoints, and the two databases.
 */
import assert from "node:assert/strict";
import { eventually as poll } from "../helpers/eventually";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Client } from "pg";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { apiClient, newUser } from "../helpers/http";
import { freePort, freePorts, metricSum, NodeGroup, type NodeProcess } from "../helpers/processes";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** Process start (tsx compiles on the fly) up to a ready node. */
const START_DEADLINE_MS = 30_000;
/** A restarted relay publishes on its first pass; the consumer applies within milliseconds. */
const DELIVERY_DEADLINE_MS = 20_000;

function eventually<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = DELIVERY_DEADLINE_MS) {
	return poll(what, probe, ok, timeoutMs);
}

/** One query on a fresh connection (the databases are dropped with FORCE in `after` anyway). */
async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
	const client = new Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query(sql, params)).rows as T[];
	} finally {
		await client.end();
	}
}

describe(
	"an event committed by a node that is killed -9 before publishing it",
	{ skip: unavailable("postgres", "amqp"), concurrency: 1 },
	() => {
		const namespace = `e2e-events-${process.pid}-${randomBytes(3).toString("hex")}`;
		const usersDb = scratchDatabase("e2e_events_users");
		const auditDb = scratchDatabase("e2e_events_audit");
		const nodes = new NodeGroup();
		const common = {
			NODE_ENV: "test",
			NAMESPACE: namespace,
			JWT_SECRET: TEST_JWT_SECRET,
			LOG_LEVEL: "warn",
			CACHER: "memory",
			DATABASE_POOL_MAX: "4"
		};
		let audit: NodeProcess;

		async function startUsers(eventsAmqpUrl: string): Promise<NodeProcess> {
			const [port, metricsPort] = await freePorts(2);
			return nodes.start({
				name: "users",
				env: {
					...common,
					SERVICES: "gateway,users",
					// A restarted container keeps its node ID (the pod name).
					NODE_ID: `${namespace}-users`,
					PORT: String(port),
					METRICS_PORT: String(metricsPort),
					EVENTS_AMQP_URL: eventsAmqpUrl,
					USERS_DATABASE_URL: usersDb.url
				}
			});
		}

		before(
			async () => {
				const [healthPort, metricsPort] = await freePorts(2);
				audit = nodes.start({
					name: "audit",
					env: {
						...common,
						SERVICES: "audit",
						NODE_ID: `${namespace}-audit`,
						HEALTH_PORT: String(healthPort),
						METRICS_PORT: String(metricsPort),
						EVENTS_AMQP_URL: TEST_SERVICES.amqp,
						AUDIT_DATABASE_URL: auditDb.url
					}
				});
				await audit.waitReady(START_DEADLINE_MS);
			},
			{ timeout: START_DEADLINE_MS + 5000 }
		);

		after(
			async () => {
				await nodes.stopAll(15_000);
				await Promise.all([usersDb.drop(), auditDb.drop(), deleteEventTopology(namespace)]);
			},
			{ timeout: 40_000 }
		);

		test(
			"when the producer is killed -9 between commit and publish, then after its restart the events are delivered, once",
			{ timeout: 120_000 },
			t =>
				nodes.diagnosed(t, async () => {
					// RabbitMQ unreachable for this node: every commit lands in the outbox, none is published.
					const closedPort = await freePort();
					const first = await startUsers(`amqp://guest:guest@127.0.0.1:${closedPort}`);
					await first.waitReady(START_DEADLINE_MS);
					const api = apiClient(`http://127.0.0.1:${first.env.PORT}`);
					const body = newUser("crash");
					const registered = await api("POST", "/api/auth/register", { body });
					assert.equal(registered.status, 201, JSON.stringify(registered.body));
					const patched = await api("PATCH", "/api/users/me", {
						token: registered.body.accessToken,
						body: { displayName: "Before the crash" }
					});
					assert.equal(patched.status, 200, JSON.stringify(patched.body));
					const userId: string = registered.body.user.id;

					const outbox = () =>
						query<{ event_id: string; type: string; sent: boolean }>(
							usersDb.url,
							`SELECT event_id, type, sent_at IS NOT NULL AS sent FROM users.outbox WHERE aggregate_id = $1 ORDER BY seq`,
							[userId]
						);
					const committed = await outbox();
					assert.deepEqual(
						committed.map(r => r.type),
						["user.created", "user.updated"]
					);
					// The relay has tried and failed since the commits: the events are committed and unpublished.
					await eventually(
						"the relay failed to publish",
						async () => metricSum(await first.metrics(), "codelearn_outbox_publish_failures_total", { service: "users" }),
						n => n >= 1
					);
					assert.ok(
						(await outbox()).every(r => !r.sent),
						"no event is marked sent"
					);
					await eventually(
						"the backlog gauge shows both waiting events",
						async () => metricSum(await first.metrics(), "codelearn_outbox_backlog", { service: "users" }),
						n => n === 2
					);
					const ids = committed.map(r => r.event_id);

					first.child.kill("SIGKILL");
					assert.equal((await first.exited).signal, "SIGKILL");

					const second = await startUsers(TEST_SERVICES.amqp);
					await second.waitReady(START_DEADLINE_MS);
					const audited = await eventually(
						"the audit node applied both events",
						() =>
							query<{ event_id: string; type: string }>(
								auditDb.url,
								`SELECT event_id, type FROM audit.audit_events WHERE event_id = ANY($1::uuid[]) ORDER BY occurred_at`,
								[ids]
							),
						rows => rows.length === ids.length
					);
					assert.deepEqual(
						audited.map(r => r.event_id),
						ids,
						"each event exactly once"
					);
					const [{ processed }] = await query<{ processed: number }>(
						auditDb.url,
						`SELECT count(*)::int AS processed FROM audit.processed_events WHERE event_id = ANY($1::uuid[])`,
						[ids]
					);
					assert.equal(processed, ids.length);
					await eventually("the outbox marks them sent", outbox, rows => rows.every(r => r.sent));
					// Nothing was applied twice: the consumer's duplicate counter stays at zero.
					assert.equal(metricSum(await audit.metrics(), "codelearn_events_duplicates_total", { service: "audit" }), 0);
					const auditMetrics = await audit.metrics();
					assert.equal(metricSum(auditMetrics, "codelearn_events_consumed_total", { service: "audit" }), ids.length);
					assert.match(
						auditMetrics,
						/^# TYPE codelearn_events_dead_letters_total counter$/m,
						"the dead-letter counter is exported"
					);
					await eventually(
						"the restarted node's backlog gauge is 0",
						async () => {
							const text = await second.metrics();
							return /^codelearn_outbox_backlog\{[^}]*service="users"[^}]*\} 0$/m.test(text);
						},
						ok => ok
					);
				})
		);
	}
);
