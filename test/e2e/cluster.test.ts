/**
 * The platform as a cluster of OS processes: one gateway node and users nodes, talking over a
 * real transporter (AMQP, then NATS), the users database on the real PostgreSQL. Everything is
 * observed from outside, as a client and an operator would: HTTP to the gateway, `/health/ready`,
 * and each node's Prometheus endpoint.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { type Api, apiClient, type ApiResponse, newUser } from "../helpers/http";
import { freePorts, metricSum, NodeGroup, type NodeProcess } from "../helpers/processes";
import { deleteEventTopology } from "../helpers/amqp";
import { TEST_SERVICES, type TestService, unavailable } from "../helpers/services";

/** The gateway's own deadline for a call (REQUEST_TIMEOUT_MS). */
const REQUEST_TIMEOUT_MS = 3000;
/**
 * A node silent for HEARTBEAT_TIMEOUT_S (2.5 s) is dropped within a quarter second of that
 * (lib/prompt-discoverer.ts); the rest is margin for a loaded machine.
 */
const DETECTION_DEADLINE_MS = 3500;
/** No answer of the gateway may take longer than this, whatever the state of the cluster. */
const MAX_RESPONSE_MS = 4000;
/** Process start (tsx compiles on the fly) up to a ready broker. */
const START_DEADLINE_MS = 30_000;
/** A started node up to the gateway routing to it (discovery over the transporter). */
const ROUTE_DEADLINE_MS = 20_000;

interface Transport {
	name: string;
	service: TestService;
	url: string;
}

const TRANSPORTS: Transport[] = [
	{ name: "AMQP", service: "amqp", url: TEST_SERVICES.amqp },
	{ name: "NATS", service: "nats", url: TEST_SERVICES.nats }
];

for (const transport of TRANSPORTS) {
	const skip = unavailable("postgres", "amqp", transport.service);
	describe(`a cluster over ${transport.name}`, { skip, concurrency: 1 }, () => clusterCases(transport));
}

/** A timed request: when it left (ms after `origin`), how long it took, what came back. */
interface Timed {
	sentAtMs: number;
	durationMs: number;
	response?: ApiResponse;
	error?: string;
}

async function timed(call: () => Promise<ApiResponse>, origin: number): Promise<Timed> {
	const sentAt = performance.now();
	try {
		const response = await call();
		return { sentAtMs: sentAt - origin, durationMs: performance.now() - sentAt, response };
	} catch (err) {
		return { sentAtMs: sentAt - origin, durationMs: performance.now() - sentAt, error: (err as Error).message };
	}
}

function summary(results: Timed[]): string {
	return results.map(r => `+${Math.round(r.sentAtMs)}ms → ${r.response?.status ?? r.error} in ${Math.round(r.durationMs)}ms`).join("\n");
}

/** Every key anywhere in a JSON value. */
function allKeys(value: unknown, keys = new Set<string>()): Set<string> {
	if (Array.isArray(value)) value.forEach(v => allKeys(v, keys));
	else if (value && typeof value === "object") {
		for (const [k, v] of Object.entries(value)) {
			keys.add(k);
			allKeys(v, keys);
		}
	}
	return keys;
}

function assertErrorBody(res: ApiResponse, status: number, type?: string) {
	assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
	const body = res.body as Record<string, unknown>;
	assert.ok(body && typeof body === "object", `error body is not JSON: ${String(res.body)}`);
	assert.equal(typeof body.name, "string");
	assert.equal(typeof body.message, "string");
	assert.equal(body.code, status);
	assert.equal(typeof body.type, "string");
	if (type) assert.equal(body.type, type);
}

