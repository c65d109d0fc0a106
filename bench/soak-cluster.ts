/**
 * The soak's cluster over RabbitMQ, Redis cacher, a scratch PostgreSQL database per service and a
 * namespace of its own: one gateway node, and node groups by SERVICES, two nodes each where the
 * group may be killed (so that a kill leaves a replica to serve). A killed node is started again
 * as a new incarnation (a new NODE_ID, as a restarted pod gets). Everything is undone at the
 * bench's clean-up: processes, queues, exchanges, Redis keys, databases.
 */
import { randomBytes } from "node:crypto";
import { deleteEventTopology } from "../lib/events/topology";
import { EVENT_TOPOLOGY } from "../services/contracts";
import { onCleanup } from "./cleanup";
import { cleanEnv, deleteRedisKeys, deleteTransporterExchanges, dropDatabase, withDatabase } from "./infrastructure";
import type { BenchOptions } from "./options";
import { type BenchProcess, freePort, spawnScript, waitForOk } from "./processes";

/** The services with a database in the soak's cluster. */
export const SOAK_DATABASES = ["users", "posts", "problems", "audit", "notifications", "rankings"] as const;
export type SoakDatabase = (typeof SOAK_DATABASES)[number];

/**
 * The node groups. Killed: users, posts, problems and the consumers (audit, notifications and
 * rankings share a node: three more processes would not fit two cores). Never killed: the gateway,
 * the single entry point, and the judge (its sandboxes' start-up costs a core for seconds).
 */
const GROUPS: { services: string; nodes: number; killable: boolean }[] = [
	{ services: "gateway", nodes: 1, killable: false },
	{ services: "users", nodes: 2, killable: true },
	{ services: "posts", nodes: 2, killable: true },
	{ services: "problems", nodes: 2, killable: true },
	{ services: "audit,notifications,rankings", nodes: 2, killable: true },
	{ services: "judge", nodes: 1, killable: false }
];

export interface SoakNode {
	/** `<group>-<slot>`, e.g. `posts-2`; an incarnation after a kill keeps it. */
	name: string;
	group: SoakGroup;
	process: BenchProcess;
	incarnation: number;
	readyUrl: string;
	/** Whether its /health/ready answered since it (this incarnation) started. */
	ready: boolean;
}

export interface SoakGroup {
	services: string;
	killable: boolean;
	nodes: SoakNode[];
}

export interface SoakCluster {
	baseUrl: string;
	/** Whether RabbitMQ's event exchange is on: nodes then drop a killed node at once, else at the heartbeat timeout (2.5 s). */
	deadNodeWatch: boolean;
	namespace: string;
	databaseUrls: Record<SoakDatabase, string>;
	groups: SoakGroup[];
	/** Every process running now. */
	processes(): BenchProcess[];
	/** SIGKILLs the node, waits for its exit, starts its next incarnation; resolves when that one is ready (or rejects at the deadline). */
	killAndRestart(node: SoakNode, readyDeadlineMs: number): Promise<void>;
	/** Nodes that exited though the soak did not kill them (a crash, or a signal from elsewhere on a shared machine). */
	unkilledExits: UnkilledExit[];
}

export interface UnkilledExit {
	node: string;
	pid: number;
	/** "code 0" (a SIGTERM or SIGINT the broker handled), "signal SIGKILL", ... */
	how: string;
	/** performance.now() of the exit. */
	at: number;
}

const TOKEN_TTL_S = 24 * 3600;

/** Whether RabbitMQ has its event exchange (plugin rabbitmq_event_exchange), which lib/dead-node-watch.ts listens to. */
async function hasEventExchange(amqpUrl: string): Promise<boolean> {
	const { default: amqp } = await import("amqplib");
	const connection = await amqp.connect(amqpUrl);
	connection.on("error", () => {});
	try {
		const channel = await connection.createChannel();
		channel.on("error", () => {});
		return await channel.checkExchange("amq.rabbitmq.event").then(
			() => true,
			() => false
		);
	} finally {
		await connection.close().catch(() => {});
	}
}

/** Ports handed out to this cluster's nodes: never twice, even before a node has bound its port. */
const handedOut = new Set<number>();

async function unusedPort(): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

