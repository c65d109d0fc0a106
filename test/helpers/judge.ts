/**
 * The code judge as a cluster of OS processes over RabbitMQ: a front node (gateway, users,
 * problems) and any number of `SERVICES=judge` nodes sharing the durable queue of queued
 * submissions, on scratch databases, the shared Redis cacher under a namespace of their own.
 * Observed from outside: HTTP to the gateway, each node's Prometheus endpoint, and the problems
 * database read directly.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { TestContext } from "node:test";
import type { ServiceBroker } from "moleculer";
import { Client } from "pg";
import { createEvent } from "../../lib/events/envelope";
import { register, type TestUser } from "./accounts";
import { deleteEventTopology } from "./amqp";
import { scratchDatabase } from "./database";
import { eventually } from "./eventually";
import { type Api, apiClient } from "./http";
import { clusterEnv, pollUntil, ROUTE_DEADLINE_MS, START_DEADLINE_MS } from "./load";
import { ok } from "./posts";
import { freePorts, metricSum, NodeGroup, type NodeProcess } from "./processes";

/**
 * A judge node's start includes its sandboxes' probes (C and C++ compile a test program in
 * WebAssembly): slower than other nodes, and much slower when the 2-core machine is shared.
 */
export const JUDGE_START_DEADLINE_MS = 2 * START_DEADLINE_MS;

/** What GET /api/submissions/:id answers (the fields these tests read). */
export interface SubmissionState {
	id: string;
	userId: string;
	status: "queued" | "compiling" | "running" | "done";
	verdict: string | null;
	score: number | null;
	progress: { test: number; of: number } | null;
	tests: { verdict: string }[];
	judgedAt: string | null;
}

/** A submission and the user who sent it (only they may read it). */
export interface Sent {
	id: string;
	user: TestUser;
}

/** A problem's body for POST /api/problems: `tests` pairs, a time limit, the rest defaults. */
export function problemBody(title: string, tests: { input: string; output: string }[], timeLimitMs = 1000) {
	return {
		title,
		statement: `${title}: read the input, print the answer.`,
		timeLimitMs,
		memoryLimitMb: 64,
		tags: ["e2e"],
		difficulty: "easy",
		tests: tests.map((t, i) => ({ ...t, sample: i === 0 }))
	};
}

