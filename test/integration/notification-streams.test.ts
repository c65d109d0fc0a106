/**
 * The notification stream's guards, observed as a client would: a ticket opens one stream; a
 * stream ends when its session ends or changes (logout, password or role change, account
 * deletion), on every gateway; a user holds a few streams per gateway at most; opening streams
 * counts against the rate limit of "/api". One process first, then two gateways and a users node
 * over RabbitMQ with the Redis cacher.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { registerAdmin, type TestUser } from "../helpers/accounts";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { type Api, newUser } from "../helpers/http";
import { assertError, ok, SseStream } from "../helpers/notifications";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";
import { MAX_STREAMS_PER_USER } from "../../services/gateway/notification-streams";

interface StreamsOwner {
	streams: { openCount: number; openCountOf(userId: string): number };
}

const CLOSE_DEADLINE_MS = 5000;

let addresses = 0;
/** Each test calls from an address of its own (the gateway trusts loopback's X-Forwarded-For): its own rate-limit window. */
function fromNewAddress(api: () => Api): { api: Api; address: string } {
	const address = `198.51.100.${++addresses}`;
	return {
		address,
		api: (method, path, options = {}) =>
			api()(method, path, { ...options, headers: { "x-forwarded-for": address, ...options.headers } })
	};
}

/** A new user: registered (one session) and, with `sessions`, logged in again for more. */
async function newAccount(api: Api, sessions = 1): Promise<TestUser & { tokens: string[] }> {
	const body = newUser("strm");
	const registered = ok(await api("POST", "/api/auth/register", { body }), 201);
	const tokens = [registered.accessToken as string];
	while (tokens.length < sessions) {
		tokens.push(ok(await api("POST", "/api/auth/login", { body: { login: body.username, password: body.password } })).accessToken);
	}
	return { id: registered.user.id, username: body.username, password: body.password, token: tokens[0], tokens };
}

/** Waits for the stream's `close` event and its end; returns the reason it gave. */
async function closedFor(stream: SseStream): Promise<string> {
	const frame = await stream.waitFor("a close event", f => f.event === "close", CLOSE_DEADLINE_MS);
	await eventually(
		"the stream ends",
		async () => stream.isEnded,
		ended => ended,
		CLOSE_DEADLINE_MS
	);
	return JSON.parse(frame.data ?? "null").reason as string;
}

