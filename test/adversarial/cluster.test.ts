/**
 * Hostile requests generated from the OpenAPI document against a cluster: a gateway node and one
 * node with every other service (the judge too), separate processes talking over RabbitMQ (AMQP),
 * each service that owns a database on its own database of the real PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { DATABASE_SERVICES } from "../../config";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { eventually } from "../helpers/eventually";
import { freePorts, NodeGroup } from "../helpers/processes";
import { JUDGE_START_DEADLINE_MS } from "../helpers/judge";
import { TEST_SERVICES, unavailable } from "../helpers/services";
import { assertNoViolations, runCampaign, type Topology } from "./campaign";
import { send } from "./client";
import { createAdminByScript } from "./fixtures";
import { regressionCases } from "./regressions";
import { HOSTILE_ENV } from "./topology-env";

const START_DEADLINE_MS = 60_000;

describe("hostile input on a gateway node and a services node over AMQP", { skip: unavailable("postgres", "amqp"), concurrency: 1 }, () => {
	const namespace = `adv-${process.pid}-${randomBytes(3).toString("hex")}`;
	const databases = DATABASE_SERVICES.map(service => [service, scratchDatabase(`codelearn_test_adv_cluster_${service}`)] as const);
	const nodes = new NodeGroup();
	let topology: Topology;

	before(async () => {
		const [port, healthPort] = await freePorts(2);
		const env = {
			...HOSTILE_ENV,
			NODE_ENV: "test",
			NAMESPACE: namespace,
			TRANSPORTER: TEST_SERVICES.amqp,
			EVENTS_AMQP_URL: TEST_SERVICES.amqp,
			CACHER: "memory",
			JWT_SECRET: TEST_JWT_SECRET,
			LOG_LEVEL: "warn",
			METRICS_ENABLED: "false",
			PASSWORD_HASH_LOG_N: "12"
		};
		const gateway = nodes.start({
			name: "gateway",
			env: { ...env, SERVICES: "gateway", NODE_ID: `${namespace}-gateway`, PORT: String(port) }
		});
		const services = nodes.start({
			name: "services",
			env: {
				...env,
				// Every service with a database, and the judge (no database: it works through problems' actions).
				SERVICES: [...DATABASE_SERVICES, "judge"].join(","),
				NODE_ID: `${namespace}-services`,
				HEALTH_PORT: String(healthPort),
				DATABASE_POOL_MAX: "4",
				...Object.fromEntries(databases.map(([service, db]) => [`${service.toUpperCase()}_DATABASE_URL`, db.url]))
			}
		});
		// The judge's start includes its sandboxes' probes (C and C++ compile a program in WebAssembly).
		await Promise.all([gateway.waitReady(START_DEADLINE_MS), services.waitReady(JUDGE_START_DEADLINE_MS)]);
		const baseUrl = `http://127.0.0.1:${port}`;
		// Ready nodes, then discovery: the gateway routes to the services node.
		for (const path of ["/api/categories", "/api/judge/languages"]) {
			await eventually(
				`the gateway reaches the services node (${path})`,
				() => send(baseUrl, "GET", path),
				a => a.status === 200,
				20_000
			);
		}
		topology = {
			label: "cluster over AMQP",
			baseUrl,
			healthUrls: [`${baseUrl}/health/live`, `http://127.0.0.1:${healthPort}/health/live`],
			databases: Object.fromEntries(databases.map(([service, db]) => [service, db.url])),
			// No broker here: `npm run create-admin`'s script joins the cluster with its environment.
			createAdmin: createAdminByScript(env),
			jwtSecret: TEST_JWT_SECRET
		};
	});

	after(async () => {
		await nodes.stopAll();
		await Promise.all([...databases.map(([, db]) => db.drop()), deleteEventTopology(namespace)]);
	});

	it("when every parameter of every documented route gets hostile values then no 5xx, the error shape, no leak, fast answers and no state change after a 4xx", async t => {
		const summary = await runCampaign(t, topology);
		const output = nodes.outputs();
		if (summary.violations.length) t.diagnostic(output.slice(-4000));
		assertNoViolations(summary);
	});

	regressionCases(() => topology);
});
