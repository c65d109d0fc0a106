import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DATABASE_SERVICES } from "../config/schema";
import { deleteEventTopology } from "../lib/events/topology";
import { EVENT_TOPOLOGY } from "../services/contracts";
import { seedContestDatabase } from "../scripts/seed/contest";
import { seedPostsDatabase } from "../scripts/seed/posts";
import { onCleanup } from "./cleanup";
import { cleanEnv, deleteRedisKeys, deleteTransporterExchanges, dropDatabase, withDatabase } from "./infrastructure";
import { prepareContest, seedUsers, signTokens } from "./contests";
import { EventProbe } from "./events";
import { rankingRig, seedRankings } from "./rankings";
import {
	type Credentials,
	RANKING_SCENARIOS,
	type EventsRig,
	type RunningTopology,
	type ScaleOutRig,
	type ScalePostsNode,
	type ScenarioId,
	TOPOLOGIES,
	type TopologyId,
	type TopologyInfo
} from "./model";
import type { BenchOptions } from "./options";
import { assertAlive, type BenchProcess, freePort, spawnScript, waitForOk } from "./processes";

/** The scenarios that need the seeded contest. */
const CONTEST_SCENARIOS: ScenarioId[] = ["leaderboard-read", "leaderboard-read-steady", "leaderboard-read-live", "submit"];

/** Limits raised so that they don't shape the figures (every request comes from 127.0.0.1). */
const NO_LIMITS = {
	RATE_LIMIT_MAX: "100000000",
	LOGIN_MAX_FAILURES_PER_ACCOUNT_CLIENT: "100000000",
	LOGIN_MAX_FAILURES_PER_CLIENT: "100000000"
};

function newCredentials(): Credentials {
	const username = `bench_${randomBytes(6).toString("hex")}`;
	return { username, email: `${username}@example.com`, password: `Bench-${randomBytes(12).toString("hex")}!` };
}

/**
 * Registers a new user through the gateway, retrying while the gateway does not yet see the
 * users service; returns its credentials and access token.
 */
async function registerUser(
	baseUrl: string,
	deadline: number,
	processes: BenchProcess[]
): Promise<{ user: Credentials; accessToken: string }> {
	const user = newCredentials();
	let last: string;
	for (;;) {
		assertAlive(processes);
		const res = await fetch(`${baseUrl}/api/auth/register`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify(user),
			signal: AbortSignal.timeout(15_000)
		}).catch((err: Error) => ({ status: 0, text: async () => err.message }));
		const text = await res.text();
		if (res.status === 201) return { user, accessToken: (JSON.parse(text) as { accessToken: string }).accessToken };
		last = `${res.status} ${text.slice(0, 300)}`;
		// 404/503: the gateway has not discovered the users service yet.
		if (res.status !== 0 && res.status !== 404 && res.status < 500) throw new Error(`registering a bench user: ${last}`);
		if (Date.now() > deadline) throw new Error(`registering a bench user: no success before the deadline; last: ${last}`);
		await sleep(500);
	}
}

/** Registers the bench user, then reads the profile once so that it is cached. */
async function prepareUser(
	baseUrl: string,
	deadline: number,
	processes: BenchProcess[]
): Promise<{ user: Credentials; accessToken: string }> {
	const registered = await registerUser(baseUrl, deadline, processes);
	const profile = await fetch(`${baseUrl}/api/users/${registered.user.username}`, { signal: AbortSignal.timeout(15_000) });
	const body = await profile.text();
	if (profile.status !== 200) throw new Error(`reading the bench user's profile: ${profile.status} ${body.slice(0, 300)}`);
	return registered;
}

/**
 * The most popular seeded post's slug (from the list, retrying while the gateway does not yet see
 * the posts service), read once so that its page is cached.
 */
async function preparePost(baseUrl: string, deadline: number, processes: BenchProcess[]): Promise<string> {
	const get = async (path: string): Promise<unknown> => {
		let last: string;
		for (;;) {
			assertAlive(processes);
			const res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(15_000) }).catch((err: Error) => ({
				status: 0,
				text: async () => err.message
			}));
			const text = await res.text();
			if (res.status === 200) return JSON.parse(text);
			last = `${res.status} ${text.slice(0, 300)}`;
			if (res.status !== 0 && res.status !== 404 && res.status < 500) throw new Error(`GET ${path}: ${last}`);
			if (Date.now() > deadline) throw new Error(`GET ${path}: no success before the deadline; last: ${last}`);
			await sleep(500);
		}
	};
	const list = (await get("/api/posts?sort=popular&pageSize=1")) as { rows: { slug: string }[] };
	if (!list.rows.length) throw new Error("no seeded post in the list");
	await get(`/api/posts/${list.rows[0].slug}`);
	return list.rows[0].slug;
}