describe("notification streams on one gateway, on the real PostgreSQL and Redis", { skip: unavailable("postgres", "redis") }, () => {
	const dbs = { users: scratchDatabase("codelearn_test_streams_users") };
	let platform: Platform;
	const opened: SseStream[] = [];

	const streams = () => (platform.broker.getLocalService("gateway") as unknown as StreamsOwner).streams;
	const streamUrl = (query = "") => `${platform.baseUrl}/api/notifications/stream${query}`;

	/** Opens a stream from `address` with a Bearer token or a ticket; asserts it is one. */
	async function connect(address: string, auth: { token: string } | { ticket: string }): Promise<SseStream> {
		const headers: Record<string, string> = { "x-forwarded-for": address };
		if ("token" in auth) headers.authorization = `Bearer ${auth.token}`;
		const stream = await SseStream.connect(streamUrl("ticket" in auth ? `?ticket=${encodeURIComponent(auth.ticket)}` : ""), headers);
		opened.push(stream);
		return stream;
	}

	async function ticketOf(api: Api, token: string): Promise<string> {
		return ok(await api("POST", "/api/notifications/stream-ticket", { token })).ticket;
	}

	before(async () => {
		platform = await startPlatform({
			SERVICES: "gateway,users",
			NAMESPACE: `streams-${randomBytes(4).toString("hex")}`,
			CACHER: TEST_SERVICES.redis,
			USERS_DATABASE_URL: dbs.users.url,
			TRUST_PROXY: "loopback",
			RATE_LIMIT_MAX: "40",
			ACCESS_TOKEN_TTL_S: "3600"
		});
	});

	after(async () => {
		await Promise.all(opened.map(s => s.close()));
		await platform?.stop();
		await dbs.users.drop();
	});

	it("when a stream ticket is used a second time then 401 TICKET_USED, nothing more opens, and the first stream goes on", async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const user = await newAccount(api);
		const ticket = await ticketOf(api, user.token);
		const first = await connect(address, { ticket });
		const again = await SseStream.open(streamUrl(`?ticket=${encodeURIComponent(ticket)}`), { "x-forwarded-for": address });
		assert.ok(!(again instanceof SseStream), "the second use must not open a stream");
		assertError(again, 401, "TICKET_USED");
		assert.equal(streams().openCountOf(user.id), 1);
		assert.equal(first.isEnded, false);
		// A new ticket opens another.
		await connect(address, { ticket: await ticketOf(api, user.token) });
		assert.equal(streams().openCountOf(user.id), 2);
	});

	it("when a user logs out then that session's streams (Bearer and ticket) end with a close event, and their other session's stream goes on", async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const user = await newAccount(api, 2);
		const [leaving, staying] = user.tokens;
		const byToken = await connect(address, { token: leaving });
		const byTicket = await connect(address, { ticket: await ticketOf(api, leaving) });
		const other = await connect(address, { token: staying });
		assert.equal((await api("POST", "/api/auth/logout", { token: leaving })).status, 204);
		assert.equal(await closedFor(byToken), "session_changed");
		assert.equal(await closedFor(byTicket), "session_changed");
		assert.equal(other.isEnded, false);
		assert.equal(streams().openCountOf(user.id), 1);
		const reopened = await SseStream.open(streamUrl(), { "x-forwarded-for": address, authorization: `Bearer ${leaving}` });
		assert.ok(!(reopened instanceof SseStream), "a logged-out token must not open a stream");
		assertError(reopened, 401);
	});

	it("when a user changes their password then every stream of theirs ends, the changing session's too", async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const user = await newAccount(api, 2);
		const [changing, other] = await Promise.all(user.tokens.map(token => connect(address, { token })));
		const res = await api("PUT", "/api/users/me/password", {
			token: user.tokens[0],
			body: { currentPassword: user.password, newPassword: `${user.password}-new!` }
		});
		assert.equal(res.status, 204, JSON.stringify(res.body));
		assert.equal(await closedFor(changing), "session_changed");
		assert.equal(await closedFor(other), "session_changed");
		assert.equal(streams().openCountOf(user.id), 0);
		// The changing session goes on: it may open a stream again.
		await connect(address, { token: user.tokens[0] });
	});

	it("when an admin changes a user's role then that user's streams end, and a new stream opens with the new role", async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const [user, admin] = [await newAccount(api), await registerAdmin(api, platform.broker)];
		const stream = await connect(address, { token: user.token });
		const adminStream = await connect(address, { token: admin.token });
		ok(await api("PATCH", `/api/users/${user.id}/role`, { token: admin.token, body: { role: "admin" } }));
		assert.equal(await closedFor(stream), "session_changed");
		assert.equal(adminStream.isEnded, false);
		await connect(address, { ticket: await ticketOf(api, user.token) });
		assert.equal(streams().openCountOf(user.id), 1);
	});

	it("when a user deletes their account then their streams end and their tickets open nothing", async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const user = await newAccount(api);
		const ticket = await ticketOf(api, user.token);
		const stream = await connect(address, { token: user.token });
		assert.equal((await api("DELETE", "/api/users/me", { token: user.token })).status, 204);
		assert.equal(await closedFor(stream), "session_changed");
		const late = await SseStream.open(streamUrl(`?ticket=${encodeURIComponent(ticket)}`), { "x-forwarded-for": address });
		assert.ok(!(late instanceof SseStream), "a deleted account's ticket must not open a stream");
		assertError(late, 401);
		assert.equal(streams().openCountOf(user.id), 0);
	});

	it(`when a user opens stream ${MAX_STREAMS_PER_USER + 1} on a gateway then their oldest ends (too_many_streams) and ${MAX_STREAMS_PER_USER} stay open`, async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const user = await newAccount(api);
		const streamsOfUser: SseStream[] = [];
		for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streamsOfUser.push(await connect(address, { token: user.token }));
		const newest = await connect(address, { token: user.token });
		assert.equal(await closedFor(streamsOfUser[0]), "too_many_streams");
		for (const stream of [...streamsOfUser.slice(1), newest]) assert.equal(stream.isEnded, false);
		assert.equal(streams().openCountOf(user.id), MAX_STREAMS_PER_USER);
	});

	it("when a client has spent the rate limit of /api then opening a stream is 429 with Retry-After, and opening one counts against /api", async () => {
		const { api, address } = fromNewAddress(() => platform.api);
		const user = await newAccount(api);
		const remainingOf = (res: { headers: Headers }) => Number(res.headers.get("x-rate-limit-remaining"));
		const before = remainingOf(await api("GET", "/api/users/me", { token: user.token }));
		const stream = await connect(address, { token: user.token });
		assert.equal(remainingOf(stream), before - 1, "a stream counts in the same window as /api");
		assert.equal(remainingOf(await api("GET", "/api/users/me", { token: user.token })), before - 2);
		for (let left = before - 2; left > 0; left--) ok(await api("GET", "/api/users/me", { token: user.token }));
		const limited = await SseStream.open(streamUrl(), { "x-forwarded-for": address, authorization: `Bearer ${user.token}` });
		assert.ok(!(limited instanceof SseStream), "over the limit, no stream opens");
		assertError(limited, 429);
		assert.ok(Number(limited.headers.get("retry-after")) > 0, "Retry-After");
		assert.equal(streams().openCountOf(user.id), 1);
	});
});