export function judgeCluster(label: string) {
	const namespace = `e2e-${label}-${process.pid}-${randomBytes(3).toString("hex")}`;
	const dbLabel = label.replace(/-/g, "_");
	const usersDb = scratchDatabase(`e2e_${dbLabel}_users`);
	const problemsDb = scratchDatabase(`e2e_${dbLabel}_problems`);
	const nodes = new NodeGroup();
	const env = {
		...clusterEnv(namespace),
		// Registering the learners is not what these tests measure (as in test/helpers/platform.ts).
		PASSWORD_HASH_LOG_N: "12",
		// A judge node is lost to RabbitMQ when its connection closes, not by heartbeats; and a call that
		// times out after it committed (a claim) would count one more attempt. Neither is what these tests
		// are about, so a loaded machine must not cause them: generous heartbeat and request deadlines.
		HEARTBEAT_TIMEOUT_S: "10",
		REQUEST_TIMEOUT_MS: "10000"
	};
	let front: NodeProcess | undefined;
	let api: Api | undefined;

	const cluster = {
		namespace,
		nodes,
		get front(): NodeProcess {
			assert.ok(front, "the front node was started");
			return front;
		},
		get api(): Api {
			assert.ok(api, "the front node was started");
			return api;
		},

		async startFront(): Promise<NodeProcess> {
			const [port, metricsPort] = await freePorts(2);
			front = nodes.start({
				name: "front",
				env: {
					...env,
					SERVICES: "gateway,users,problems",
					NODE_ID: `${namespace}-front`,
					PORT: String(port),
					METRICS_PORT: String(metricsPort),
					USERS_DATABASE_URL: usersDb.url,
					PROBLEMS_DATABASE_URL: problemsDb.url
				}
			});
			api = apiClient(`http://127.0.0.1:${port}`);
			return front;
		},

		/** A `SERVICES=judge` node taking `slots` submissions at once (its queue prefetch). */
		async startJudge(name: string, slots: number): Promise<NodeProcess> {
			const [healthPort, metricsPort] = await freePorts(2);
			return nodes.start({
				name,
				env: {
					...env,
					SERVICES: "judge",
					NODE_ID: `${namespace}-${name}`,
					JUDGE_SLOTS: String(slots),
					HEALTH_PORT: String(healthPort),
					METRICS_PORT: String(metricsPort)
				}
			});
		},

		/** How many judge nodes the front node knows (its registry's endpoint gauge). */
		async judgeEndpoints(): Promise<number> {
			return metricSum(await cluster.front.metrics(), "moleculer_registry_service_endpoints_total", { service: "judge" });
		},

		/** Waits until the front node knows exactly `count` judge nodes. */
		untilJudgeEndpoints(count: number, timeoutMs = ROUTE_DEADLINE_MS) {
			return pollUntil(
				`the front node knows ${count} judge node(s)`,
				() => cluster.judgeEndpoints(),
				n => n === count,
				timeoutMs
			);
		},

		/** The front node and judge nodes of these slots, all ready and known to each other. */
		async start(slots: number[]): Promise<NodeProcess[]> {
			try {
				const started = [
					await cluster.startFront(),
					...(await Promise.all(slots.map((s, i) => cluster.startJudge(`judge-${i + 1}`, s))))
				];
				// All start at once on two cores: each is given the judge's deadline.
				await Promise.all(started.map(n => n.waitReady(JUDGE_START_DEADLINE_MS)));
				await cluster.untilJudgeEndpoints(slots.length);
				return started.slice(1);
			} catch (err) {
				process.stderr.write(`${nodes.outputs()}\n`);
				throw err;
			}
		},

		registerUser(prefix = "judged"): Promise<TestUser> {
			return register(cluster.api, prefix);
		},

		/** A published problem of `author`; its id. */
		async publishedProblem(author: TestUser, body: ReturnType<typeof problemBody>): Promise<string> {
			const created = ok(await cluster.api("POST", "/api/problems", { token: author.token, body }), 201);
			ok(await cluster.api("POST", `/api/problems/${created.id}/publish`, { token: author.token }));
			return created.id as string;
		},

		/** Sends a program; the 202's id. */
		async submit(problemId: string, user: TestUser, language: string, source: string): Promise<Sent> {
			const res = await cluster.api("POST", `/api/problems/${problemId}/submissions`, {
				token: user.token,
				body: { language, source }
			});
			const body = ok(res, 202);
			assert.equal(body.status, "queued");
			return { id: body.id as string, user };
		},

		async submission(sent: Sent): Promise<SubmissionState> {
			return ok(await cluster.api("GET", `/api/submissions/${sent.id}`, { token: sent.user.token }));
		},

		async submissions(sent: readonly Sent[]): Promise<SubmissionState[]> {
			return Promise.all(sent.map(s => cluster.submission(s)));
		},

		/** Polls until every submission is done; their final states, in order. */
		allDone(sent: readonly Sent[], timeoutMs: number): Promise<SubmissionState[]> {
			return eventually(
				`all ${sent.length} submissions done`,
				() => cluster.submissions(sent),
				states => states.every(s => s.status === "done"),
				timeoutMs,
				200
			);
		},

		/** Submissions this judge node judged (its `codelearn.judge.submissions.total` counter). */
		async judgedBy(node: NodeProcess): Promise<number> {
			return metricSum(await node.metrics(), "codelearn_judge_submissions_total");
		},

		/** Calls this node made of one action (Moleculer's request counter, as the caller). */
		async callsOf(node: NodeProcess, action: string): Promise<number> {
			return metricSum(await node.metrics(), "moleculer_request_total", { action });
		},

		/** Submissions this judge node has claimed and not yet recorded a verdict for: judging now. */
		async judgingOn(node: NodeProcess): Promise<number> {
			const text = await node.metrics();
			return (
				metricSum(text, "moleculer_request_total", { action: "problems.claimSubmission" }) -
				metricSum(text, "moleculer_request_total", { action: "problems.recordVerdict" })
			);
		},

		/** One query on the problems database, on a fresh connection. */
		async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
			const client = new Client({ connectionString: problemsDb.url });
			await client.connect();
			try {
				return (await client.query(sql, params)).rows as T[];
			} finally {
				await client.end();
			}
		},

		/** Runs a test's body; if it fails, the nodes' output goes into the test's diagnostics. */
		diagnosed: (t: TestContext, body: () => Promise<void>) => nodes.diagnosed(t, body),

		async stop() {
			await nodes.stopAll(15_000);
			await Promise.all([usersDb.drop(), problemsDb.drop(), deleteEventTopology(namespace)]);
		}
	};
	return cluster;
}

export type JudgeCluster = ReturnType<typeof judgeCluster>;

/** Plays the judge for a submission (no judge node needed): claims it and records this verdict; problems then emits `submission.judged`. */
export async function playJudge(broker: ServiceBroker, submissionId: string, verdict: "AC" | "WA"): Promise<void> {
	const claim = await broker.call<{ state: string; attempt: number }, object>("problems.claimSubmission", { submissionId });
	assert.equal(claim.state, "judge", `submission ${submissionId} is waiting for a verdict`);
	await broker.call("problems.recordVerdict", {
		submissionId,
		attempt: claim.attempt,
		verdict,
		score: verdict === "AC" ? 100 : 0,
		tests: [],
		compileMessage: null,
		pretestVerdict: null
	});
}

/** A `submission.judged` event of the problems service, as its outbox would record it: an archive submission's judgement. */
export function judgedEvent(userId: string, problemId: string, submissionId: string, judgement: number, verdict: "AC" | "WA") {
	return createEvent("problems", {
		type: "submission.judged",
		aggregateId: submissionId,
		actorId: null,
		payload: {
			submissionId,
			problemId,
			userId,
			language: "javascript",
			verdict,
			score: 0,
			firstSolve: false,
			contestId: null,
			judgement,
			submittedAt: new Date().toISOString()
		}
	});
}

/** A submission as its submitter reads it (GET /api/submissions/:id), once judged. */
export function judgedSubmission(api: Api, user: TestUser, id: string, timeoutMs = 60_000) {
	return eventually(
		`submission ${id} judged`,
		async () => ok(await api("GET", `/api/submissions/${id}`, { token: user.token })),
		s => s.status === "done",
		timeoutMs,
		100
	);
}