function clusterCases(transport: Transport) {
	const tag = transport.name.toLowerCase();
	const namespace = `e2e-${tag}-${process.pid}-${randomBytes(3).toString("hex")}`;
	const database = scratchDatabase(`e2e_cluster_${tag}`);
	const nodes = new NodeGroup();
	/** Users nodes in the order started; killed ones stay listed (with `exit` set). */
	const usersNodes: NodeProcess[] = [];
	let gateway: NodeProcess | undefined;
	let api: Api;
	/** A registered user whose public profile any users node can serve. */
	let someone: ReturnType<typeof newUser>;
	/** Logins (not idempotent, never retried) sent while the only users node was dead. */
	const loginsDuringOutage: Timed[] = [];

	const clusterEnv = {
		NODE_ENV: "test",
		NAMESPACE: namespace,
		TRANSPORTER: transport.url,
		// Domain events always travel through RabbitMQ in a cluster (NATS has no durable queues here).
		EVENTS_AMQP_URL: TEST_SERVICES.amqp,
		CACHER: "memory",
		JWT_SECRET: TEST_JWT_SECRET,
		LOG_LEVEL: "warn",
		REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS)
	};

	async function startGateway(): Promise<NodeProcess> {
		const [port, metricsPort] = await freePorts(2);
		return nodes.start({
			name: "gateway",
			env: {
				...clusterEnv,
				SERVICES: "gateway",
				NODE_ID: `${namespace}-gateway`,
				PORT: String(port),
				METRICS_PORT: String(metricsPort)
			}
		});
	}

	async function startUsers(nodeID: string): Promise<NodeProcess> {
		const [healthPort, metricsPort] = await freePorts(2);
		const node = nodes.start({
			name: nodeID.slice(namespace.length + 1),
			env: {
				...clusterEnv,
				SERVICES: "users",
				NODE_ID: nodeID,
				HEALTH_PORT: String(healthPort),
				METRICS_PORT: String(metricsPort),
				USERS_DATABASE_URL: database.url,
				DATABASE_POOL_MAX: "4"
			}
		});
		usersNodes.push(node);
		return node;
	}

	/** Polls `path` until it answers `status`, failing at the deadline; returns every answer seen. */
	async function until(path: string, status: number, timeoutMs: number): Promise<Timed[]> {
		const origin = performance.now();
		const seen: Timed[] = [];
		while (performance.now() - origin < timeoutMs) {
			const result = await timed(() => api("GET", path), origin);
			seen.push(result);
			if (result.response?.status === status) return seen;
			await delay(100);
		}
		assert.fail(`${path} did not answer ${status} within ${timeoutMs} ms:\n${summary(seen.slice(-20))}`);
	}

	before(
		async () => {
			const firstUsers = await startUsers(`${namespace}-users-1`);
			gateway = await startGateway();
			api = apiClient(`http://127.0.0.1:${gateway.env.PORT}`);
			try {
				await Promise.all([firstUsers.waitReady(START_DEADLINE_MS), gateway.waitReady(START_DEADLINE_MS)]);
				// Ready nodes may not know each other yet: wait until the gateway routes to users.
				await until("/api/users/nobody-at-all", 404, ROUTE_DEADLINE_MS);
				someone = newUser("someone");
				const registered = await api("POST", "/api/auth/register", { body: someone });
				assert.equal(registered.status, 201, JSON.stringify(registered.body));
			} catch (err) {
				process.stderr.write(`${nodes.outputs()}\n`);
				throw err;
			}
		},
		{ timeout: START_DEADLINE_MS + ROUTE_DEADLINE_MS + 10_000 }
	);

	after(
		async () => {
			// SIGTERM, as an orchestrator would; a node still there after 15 s gets SIGKILL.
			await nodes.stopAll(15_000);
			await Promise.all([database.drop(), deleteEventTopology(namespace)]);
		},
		{ timeout: 40_000 }
	);

	test("when a browser asks a gateway-only node for the web client, then it serves the page and its assets itself", t =>
		nodes.diagnosed(t, async () => {
			const origin = `http://127.0.0.1:${gateway!.env.PORT}`;
			const page = await fetch(`${origin}/groups`);
			assert.equal(page.status, 200);
			assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
			const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
			assert.ok(script, "the page names its script");
			const asset = await fetch(`${origin}${script}`);
			assert.equal(asset.status, 200);
			assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
		}));

	test(
		"when a user registers, logs in, refreshes and logs out through the gateway, then every step answers as the API says",
		{ timeout: 30_000 },
		t =>
			nodes.diagnosed(t, async () => {
				const user = newUser("life");

				const registered = await api("POST", "/api/auth/register", { body: user });
				assert.equal(registered.status, 201, JSON.stringify(registered.body));
				assert.equal(registered.body.user.username, user.username);
				assert.ok(registered.body.accessToken && registered.body.refreshToken);
				assert.ok(!allKeys(registered.body).has("passwordHash"), "register must not return the password hash");
				const registration = registered.body as { accessToken: string; refreshToken: string };

				const loggedIn = await api("POST", "/api/auth/login", { body: { login: user.username, password: user.password } });
				assert.equal(loggedIn.status, 200, JSON.stringify(loggedIn.body));
				assert.equal(loggedIn.body.user.username, user.username);
				assert.ok(!allKeys(loggedIn.body).has("passwordHash"), "login must not return the password hash");
				const login = loggedIn.body as { accessToken: string; refreshToken: string };

				const me = await api("GET", "/api/users/me", { token: login.accessToken });
				assert.equal(me.status, 200, JSON.stringify(me.body));
				assert.equal(me.body.username, user.username);
				assert.equal(me.body.email, user.email);
				assert.ok(!allKeys(me.body).has("passwordHash"), `/users/me leaks the password hash: ${JSON.stringify(me.body)}`);
				assert.ok(!JSON.stringify(me.body).includes(user.password), "/users/me leaks the password");

				const refreshed = await api("POST", "/api/auth/refresh", { body: { refreshToken: login.refreshToken } });
				assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
				const pair = refreshed.body as { accessToken: string; refreshToken: string };
				assert.ok(pair.accessToken && pair.refreshToken);
				assert.notEqual(pair.refreshToken, login.refreshToken, "a refresh must issue a new refresh token");
				assert.equal((await api("GET", "/api/users/me", { token: pair.accessToken })).status, 200);

				// The spent refresh token no longer works; presenting it again revokes its session.
				const reused = await api("POST", "/api/auth/refresh", { body: { refreshToken: login.refreshToken } });
				assertErrorBody(reused, 401, "REFRESH_TOKEN_REUSED");
				assertErrorBody(await api("GET", "/api/users/me", { token: pair.accessToken }), 401);

				// Log out the registration's session, after the gateway checked (and cached) it.
				assert.equal((await api("GET", "/api/users/me", { token: registration.accessToken })).status, 200);
				const loggedOut = await api("POST", "/api/auth/logout", { token: registration.accessToken, body: {} });
				assert.equal(loggedOut.status, 204, JSON.stringify(loggedOut.body));
				assertErrorBody(await api("GET", "/api/users/me", { token: registration.accessToken }), 401);
				assertErrorBody(await api("POST", "/api/auth/refresh", { body: { refreshToken: registration.refreshToken } }), 401);
			})
	);

	test(
		"when the only users node is killed -9, then the gateway answers 503 with Retry-After within seconds and never hangs; when a users node starts again, then requests succeed again",
		{ timeout: 90_000 },
		t =>
			nodes.diagnosed(t, async () => {
				// A read no gateway keeps a copy of (an unknown user: 404s are never shared), so each goes to a users node.
				const profilePath = `/api/users/nobody-${tag}`;
				const [victim, ...others] = usersNodes.filter(n => !n.exit);
				assert.ok(victim, "a users node must be running");
				assert.equal(others.length, 0, "this case needs exactly one users node");
				assert.equal((await api("GET", profilePath)).status, 404);

				// Fire a request every 200 ms from the kill on, without waiting for answers, so
				// that a hanging answer cannot hide when the gateway starts to answer 503. A login
				// goes along each time: a write, which the gateway must not retry.
				const killedAt = performance.now();
				victim.child.kill("SIGKILL");
				const inFlight: Promise<Timed>[] = [];
				const loginsInFlight: Promise<Timed>[] = [];
				let first503: Timed | undefined;
				for (let i = 0; !first503 && performance.now() - killedAt < DETECTION_DEADLINE_MS + 6000; i++) {
					inFlight.push(
						timed(() => api("GET", profilePath), killedAt).then(r => {
							if (r.response?.status === 503 && !first503) first503 = r;
							return r;
						})
					);
					const body = { login: `nobody-${tag}-${i}`, password: "not-the-password" };
					loginsInFlight.push(timed(() => api("POST", "/api/auth/login", { body }), killedAt));
					await delay(200);
				}
				const results = await Promise.all(inFlight);
				loginsDuringOutage.push(...(await Promise.all(loginsInFlight)));
				const exit = await victim.exited;
				assert.equal(exit.signal, "SIGKILL");
				const report = summary(results);

				assert.ok(first503, `no 503 within ${DETECTION_DEADLINE_MS + 6000} ms of the kill:\n${report}`);
				const answeredAt = first503.sentAtMs + first503.durationMs;
				assert.ok(
					answeredAt <= DETECTION_DEADLINE_MS,
					`first 503 came ${Math.round(answeredAt)} ms after the kill (limit ${DETECTION_DEADLINE_MS}):\n${report}`
				);
				for (const r of results) {
					assert.ok(r.response, `a request failed at the client: ${r.error}\n${report}`);
					assert.ok(r.durationMs < MAX_RESPONSE_MS, `an answer took ${Math.round(r.durationMs)} ms:\n${report}`);
					// While the gateway still believes in the dead node: 504 (its deadline); after: 503.
					assert.ok([503, 504].includes(r.response.status), `unexpected ${r.response.status}:\n${report}`);
					assertErrorBody(r.response, r.response.status);
				}
				const loginReport = summary(loginsDuringOutage);
				for (const r of loginsDuringOutage) {
					assert.ok(r.response, `a login failed at the client: ${r.error}\n${loginReport}`);
					assert.ok(r.durationMs < MAX_RESPONSE_MS, `a login took ${Math.round(r.durationMs)} ms:\n${loginReport}`);
					assertErrorBody(r.response, r.response.status);
					assert.ok(r.response.status >= 500, `a login got ${r.response.status} from a dead node:\n${loginReport}`);
				}

				const unavailableAnswer = first503.response!;
				assert.deepEqual(Object.keys(unavailableAnswer.body).sort(), ["code", "message", "name", "type"]);
				assertErrorBody(unavailableAnswer, 503, "SERVICE_UNAVAILABLE");
				const retryAfter = unavailableAnswer.headers.get("retry-after");
				assert.match(retryAfter ?? "", /^[1-9]\d*$/, `Retry-After must be a positive number of seconds, got ${retryAfter}`);
				t.diagnostic(`first 503 ${Math.round(answeredAt)} ms after the kill; ${results.length} probes:\n${report}`);

				// A restarted node, as a container restarted in its pod: the same node ID.
				const restarted = await startUsers(victim.nodeID);
				const restartedAt = performance.now();
				await restarted.waitReady(START_DEADLINE_MS);
				const recovery = await until(profilePath, 404, ROUTE_DEADLINE_MS);
				for (const r of recovery) {
					assert.ok(r.response && r.durationMs < MAX_RESPONSE_MS, `a recovery probe hung or failed:\n${summary(recovery)}`);
					assert.ok([404, 503].includes(r.response.status), `unexpected answer while recovering:\n${summary(recovery)}`);
				}
				assertErrorBody(recovery.at(-1)!.response!, 404, "NOT_FOUND");
				assert.equal((await api("GET", `/api/users/${someone.username}`)).status, 200, "a known user's profile too");
				t.diagnostic(`served again ${Math.round(performance.now() - restartedAt)} ms after the restart began`);
			})
	);

	test("when the only users node dies with logins in flight, then those logins answer 503 or 504, never 500", () => {
		assert.ok(loginsDuringOutage.length > 0, "the kill case did not run");
		const statuses = loginsDuringOutage.map(r => r.response?.status);
		assert.ok(
			statuses.every(s => s === 503 || s === 504),
			`logins during the outage:\n${summary(loginsDuringOutage)}`
		);
	});

	test("when a second users node joins, then the gateway spreads requests over both users nodes", { timeout: 90_000 }, t =>
		nodes.diagnosed(t, async () => {
			if (!usersNodes.some(n => !n.exit)) await (await startUsers(`${namespace}-users-1b`)).waitReady(START_DEADLINE_MS);
			const second = await startUsers(`${namespace}-users-2`);
			await second.waitReady(START_DEADLINE_MS);
			const serving = usersNodes.filter(n => !n.exit);
			assert.equal(serving.length, 2);

			// The gateway's registry says when it knows both: its gauge of users endpoints.
			const origin = performance.now();
			let endpoints = 0;
			while (performance.now() - origin < ROUTE_DEADLINE_MS) {
				endpoints = metricSum(await gateway!.metrics(), "moleculer_registry_service_endpoints_total", { service: "users" });
				if (endpoints === 2) break;
				await delay(100);
			}
			assert.equal(endpoints, 2, "the gateway did not see both users nodes in time");

			// Unknown users: 404s are never cached, so each request reaches a users node's handler.
			const served = async () =>
				Promise.all(
					serving.map(async n =>
						metricSum(await n.metrics(), "moleculer_request_total", { action: "users.profile", type: "local" })
					)
				);
			const before = await served();
			const requests = 40;
			for (let i = 0; i < requests; i++) {
				const res = await api("GET", `/api/users/nobody-${i}`);
				assertErrorBody(res, 404, "NOT_FOUND");
			}
			const afterCounts = await served();
			const deltas = afterCounts.map((n, i) => n - before[i]);
			t.diagnostic(`users.profile served per node: ${serving.map((n, i) => `${n.name}=${deltas[i]}`).join(", ")}`);
			for (const [i, node] of serving.entries()) {
				assert.ok(deltas[i] > 0, `${node.name} served none of the ${requests} requests (deltas ${deltas.join("/")})`);
			}
			assert.equal(deltas[0] + deltas[1], requests, "every request is served exactly once, by one of the nodes");
		})
	);
}