interface NodeSpec {
	name: string;
	env: Record<string, string>;
	/** Where its readiness is probed. */
	readyUrl: string;
}

async function startPlatform(info: TopologyInfo, options: BenchOptions): Promise<RunningTopology> {
	const suffix = randomBytes(3).toString("hex");
	const namespace = `bench-${info.id}-${suffix}`;
	const database = `bench_${info.id.replace(/-/g, "_")}_${process.pid}_${suffix}`;
	const databaseUrl = withDatabase(options.postgresUrl, database);
	const twoNodes = info.id !== "one-process";
	const scaleOut = info.id === "posts-scale-out";
	const postsNode = info.id === "posts-two-node" || scaleOut;
	const contestsNode = info.id === "contests-two-node";
	const rankingsNode = info.id === "rankings-two-node";
	const redis = info.id === "two-node" || postsNode || contestsNode || rankingsNode;
	const postsDatabase = `${database}_posts`;
	const contestsDatabase = `${database}_contests`;
	const rankingsDatabase = `${database}_rankings`;
	const posts = info.scenarios.some(s => (s.startsWith("post-") || s === "scale-out") && options.scenarios.includes(s));
	const contests = info.scenarios.some(s => CONTEST_SCENARIOS.includes(s) && options.scenarios.includes(s));
	const rankings = info.scenarios.some(s => RANKING_SCENARIOS.includes(s) && options.scenarios.includes(s));
	const tokenTtlS = 24 * 3600;

	const common: Record<string, string> = {
		NODE_ENV: "test",
		NAMESPACE: namespace,
		JWT_SECRET: randomBytes(32).toString("hex"),
		LOG_LEVEL: "warn",
		METRICS_ENABLED: "false",
		HOST: "127.0.0.1",
		REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs),
		// The bench user's access token must outlive a full bench run (the default is 15 minutes).
		ACCESS_TOKEN_TTL_S: String(tokenTtlS),
		...NO_LIMITS,
		...(twoNodes ? { TRANSPORTER: options.amqpUrl } : {}),
		...(redis ? { CACHER: options.redisUrl } : {})
	};
	const gatewayPort = await freePort();
	const baseUrl = `http://127.0.0.1:${gatewayPort}`;
	const nodes: NodeSpec[] = [];
	/** A posts node of the scale-out topology: its own health and metrics ports, the shared posts database. */
	const scalePostsSpec = async (n: number): Promise<NodeSpec & { metricsUrl: string }> => {
		const [healthPort, metricsPort] = [await freePort(), await freePort()];
		return {
			name: `posts-${n}`,
			env: {
				...common,
				SERVICES: "posts",
				NODE_ID: `${namespace}-posts-${n}`,
				PORT: String(await freePort()),
				HEALTH_PORT: String(healthPort),
				METRICS_ENABLED: "true",
				METRICS_PORT: String(metricsPort),
				POSTS_DATABASE_URL: withDatabase(options.postgresUrl, postsDatabase)
			},
			readyUrl: `http://127.0.0.1:${healthPort}/health/ready`,
			metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`
		};
	};
	if (!twoNodes) {
		nodes.push({
			name: "node",
			env: {
				...common,
				NODE_ID: `${namespace}-node`,
				PORT: String(gatewayPort),
				HEALTH_PORT: String(await freePort()),
				// Every service with a database gets its own (users the topology's), none the embedded one.
				...Object.fromEntries(
					DATABASE_SERVICES.map(service => [
						`${service.toUpperCase()}_DATABASE_URL`,
						service === "users" ? databaseUrl : withDatabase(options.postgresUrl, `${database}_${service}`)
					])
				)
			},
			readyUrl: `${baseUrl}/health/ready`
		});
	} else if (postsNode || contestsNode || rankingsNode) {
		// The gateway authenticates through the users service, so users runs beside it.
		const service = postsNode ? "posts" : contestsNode ? "contests" : "rankings";
		const healthPort = await freePort();
		nodes.push({
			name: "gateway",
			env: {
				...common,
				SERVICES: "gateway,users",
				NODE_ID: `${namespace}-gateway`,
				PORT: String(gatewayPort),
				HEALTH_PORT: String(await freePort()),
				USERS_DATABASE_URL: databaseUrl,
				...(scaleOut ? { METRICS_ENABLED: "true", METRICS_PORT: String(await freePort()) } : {})
			},
			readyUrl: `${baseUrl}/health/ready`
		});
		if (scaleOut) {
			nodes.push(await scalePostsSpec(1), await scalePostsSpec(2));
		} else
			nodes.push({
				name: service,
				env: {
					...common,
					SERVICES: service,
					NODE_ID: `${namespace}-${service}`,
					PORT: String(await freePort()),
					HEALTH_PORT: String(healthPort),
					...(postsNode
						? { POSTS_DATABASE_URL: withDatabase(options.postgresUrl, postsDatabase) }
						: contestsNode
							? { CONTESTS_DATABASE_URL: withDatabase(options.postgresUrl, contestsDatabase) }
							: { RANKINGS_DATABASE_URL: withDatabase(options.postgresUrl, rankingsDatabase) })
				},
				readyUrl: `http://127.0.0.1:${healthPort}/health/ready`
			});
	} else {
		const healthPort = await freePort();
		nodes.push({
			name: "gateway",
			env: {
				...common,
				SERVICES: "gateway",
				NODE_ID: `${namespace}-gateway`,
				PORT: String(gatewayPort),
				HEALTH_PORT: String(await freePort())
			},
			readyUrl: `${baseUrl}/health/ready`
		});
		nodes.push({
			name: "users",
			env: {
				...common,
				SERVICES: "users",
				NODE_ID: `${namespace}-users`,
				PORT: String(await freePort()),
				HEALTH_PORT: String(healthPort),
				USERS_DATABASE_URL: databaseUrl
			},
			readyUrl: `http://127.0.0.1:${healthPort}/health/ready`
		});
	}

	// Registered first, so run last: after the processes have stopped.
	onCleanup(`dropping database ${database}`, () => dropDatabase(options.postgresUrl, database));
	if (!twoNodes) {
		for (const service of DATABASE_SERVICES.filter(s => s !== "users" && s !== "posts")) {
			onCleanup(`dropping database ${database}_${service}`, () => dropDatabase(options.postgresUrl, `${database}_${service}`));
		}
	}
	if (!twoNodes || postsNode) onCleanup(`dropping database ${postsDatabase}`, () => dropDatabase(options.postgresUrl, postsDatabase));
	if (contestsNode) onCleanup(`dropping database ${contestsDatabase}`, () => dropDatabase(options.postgresUrl, contestsDatabase));
	if (rankingsNode) onCleanup(`dropping database ${rankingsDatabase}`, () => dropDatabase(options.postgresUrl, rankingsDatabase));
	if (twoNodes)
		onCleanup(`deleting the event queues of ${namespace}`, () =>
			deleteEventTopology(namespace, options.amqpUrl, Object.keys(EVENT_TOPOLOGY))
		);
	if (twoNodes)
		onCleanup(`deleting the transporter exchanges of ${namespace}`, () => deleteTransporterExchanges(namespace, options.amqpUrl));
	if (redis) onCleanup(`deleting Redis keys of ${namespace}`, () => deleteRedisKeys(options.redisUrl, namespace));

	// Seeded before the nodes start (it runs the migrations), so that their cache warming sees the posts.
	const seedSeconds = posts
		? await seedPostsDatabase({ kind: "postgres", url: withDatabase(options.postgresUrl, postsDatabase) }, options.posts)
		: undefined;
	// The contest's users (straight into the users database, with sessions) are its first participants;
	// the contest is seeded running, its answers hashed with the nodes' JWT_SECRET, its leaderboard store empty.
	const contestUsers = contests
		? await seedUsers(databaseUrl, Math.min(options.contestUsers, options.participants), tokenTtlS)
		: undefined;
	const seededContest = contestUsers
		? await seedContestDatabase(
				{ kind: "postgres", url: withDatabase(options.postgresUrl, contestsDatabase) },
				{ participants: options.participants, jwtSecret: common.JWT_SECRET, userIds: contestUsers.users.map(u => u.id) }
			)
		: undefined;
	// The rated players, straight into the rankings database: the nodes start with the board store empty.
	const rankingSeedS = rankings
		? await seedRankings(withDatabase(options.postgresUrl, rankingsDatabase), options.rankingPlayers)
		: undefined;
	const processes = nodes.map(node => {
		const p = spawnScript(`${info.id}/${node.name}`, "server.ts", { ...cleanEnv(), ...node.env });
		onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => p.stop());
		return p;
	});
	const deadline = Date.now() + options.startupTimeout * 1000;
	for (const node of nodes) await waitForOk(node.readyUrl, deadline, processes);
	const { user, accessToken } = await prepareUser(baseUrl, deadline, processes);
	const postSlug = posts ? await preparePost(baseUrl, deadline, processes) : undefined;
	let scaleOutRig: ScaleOutRig | undefined;
	if (scaleOut) {
		const postsNodes: ScalePostsNode[] = nodes
			.map((node, i) => ({
				name: node.name,
				process: processes[i],
				metricsUrl: node.env.METRICS_PORT ? `http://127.0.0.1:${node.env.METRICS_PORT}/metrics` : ""
			}))
			.filter(n => n.name.startsWith("posts-"));
		let started = postsNodes.length;
		scaleOutRig = {
			gatewayMetricsUrl: `http://127.0.0.1:${nodes[0].env.METRICS_PORT}/metrics`,
			postsNodes,
			async startPosts() {
				const spec = await scalePostsSpec(++started);
				const p = spawnScript(`${info.id}/${spec.name}`, "server.ts", { ...cleanEnv(), ...spec.env });
				onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => p.stop());
				processes.push(p);
				const node: ScalePostsNode = { name: spec.name, process: p, metricsUrl: spec.metricsUrl };
				postsNodes.push(node);
				return { node, ready: waitForOk(spec.readyUrl, Date.now() + options.startupTimeout * 1000, processes) };
			},
			forget(node) {
				postsNodes.splice(postsNodes.indexOf(node), 1);
				processes.splice(processes.indexOf(node.process), 1);
			}
		};
	}
	const seeded = seedSeconds === undefined ? undefined : { posts: options.posts, seconds: seedSeconds };
	const contest =
		contestUsers && seededContest
			? await prepareContest(
					baseUrl,
					deadline,
					processes,
					seededContest,
					await signTokens(contestUsers.users, common.JWT_SECRET, tokenTtlS),
					contestUsers.seconds
				)
			: undefined;
	const ranking = rankingSeedS === undefined ? undefined : rankingRig(options.rankingPlayers, rankingSeedS);
	return { info, baseUrl, processes, user, accessToken, namespace, database, seeded, postSlug, contest, ranking, scaleOut: scaleOutRig };
}