describe(
	"notification streams on two gateways and a users node, over RabbitMQ with the Redis cacher",
	{ skip: unavailable("postgres", "redis", "amqp") },
	() => {
		const namespace = `strm${randomBytes(4).toString("hex")}`;
		const dbs = { users: scratchDatabase("codelearn_test_streams_cluster_users") };
		const cluster = {
			NAMESPACE: namespace,
			TRANSPORTER: TEST_SERVICES.amqp,
			CACHER: TEST_SERVICES.redis,
			USERS_DATABASE_URL: dbs.users.url,
			RATE_LIMIT_MAX: "1000000",
			ACCESS_TOKEN_TTL_S: "3600",
			LOG_LEVEL: "error"
		};
		const nodes: Platform[] = [];
		const opened: SseStream[] = [];
		let gateway1: Platform;
		let gateway2: Platform;
		let core: Platform;

		const streamUrl = (gateway: Platform, query = "") => `${gateway.baseUrl}/api/notifications/stream${query}`;
		const openCountOf = (gateway: Platform, userId: string) =>
			(gateway.broker.getLocalService("gateway") as unknown as StreamsOwner).streams.openCountOf(userId);

		async function start(services: string, n: number): Promise<Platform> {
			const platform = await startPlatform({ ...cluster, SERVICES: services, NODE_ID: `${namespace}-${services}-${n}` });
			nodes.push(platform);
			return platform;
		}

		async function connect(gateway: Platform, headers: Record<string, string>, query = ""): Promise<SseStream> {
			const stream = await SseStream.connect(streamUrl(gateway, query), headers);
			opened.push(stream);
			return stream;
		}

		before(async () => {
			[gateway1, gateway2, core] = await Promise.all([start("gateway", 1), start("gateway", 2), start("users", 3)]);
			for (const gateway of [gateway1, gateway2]) await gateway.broker.waitForServices(["users"], 20_000);
			await eventually(
				"the users node sees both gateways (for its broadcasts)",
				async () =>
					(core.broker.registry.getServiceList({ onlyAvailable: true }) as { name: string }[]).filter(s => s.name === "gateway")
						.length,
				count => count === 2,
				20_000
			);
		});

		after(async () => {
			await Promise.all(opened.map(s => s.close()));
			await Promise.all(nodes.map(p => p.stop()));
			await Promise.all([dbs.users.drop(), deleteEventTopology(namespace)]);
		});

		it("when a user logs out through gateway 1 then their streams on both gateways end", async () => {
			const user = await newAccount(gateway1.api);
			const ticket = ok(await gateway1.api("POST", "/api/notifications/stream-ticket", { token: user.token })).ticket as string;
			const onFirst = await connect(gateway1, { authorization: `Bearer ${user.token}` });
			const onSecond = await connect(gateway2, {}, `?ticket=${encodeURIComponent(ticket)}`);
			assert.equal((await gateway1.api("POST", "/api/auth/logout", { token: user.token })).status, 204);
			assert.equal(await closedFor(onFirst), "session_changed");
			assert.equal(await closedFor(onSecond), "session_changed");
			assert.equal(openCountOf(gateway1, user.id) + openCountOf(gateway2, user.id), 0);
		});

		it("when a ticket opened a stream on gateway 1 then gateway 2 refuses it (401 TICKET_USED)", async () => {
			const user = await newAccount(gateway2.api);
			const ticket = ok(await gateway2.api("POST", "/api/notifications/stream-ticket", { token: user.token })).ticket as string;
			await connect(gateway1, {}, `?ticket=${encodeURIComponent(ticket)}`);
			const again = await SseStream.open(streamUrl(gateway2, `?ticket=${encodeURIComponent(ticket)}`));
			assert.ok(!(again instanceof SseStream), "the spent ticket must not open a stream on the other gateway");
			assertError(again, 401, "TICKET_USED");
			assert.equal(openCountOf(gateway2, user.id), 0);
		});
	}
);
