/**
 * A steady HTTP load for cluster tests: closed-loop loopers (each sends its next request when the
 * previous one is answered), every request timed and kept, so that a test can count failures,
 * see when they happened, and measure throughput in fixed windows. Plus the cluster these tests
 * load: a front node (gateway + users) and posts nodes over RabbitMQ, sharing Redis and PostgreSQL.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { TestContext } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { deleteEventTopology } from "./amqp";
import { scratchDatabase } from "./database";
import { TEST_JWT_SECRET } from "./env";
import { type Api, apiClient, newUser } from "./http";
import { freePorts, metricSum, NodeGroup, type NodeProcess, parsePrometheus } from "./processes";
import { TEST_SERVICES } from "./services";

/** One request of the load: when it left and came back (ms after the load's origin), and its answer. */
export interface Sample {
	kind: string;
	sentAt: number;
	doneAt: number;
	/** The HTTP status; 0 when the request failed at the client (connection error, no answer in time). */
	status: number;
	/** Whether the status is the one this kind of request answers when all is well. */
	ok: boolean;
	/** The error body's `type`, or the client error's message. */
	detail?: string;
	retryAfter?: string | null;
}

/** A request the loopers can send: what it is, and the status that means success. */
export interface LoadRequest {
	kind: string;
	method: "GET" | "POST";
	path: string;
	token?: string;
	body?: unknown;
	headers?: Record<string, string>;
	expect: number;
}

export interface Load {
	/** `performance.now()` at the start: every sample's times are relative to it. */
	readonly origin: number;
	readonly samples: readonly Sample[];
	/** Requests sent and not yet answered. */
	readonly inFlight: number;
	/** Milliseconds since the origin. */
	now(): number;
	/** Lets every looper finish its current request, then resolves. */
	stop(): Promise<void>;
}

/** A client-side bound well above any deadline of the platform: a request is never left hanging. */
const CLIENT_TIMEOUT_MS = 15_000;

/** Starts `concurrency` loopers against `baseUrl`; `next(looper, i)` picks each one's i-th request. */
export function startLoad(baseUrl: string, concurrency: number, next: (looper: number, i: number) => LoadRequest): Load {
	const origin = performance.now();
	const samples: Sample[] = [];
	let stopped = false;
	let inFlight = 0;
	const now = () => performance.now() - origin;

	async function send(request: LoadRequest): Promise<Sample> {
		const sentAt = now();
		inFlight++;
		try {
			const headers: Record<string, string> = { ...request.headers };
			if (request.token) headers.authorization = `Bearer ${request.token}`;
			if (request.body !== undefined) headers["content-type"] = "application/json";
			const res = await fetch(baseUrl + request.path, {
				method: request.method,
				headers,
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS)
			});
			const text = await res.text();
			let detail: string | undefined;
			if (res.status !== request.expect) {
				try {
					detail = String((JSON.parse(text) as { type?: unknown }).type);
				} catch {
					detail = text.slice(0, 200);
				}
			}
			return {
				kind: request.kind,
				sentAt,
				doneAt: now(),
				status: res.status,
				ok: res.status === request.expect,
				detail,
				retryAfter: res.headers.get("retry-after")
			};
		} catch (err) {
			return { kind: request.kind, sentAt, doneAt: now(), status: 0, ok: false, detail: (err as Error).message };
		} finally {
			inFlight--;
		}
	}

	const loopers = Array.from({ length: concurrency }, async (_, looper) => {
		for (let i = 0; !stopped; i++) samples.push(await send(next(looper, i)));
	});

	return {
		origin,
		samples,
		get inFlight() {
			return inFlight;
		},
		now,
		async stop() {
			stopped = true;
			await Promise.all(loopers);
		}
	};
}

/** Successful answers per window of `windowMs`, counted by completion time, over [fromMs, toMs). */
export function throughput(samples: readonly Sample[], fromMs: number, toMs: number, windowMs = 1000): number[] {
	const windows = Array.from({ length: Math.floor((toMs - fromMs) / windowMs) }, () => 0);
	for (const s of samples) {
		if (!s.ok || s.doneAt < fromMs) continue;
		const index = Math.floor((s.doneAt - fromMs) / windowMs);
		if (index < windows.length) windows[index]++;
	}
	return windows.map(count => (count * 1000) / windowMs);
}