/**
 * The event-throughput topology: 'app' (gateway + users, the producer, PATCH /api/users/me emits
 * user.updated through its outbox) and 'audit' (the consumer), each its own process and database,
 * over AMQP. The audit node is stopped and restarted by the runner to detach and attach the consumer.
 */
async function startEvents(info: TopologyInfo, options: BenchOptions): Promise<RunningTopology> {
	const suffix = randomBytes(3).toString("hex");
	const namespace = `bench-${info.id}-${suffix}`;
	const database = `bench_${info.id}_${process.pid}_${suffix}`;
	const usersDatabase = `${database}_users`;
	const auditDatabase = `${database}_audit`;
	const common: Record<string, string> = {
		NODE_ENV: "test",
		NAMESPACE: namespace,
		JWT_SECRET: randomBytes(32).toString("hex"),
		LOG_LEVEL: "warn",
		METRICS_ENABLED: "false",
		HOST: "127.0.0.1",
		REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs),
		// The writers' access tokens must outlive a full bench run (the default is 15 minutes).
		ACCESS_TOKEN_TTL_S: String(24 * 3600),
		...NO_LIMITS,
		TRANSPORTER: options.amqpUrl
	};
	const gatewayPort = await freePort();
	const baseUrl = `http://127.0.0.1:${gatewayPort}`;
	const auditHealthPort = await freePort();
	const app: NodeSpec = {
		name: "app",
		env: {
			...common,
			SERVICES: "gateway,users",
			NODE_ID: `${namespace}-app`,
			PORT: String(gatewayPort),
			HEALTH_PORT: String(await freePort()),
			USERS_DATABASE_URL: withDatabase(options.postgresUrl, usersDatabase)
		},
		readyUrl: `${baseUrl}/health/ready`
	};
	const audit: NodeSpec = {
		name: "audit",
		env: {
			...common,
			SERVICES: "audit",
			NODE_ID: `${namespace}-audit`,
			PORT: String(await freePort()),
			HEALTH_PORT: String(auditHealthPort),
			AUDIT_DATABASE_URL: withDatabase(options.postgresUrl, auditDatabase)
		},
		readyUrl: `http://127.0.0.1:${auditHealthPort}/health/ready`
	};

	// Registered first, so run last: after the processes have stopped and the probe has closed.
	onCleanup(`dropping database ${usersDatabase}`, () => dropDatabase(options.postgresUrl, usersDatabase));
	onCleanup(`dropping database ${auditDatabase}`, () => dropDatabase(options.postgresUrl, auditDatabase));
	onCleanup(`deleting the event queues of ${namespace}`, () =>
		deleteEventTopology(namespace, options.amqpUrl, Object.keys(EVENT_TOPOLOGY))
	);
	onCleanup(`deleting the transporter exchanges of ${namespace}`, () => deleteTransporterExchanges(namespace, options.amqpUrl));
	const probe = new EventProbe(app.env.USERS_DATABASE_URL, audit.env.AUDIT_DATABASE_URL, options.amqpUrl, namespace);
	onCleanup("closing the event probe", () => probe.close());

	const processes: BenchProcess[] = [];
	let starts = 0;
	const spawnNode = (node: NodeSpec) => {
		const n = node.name === "audit" ? ++starts : 1;
		const p = spawnScript(
			`${info.id}/${node.name}`,
			"server.ts",
			{ ...cleanEnv(), ...node.env },
			`${info.id}/${node.name}${n > 1 ? `-${n}` : ""}`
		);
		onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => p.stop());
		processes.push(p);
		return p;
	};
	let consumer: BenchProcess | undefined;
	const attached = () => consumer !== undefined && !consumer.exit();

	const deadline = Date.now() + options.startupTimeout * 1000;
	spawnNode(app);
	consumer = spawnNode(audit);
	await waitForOk(app.readyUrl, deadline, processes);
	await waitForOk(audit.readyUrl, deadline, processes);
	// One registration first (it waits for the gateway to see the users service), then the others.
	const first = await registerUser(baseUrl, deadline, processes);
	const others = await Promise.all(Array.from({ length: options.eventUsers - 1 }, () => registerUser(baseUrl, deadline, processes)));
	const writers = [first, ...others].map(w => ({ username: w.user.username, accessToken: w.accessToken }));
	await probe.waitForQueue(q => q.consumers >= 1, "the audit consumer attaching to its queue", deadline);

	const rig: EventsRig = {
		probe,
		writers,
		consumerAttached: attached,
		async attach() {
			if (attached()) return;
			consumer = spawnNode(audit);
			await waitForOk(audit.readyUrl, Date.now() + options.startupTimeout * 1000, processes);
			await probe.waitForQueue(
				q => q.consumers >= 1 && q.messages === 0,
				"the restarted audit consumer attaching and draining its queue",
				Date.now() + Math.max(options.settleTimeout, options.eventsDeadline) * 1000
			);
		},
		async detach() {
			if (!consumer) return;
			const stopping = consumer;
			consumer = undefined;
			await stopping.stop();
			processes.splice(processes.indexOf(stopping), 1);
			await probe.waitForQueue(q => q.consumers === 0, "the audit consumer leaving its queue", Date.now() + 15_000);
		}
	};
	return { info, baseUrl, processes, namespace, database, user: first.user, events: rig };
}