export async function startSoakCluster(options: BenchOptions, log: (line: string) => void): Promise<SoakCluster> {
	const suffix = randomBytes(3).toString("hex");
	const namespace = `bench-soak-${suffix}`;
	const database = `bench_soak_${process.pid}_${suffix}`;
	const databaseUrls = Object.fromEntries(
		SOAK_DATABASES.map(service => [service, withDatabase(options.postgresUrl, `${database}_${service}`)])
	) as Record<SoakDatabase, string>;
	const gatewayPort = await unusedPort();
	const common: Record<string, string> = {
		NODE_ENV: "test",
		NAMESPACE: namespace,
		JWT_SECRET: randomBytes(32).toString("hex"),
		LOG_LEVEL: "warn",
		METRICS_ENABLED: "false",
		HOST: "127.0.0.1",
		ACCESS_TOKEN_TTL_S: String(TOKEN_TTL_S),
		// Every request comes from 127.0.0.1: the gateway's limits would shape the figures.
		RATE_LIMIT_MAX: "100000000",
		REGISTER_MAX_PER_CLIENT: "100000",
		// The soak's users register through the API: scrypt at the tests' cost, not production's.
		PASSWORD_HASH_LOG_N: "12",
		// Twelve pools (a consumers node has three) within PostgreSQL's 100 connections, restarts overlapping.
		DATABASE_POOL_MAX: "4",
		JUDGE_SLOTS: "1",
		TRANSPORTER: options.amqpUrl,
		CACHER: options.redisUrl,
		// Every database the node's services need; the others are ignored.
		...Object.fromEntries(SOAK_DATABASES.map(service => [`${service.toUpperCase()}_DATABASE_URL`, databaseUrls[service]]))
	};

	// Registered first, so run last: after the processes have stopped.
	for (const service of SOAK_DATABASES)
		onCleanup(`dropping database ${database}_${service}`, () => dropDatabase(options.postgresUrl, `${database}_${service}`));
	onCleanup(`deleting the event queues of ${namespace}`, () =>
		deleteEventTopology(namespace, options.amqpUrl, Object.keys(EVENT_TOPOLOGY))
	);
	onCleanup(`deleting the transporter exchanges of ${namespace}`, () => deleteTransporterExchanges(namespace, options.amqpUrl));
	onCleanup(`deleting Redis keys of ${namespace}`, () => deleteRedisKeys(options.redisUrl, namespace));

	/** The nodes the soak killed or stopped itself: their exits are no news. */
	const stoppedBySoak = new Set<number>();
	const unkilledExits: UnkilledExit[] = [];
	const spawn = async (group: SoakGroup, name: string, incarnation: number): Promise<SoakNode> => {
		const gateway = group.services === "gateway";
		const healthPort = await unusedPort();
		const p = spawnScript(
			`soak/${name}`,
			"server.ts",
			{
				...cleanEnv(),
				...common,
				SERVICES: group.services,
				NODE_ID: `${namespace}-${name}-${incarnation}`,
				PORT: String(gateway ? gatewayPort : await unusedPort()),
				HEALTH_PORT: String(healthPort)
			},
			`soak/${name}-start${incarnation}`
		);
		onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => {
			stoppedBySoak.add(p.pid);
			return p.stop();
		});
		p.child.once("exit", () => {
			if (stoppedBySoak.has(p.pid)) return;
			unkilledExits.push({ node: name, pid: p.pid, how: p.exit() ?? "exited", at: performance.now() });
			log(`  soak: ${name} (pid ${p.pid}) exited unkilled: ${p.exit()}; log ${p.logFile}`);
		});
		// The gateway answers its probes on its own port.
		const readyUrl = `http://127.0.0.1:${gateway ? gatewayPort : healthPort}/health/ready`;
		return { name, group, process: p, incarnation, readyUrl, ready: false };
	};

	const groups: SoakGroup[] = [];
	for (const spec of GROUPS) {
		const group: SoakGroup = { services: spec.services, killable: spec.killable, nodes: [] };
		const label = spec.services.includes(",") ? "consumers" : spec.services;
		for (let slot = 1; slot <= spec.nodes; slot++) group.nodes.push(await spawn(group, spec.nodes > 1 ? `${label}-${slot}` : label, 1));
		groups.push(group);
	}
	const all = () => groups.flatMap(g => g.nodes.map(n => n.process));
	const deadline = Date.now() + options.startupTimeout * 1000;
	await Promise.all(
		groups
			.flatMap(g => g.nodes)
			.map(async node => {
				await waitForOk(node.readyUrl, deadline, all());
				node.ready = true;
			})
	);

	return {
		baseUrl: `http://127.0.0.1:${gatewayPort}`,
		deadNodeWatch: await hasEventExchange(options.amqpUrl),
		namespace,
		databaseUrls,
		groups,
		processes: all,
		unkilledExits,
		async killAndRestart(node, readyDeadlineMs) {
			const killed = node.process;
			const exited = new Promise<void>(resolve => (killed.exit() ? resolve() : killed.child.once("exit", () => resolve())));
			node.ready = false;
			stoppedBySoak.add(killed.pid);
			killed.child.kill("SIGKILL");
			await exited;
			const next = await spawn(node.group, node.name, node.incarnation + 1);
			node.process = next.process;
			node.incarnation = next.incarnation;
			node.readyUrl = next.readyUrl;
			await waitForOk(node.readyUrl, Date.now() + readyDeadlineMs, [node.process]);
			node.ready = true;
		}
	};
}
