/**
 * RabbitMQ away for 20 s under writes, with real processes: a front node (gateway + users) and a
 * consumer node (notifications + audit), both reaching RabbitMQ (transporter and domain events)
 * through a fault proxy that is cut. Writes local to the front node go on; their events wait in
 * the outbox and arrive after, once each; calls that need the other node fail cleanly meanwhile;
 * no node crashes, and the nodes find each other again.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { deleteEventTopology } from "../helpers/amqp";
import { query } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { eventually } from "../helpers/eventually";
import { FaultProxy } from "../helpers/fault-proxy";
import { type ApiResponse, apiClient, newUser } from "../helpers/http";
import { freePorts, NodeGroup, type NodeProcess } from "../helpers/processes";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const START_DEADLINE_MS = 60_000;
const OUTAGE_MS = 20_000;
/** A write is sent this often during the outage. */
const WRITE_EVERY_MS = 1000;
/** A call that needs the unreachable node answers within this (the heartbeat timeout is 2.5 s). */
const FAILS_WITHIN_MS = 4000;
/** After RabbitMQ is back: reconnects (2 s apart at most), then the relays publish the backlog. */
const RECOVERY_MS = 30_000;

describe("RabbitMQ away for 20 s under writes", { skip: unavailable("postgres", "amqp"), concurrency: 1 }, () => {
	const namespace = `e2e-amqp-outage-${process.pid}-${randomBytes(3).toString("hex")}`;
	const dbs = {
		users: scratchDatabase("e2e_amqp_outage_users"),
		notifications: scratchDatabase("e2e_amqp_outage_notifications"),
		audit: scratchDatabase("e2e_amqp_outage_audit")
	};
	const nodes = new NodeGroup();
	let proxy: FaultProxy;
	let front: NodeProcess;
	let consumer: NodeProcess;
	let api: ReturnType<typeof apiClient>;
	let token: string;

	const inbox = () => api("GET", "/api/notifications", { token });

	before(
		async () => {
			const amqp = new URL(TEST_SERVICES.amqp);
			proxy = await FaultProxy.start(Number(amqp.port || 5672), amqp.hostname);
			const common = {
				NODE_ENV: "test",
				NAMESPACE: namespace,
				JWT_SECRET: TEST_JWT_SECRET,
				LOG_LEVEL: "warn",
				CACHER: "memory",
				TRANSPORTER: proxy.urlFor(TEST_SERVICES.amqp),
				DATABASE_POOL_MAX: "4"
			};
			const [port, frontMetrics, health, consumerMetrics] = await freePorts(4);
			front = nodes.start({
				name: "front",
				env: {
					...common,
					SERVICES: "gateway,users",
					NODE_ID: `${namespace}-front`,
					PORT: String(port),
					METRICS_PORT: String(frontMetrics),
					USERS_DATABASE_URL: dbs.users.url
				}
			});
			consumer = nodes.start({
				name: "consumer",
				env: {
					...common,
					SERVICES: "notifications,audit",
					NODE_ID: `${namespace}-consumer`,
					HEALTH_PORT: String(health),
					METRICS_PORT: String(consumerMetrics),
					NOTIFICATIONS_DATABASE_URL: dbs.notifications.url,
					AUDIT_DATABASE_URL: dbs.audit.url
				}
			});
			try {
				await Promise.all([front.waitReady(START_DEADLINE_MS), consumer.waitReady(START_DEADLINE_MS)]);
				api = apiClient(`http://127.0.0.1:${port}`);
				const registered = await api("POST", "/api/auth/register", { body: newUser("amqp") });
				assert.equal(registered.status, 201);
				token = registered.body.accessToken;
				await eventually("the front node routes to notifications", inbox, res => res.status === 200, 20_000);
			} catch (err) {
				process.stderr.write(`${nodes.outputs()}\n`);
				throw err;
			}
		},
		{ timeout: START_DEADLINE_MS + 30_000 }
	);

	after(
		async () => {
			proxy?.restore();
			await nodes.stopAll(15_000);
			await proxy?.close();
			await Promise.all([...Object.values(dbs).map(db => db.drop()), deleteEventTopology(namespace)]);
		},
		{ timeout: 60_000 }
	);

	test(
		"when RabbitMQ is cut for 20 s then local writes succeed, remote calls fail cleanly, and after it every event arrives once",
		{ timeout: 120_000 },
		t =>
			nodes.diagnosed(t, async () => {
				proxy.cut();
				const cutAt = performance.now();
				const writes: ApiResponse[] = [];
				const remote: { status: number; type?: string; tookMs: number }[] = [];
				while (performance.now() - cutAt < OUTAGE_MS) {
					writes.push(await api("POST", "/api/auth/register", { body: newUser("amqp") }));
					const startedAt = performance.now();
					const res = await inbox();
					remote.push({ status: res.status, type: res.body?.type, tookMs: performance.now() - startedAt });
					await delay(WRITE_EVERY_MS);
				}
				assert.equal(front.child.exitCode, null, "the front node runs on");
				assert.equal(consumer.child.exitCode, null, "the consumer node runs on");
				proxy.restore();
				const restoredAt = performance.now();

				t.diagnostic(
					`during the outage: ${writes.length} registrations ${JSON.stringify(writes.map(w => w.status))}; ` +
						`calls to the other node: ${JSON.stringify(remote.map(r => `${r.status} ${r.type ?? ""} in ${Math.round(r.tookMs)} ms`))}`
				);
				for (const w of writes) assert.equal(w.status, 201, JSON.stringify(w.body));
				for (const r of remote) {
					assert.ok([200, 503, 504].includes(r.status), `a call to the other node answered ${r.status}`);
					assert.ok(r.tookMs <= FAILS_WITHIN_MS, `a call to the other node took ${Math.round(r.tookMs)} ms`);
				}
				assert.ok(
					remote.some(r => r.status !== 200),
					"the other node was unreachable during the outage"
				);

				const ids = writes.map(w => w.body.user.id as string);
				const audited = await eventually(
					"every user.created of the outage reached the audit trail",
					() =>
						query<{ aggregate_id: string }>(
							dbs.audit.url,
							"SELECT aggregate_id FROM audit.audit_events WHERE type = 'user.created' AND aggregate_id = ANY($1)",
							[ids]
						),
					rows => rows.length >= ids.length,
					RECOVERY_MS
				);
				assert.deepEqual(audited.map(r => r.aggregate_id).sort(), [...ids].sort(), "each event once");
				await eventually("the front node routes to the consumer node again", inbox, res => res.status === 200, RECOVERY_MS);
				t.diagnostic(`recovered ${Math.round(performance.now() - restoredAt)} ms after RabbitMQ came back`);
			})
	);
});
