/**
 * The judge scenario's topology: a front node (gateway, users, problems) and judge nodes
 * (SERVICES=judge, metrics on) over AMQP, Redis cacher, scratch PostgreSQL databases, a namespace of
 * its own. Users are seeded straight into the users database with sessions and signed tokens (as
 * the contest topology does: the scenario measures neither registration nor login); one of them
 * creates and publishes the problem. A second judge node is added by the scenario. Everything is
 * undone at the bench's clean-up: processes, queues, exchanges, Redis keys, databases.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import amqp from "amqplib";
import { deleteEventTopology, queueName } from "../lib/events/topology";
import { EVENT_TOPOLOGY } from "../services/contracts";
import { onCleanup } from "./cleanup";
import { cleanEnv, deleteRedisKeys, deleteTransporterExchanges, dropDatabase, withDatabase } from "./infrastructure";
import { seedUsers, signTokens } from "./contests";
import { JudgeApi } from "./judge-client";
import { untilOk } from "./until-ok";
import type { BenchOptions } from "./options";
import { assertAlive, type BenchProcess, freePort, spawnScript, waitForOk } from "./processes";

const TOKEN_TTL_S = 24 * 3600;

export interface JudgeNode {
	name: string;
	process: BenchProcess;
	metricsUrl: string;
}

export interface JudgeUser {
	id: string;
	accessToken: string;
}

export interface LanguageState {
	id: string;
	available: boolean;
	reason?: string;
}

export interface JudgeRig {
	api: JudgeApi;
	namespace: string;
	front: BenchProcess;
	judges: JudgeNode[];
	users: JudgeUser[];
	problemId: string;
	slots: number;
	/** What the judge nodes said of each language (GET /api/judge/languages). */
	languages: LanguageState[];
	/** Every process of the topology now. */
	processes(): BenchProcess[];
	/** Starts another judge node; resolves once it is ready and consuming the judge queue. */
	addJudge(): Promise<JudgeNode>;
	/** Ready messages and consumers of the judge queue. */
	queue(): Promise<{ messages: number; consumers: number }>;
}

export interface JudgeTopologyOptions {
	slots: number;
	users: number;
	/** The problem's body, as POST /api/problems takes it. */
	problem: Record<string, unknown>;
}

// --- The topology ---