export function median(values: readonly number[]): number {
	assert.ok(values.length > 0, "median of nothing");
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Failed samples as lines for a report: `+1234ms GET-post → 504 GATEWAY_TIMEOUT in 3001ms`. */
export function describeSamples(samples: readonly Sample[], relativeTo = 0, limit = 40): string {
	const lines = samples
		.slice(0, limit)
		.map(
			s =>
				`${fmt(s.sentAt - relativeTo)}ms ${s.kind} → ${s.status || "client error"} ${s.detail ?? ""} in ${Math.round(s.doneAt - s.sentAt)}ms`
		);
	if (samples.length > limit) lines.push(`… and ${samples.length - limit} more`);
	return lines.join("\n");
}

/** Counts by key, e.g. failures by status: `{ "503": 4 }`. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}

const fmt = (ms: number) => `${ms >= 0 ? "+" : ""}${Math.round(ms)}`;

/** Polls until `ok(value)`; returns the value and when (performance.now()) it held. Fails at the deadline. */
export async function pollUntil<T>(
	what: string,
	probe: () => Promise<T>,
	ok: (value: T) => boolean,
	timeoutMs: number,
	everyMs = 100
): Promise<{ value: T; at: number }> {
	const deadline = performance.now() + timeoutMs;
	let last: T | string;
	for (;;) {
		try {
			const value = await probe();
			if (ok(value)) return { value, at: performance.now() };
			last = value;
		} catch (err) {
			last = (err as Error).message;
		}
		if (performance.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
		await delay(everyMs);
	}
}

/** Process start (tsx compiles on the fly, migrations run) up to a ready node, on a busy 2-core machine. */
export const START_DEADLINE_MS = 60_000;
/** A started node up to the gateway routing to it. */
export const ROUTE_DEADLINE_MS = 20_000;

/** Requests a posts node has served (its own `moleculer_request_total` of posts actions) and its errors among them. */
export interface Served {
	requests: number;
	errors: number;
	/** Errors with a 5xx code (or none). */
	serverErrors: number;
}

export async function servedBy(node: NodeProcess): Promise<Served> {
	const text = await node.metrics();
	const labels = { service: "posts", type: "local" };
	const serverErrors = parsePrometheus(text)
		.filter(s => s.name === "moleculer_request_error_total" && s.labels.service === "posts" && s.labels.type === "local")
		.filter(s => !(Number(s.labels.errorCode) >= 400 && Number(s.labels.errorCode) < 500))
		.reduce((sum, s) => sum + s.value, 0);
	return {
		requests: metricSum(text, "moleculer_request_total", labels),
		errors: metricSum(text, "moleculer_request_error_total", labels),
		serverErrors
	};
}

/**
 * A cluster over RabbitMQ: a front node (gateway + users, the HTTP entry) and any number of posts
 * nodes, on scratch databases, the shared Redis cacher under a namespace of their own.
 */
/** What every node of an end-to-end cluster shares: the machine's RabbitMQ and Redis, quiet logs, no rate limit. */
export function clusterEnv(namespace: string) {
	return {
		NODE_ENV: "test",
		NAMESPACE: namespace,
		TRANSPORTER: TEST_SERVICES.amqp,
		CACHER: TEST_SERVICES.redis,
		JWT_SECRET: TEST_JWT_SECRET,
		LOG_LEVEL: "warn",
		// Thousands of requests from one address: rate limits are not what these tests are about.
		RATE_LIMIT_MAX: "100000000",
		ACCESS_TOKEN_TTL_S: "3600",
		DATABASE_POOL_MAX: "5"
	};
}

export function postsCluster(label: string) {
	const namespace = `e2e-${label}-${process.pid}-${randomBytes(3).toString("hex")}`;
	const usersDb = scratchDatabase(`e2e_${label.replace(/-/g, "_")}_users`);
	const postsDb = scratchDatabase(`e2e_${label.replace(/-/g, "_")}_posts`);
	const nodes = new NodeGroup();
	const env = clusterEnv(namespace);
	let front: NodeProcess | undefined;
	let api: Api | undefined;

	const cluster = {
		namespace,
		nodes,
		/** Every node's environment: a test may change it (e.g. point CACHER at a fault proxy) before starting nodes. */
		env,
		postsDatabaseUrl: postsDb.url,
		get front(): NodeProcess {
			assert.ok(front, "the front node was started");
			return front;
		},
		get baseUrl(): string {
			return `http://127.0.0.1:${cluster.front.env.PORT}`;
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
					SERVICES: "gateway,users",
					NODE_ID: `${namespace}-front`,
					PORT: String(port),
					METRICS_PORT: String(metricsPort),
					USERS_DATABASE_URL: usersDb.url
				}
			});
			api = apiClient(cluster.baseUrl);
			return front;
		},

		async startPosts(name: string, extraEnv: Record<string, string> = {}): Promise<NodeProcess> {
			const [healthPort, metricsPort] = await freePorts(2);
			return nodes.start({
				name,
				env: {
					...env,
					SERVICES: "posts",
					NODE_ID: `${namespace}-${name}`,
					HEALTH_PORT: String(healthPort),
					METRICS_PORT: String(metricsPort),
					POSTS_DATABASE_URL: postsDb.url,
					...extraEnv
				}
			});
		},

		/** How many posts nodes the gateway routes to (its registry's endpoint gauge). */
		async postsEndpoints(): Promise<number> {
			return metricSum(await cluster.front.metrics(), "moleculer_registry_service_endpoints_total", { service: "posts" });
		},

		/** Waits until the gateway routes to exactly `count` (≥ 1) posts nodes. */
		async untilPostsEndpoints(count: number, timeoutMs = ROUTE_DEADLINE_MS) {
			return pollUntil(
				`the gateway routes to ${count} posts node(s)`,
				() => cluster.postsEndpoints(),
				n => n === count,
				timeoutMs
			);
		},

		/** A registered user's access token. */
		async register(): Promise<string> {
			const res = await cluster.api("POST", "/api/auth/register", { body: newUser("load") });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			return res.body.accessToken as string;
		},

		/** `count` published posts by the token's user, four at a time; their slugs. */
		async seedPosts(token: string, count: number): Promise<string[]> {
			const slugs: string[] = [];
			while (slugs.length < count) {
				const batch = await Promise.all(
					Array.from({ length: Math.min(4, count - slugs.length) }, async () => {
						const res = await cluster.api("POST", "/api/posts", { token, body: postBody() });
						assert.equal(res.status, 201, JSON.stringify(res.body));
						return res.body.slug as string;
					})
				);
				slugs.push(...batch);
			}
			return slugs;
		},

		/**
		 * The front node and one posts node with `postsEnv` (e.g. a link through a fault proxy),
		 * ready and routed to; a registered user's token. On failure, the nodes' output goes to stderr.
		 */
		async startWithOnePostsNode(postsEnv: Record<string, string>): Promise<{ posts: NodeProcess; token: string }> {
			try {
				const front = await cluster.startFront();
				const posts = await cluster.startPosts("posts-1", postsEnv);
				await Promise.all([front.waitReady(START_DEADLINE_MS), posts.waitReady(START_DEADLINE_MS)]);
				await cluster.untilPostsEndpoints(1);
				return { posts, token: await cluster.register() };
			} catch (err) {
				process.stderr.write(`${nodes.outputs()}\n`);
				throw err;
			}
		},

		/**
		 * The front node and two posts nodes, ready and routed to; a registered user's token and
		 * `count` published posts (their slugs). On failure, the nodes' output goes to stderr.
		 */
		async startWithTwoPostsNodes(count = 24): Promise<{ posts: NodeProcess[]; token: string; slugs: string[] }> {
			try {
				const front = await cluster.startFront();
				const posts = [await cluster.startPosts("posts-1"), await cluster.startPosts("posts-2")];
				await Promise.all([front, ...posts].map(n => n.waitReady(START_DEADLINE_MS)));
				await cluster.untilPostsEndpoints(2);
				const token = await cluster.register();
				return { posts, token, slugs: await cluster.seedPosts(token, count) };
			} catch (err) {
				process.stderr.write(`${nodes.outputs()}\n`);
				throw err;
			}
		},

		/** Runs a test's body; if it fails, the nodes' output goes into the test's diagnostics. */
		diagnosed: (t: TestContext, body: () => Promise<void>) => nodes.diagnosed(t, body),

		async stop() {
			await nodes.stopAll(15_000);
			await Promise.all([usersDb.drop(), postsDb.drop(), deleteEventTopology(namespace)]);
		}
	};
	return cluster;
}

export type PostsCluster = ReturnType<typeof postsCluster>;

/** A word of lowercase letters that no other post contains. */
export function randomWord(length = 10): string {
	const letters = "bcdfghjklmnpqrstvwxz";
	return Array.from(randomBytes(length), b => letters[b % letters.length]).join("");
}

/** A valid, published post with a fresh title and a few paragraphs of markdown. */
export function postBody() {
	const word = randomWord(8);
	return {
		title: `Notes on ${word} loops`,
		content: Array.from({ length: 6 }, (_, i) => `Paragraph ${i} about **${word}** and \`${randomWord(6)}\` loops.`).join("\n\n"),
		category: "algorithms",
		tags: ["loops"],
		status: "published"
	};
}