async function startBaseline(info: TopologyInfo, options: BenchOptions): Promise<RunningTopology> {
	const port = await freePort();
	const p = spawnScript("baseline/server", "bench/baseline-server.ts", { ...cleanEnv(), PORT: String(port), HOST: "127.0.0.1" });
	onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => p.stop());
	const baseUrl = `http://127.0.0.1:${port}`;
	await waitForOk(`${baseUrl}/`, Date.now() + options.startupTimeout * 1000, [p]);
	return { info, baseUrl, processes: [p] };
}

async function startStock(info: TopologyInfo, options: BenchOptions): Promise<RunningTopology> {
	const port = await freePort();
	const p = spawnScript("stock/gateway", "bench/stock-gateway.ts", { ...cleanEnv(), PORT: String(port), HOST: "127.0.0.1" });
	onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => p.stop());
	const baseUrl = `http://127.0.0.1:${port}`;
	await waitForOk(`${baseUrl}/local/1`, Date.now() + options.startupTimeout * 1000, [p]);
	return { info, baseUrl, processes: [p] };
}

export function startTopology(id: TopologyId, options: BenchOptions): Promise<RunningTopology> {
	const info = TOPOLOGIES[id];
	if (id === "baseline") return startBaseline(info, options);
	if (id === "stock") return startStock(info, options);
	return id === "events" ? startEvents(info, options) : startPlatform(info, options);
}