export async function startJudgeTopology(options: BenchOptions, spec: JudgeTopologyOptions): Promise<JudgeRig> {
	const suffix = randomBytes(3).toString("hex");
	const namespace = `bench-judge-${suffix}`;
	const database = `bench_judge_${process.pid}_${suffix}`;
	const problemsDatabase = `${database}_problems`;
	const jwtSecret = randomBytes(32).toString("hex");
	const common: Record<string, string> = {
		NODE_ENV: "test",
		NAMESPACE: namespace,
		JWT_SECRET: jwtSecret,
		LOG_LEVEL: "warn",
		METRICS_ENABLED: "false",
		HOST: "127.0.0.1",
		REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs),
		ACCESS_TOKEN_TTL_S: String(TOKEN_TTL_S),
		// Every request comes from 127.0.0.1: the gateway's rate limit would shape the figures.
		RATE_LIMIT_MAX: "100000000",
		TRANSPORTER: options.amqpUrl,
		CACHER: options.redisUrl
	};

	// Registered first, so run last: after the processes have stopped.
	onCleanup(`dropping database ${database}`, () => dropDatabase(options.postgresUrl, database));
	onCleanup(`dropping database ${problemsDatabase}`, () => dropDatabase(options.postgresUrl, problemsDatabase));
	onCleanup(`deleting the event queues of ${namespace}`, () =>
		deleteEventTopology(namespace, options.amqpUrl, Object.keys(EVENT_TOPOLOGY))
	);
	onCleanup(`deleting the transporter exchanges of ${namespace}`, () => deleteTransporterExchanges(namespace, options.amqpUrl));
	onCleanup(`deleting Redis keys of ${namespace}`, () => deleteRedisKeys(options.redisUrl, namespace));

	const seeded = await seedUsers(withDatabase(options.postgresUrl, database), spec.users, TOKEN_TTL_S);
	const users = (await signTokens(seeded.users, jwtSecret, TOKEN_TTL_S)).map(u => ({ id: u.id, accessToken: u.accessToken }));

	const gatewayPort = await freePort();
	const api = new JudgeApi(`http://127.0.0.1:${gatewayPort}`);
	onCleanup("closing the judge client", async () => api.close());
	const all: BenchProcess[] = [];
	const spawn = (name: string, env: Record<string, string>) => {
		const p = spawnScript(`judge/${name}`, "server.ts", { ...cleanEnv(), ...env });
		onCleanup(`stopping ${p.name} (pid ${p.pid})`, () => p.stop());
		all.push(p);
		return p;
	};
	const front = spawn("front", {
		...common,
		SERVICES: "gateway,users,problems",
		NODE_ID: `${namespace}-front`,
		PORT: String(gatewayPort),
		HEALTH_PORT: String(await freePort()),
		USERS_DATABASE_URL: withDatabase(options.postgresUrl, database),
		PROBLEMS_DATABASE_URL: withDatabase(options.postgresUrl, problemsDatabase)
	});

	const connection = await amqp.connect(options.amqpUrl);
	connection.on("error", () => {});
	onCleanup("closing the judge queue probe", () => connection.close().catch(() => {}));
	const queue = async () => {
		// A channel per check: a failed check closes its channel.
		const channel = await connection.createChannel();
		channel.on("error", () => {});
		try {
			const q = await channel.checkQueue(queueName(namespace, "judge"));
			return { messages: q.messageCount, consumers: q.consumerCount };
		} finally {
			await channel.close().catch(() => {});
		}
	};

	const judges: JudgeNode[] = [];
	const addJudge = async (): Promise<JudgeNode> => {
		const n = judges.length + 1;
		const [healthPort, metricsPort] = [await freePort(), await freePort()];
		const p = spawn(`judge-${n}`, {
			...common,
			SERVICES: "judge",
			NODE_ID: `${namespace}-judge-${n}`,
			PORT: String(await freePort()),
			HEALTH_PORT: String(healthPort),
			METRICS_ENABLED: "true",
			METRICS_PORT: String(metricsPort),
			JUDGE_SLOTS: String(spec.slots)
		});
		const deadline = Date.now() + options.startupTimeout * 1000;
		await waitForOk(`http://127.0.0.1:${healthPort}/health/ready`, deadline, all);
		// Ready is not yet consuming: the queue's consumer comes once the sandboxes' probes are done.
		for (;;) {
			assertAlive(all);
			const q = await queue().catch(() => ({ messages: 0, consumers: 0 }));
			if (q.consumers >= n) break;
			if (Date.now() > deadline) throw new Error(`judge-${n} did not attach to the judge queue before the deadline`);
			await sleep(250);
		}
		const node = { name: `judge-${n}`, process: p, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
		judges.push(node);
		return node;
	};

	const deadline = Date.now() + options.startupTimeout * 1000;
	await waitForOk(`${api.baseUrl}/health/ready`, deadline, all);
	await addJudge();
	const author = users[0].accessToken;
	const alive = () => assertAlive(all);
	const created = await untilOk("POST /api/problems", deadline, alive, () => api.request("POST", "/api/problems", author, spec.problem));
	const problemId = created.id as string;
	await untilOk("POST /api/problems/:id/publish", deadline, alive, () =>
		api.request("POST", `/api/problems/${problemId}/publish`, author, {})
	);
	const languages = (await untilOk("GET /api/judge/languages", deadline, alive, () =>
		api.request("GET", "/api/judge/languages")
	)) as unknown as LanguageState[];
	return {
		api,
		namespace,
		front,
		judges,
		users,
		problemId,
		slots: spec.slots,
		languages,
		processes: () => [...all],
		addJudge,
		queue
	};
}
