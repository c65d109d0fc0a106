/**
 * Domain events, behaviour first: the users service writes each event into its outbox in the
 * transaction of the change, the relay moves it to the event transport, and the audit service's
 * inbox applies it once (idempotency), retries it, and keeps it as a dead letter after its last
 * attempt. Everything runs against the real PostgreSQL, and either the real RabbitMQ (brokers of
 * one cluster in this process, over NATS) or the in-process transport of the one-process mode.
 * What the tests observe: the databases (outbox rows, audit rows, processed ids, retry rows), the
 * RabbitMQ queue, the operator actions and the brokers' metrics.
 */
import assert from "node:assert/strict";
import { eventually as poll } from "../helpers/eventually";
import { randomBytes, randomUUID } from "node:crypto";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import amqp from "amqplib";
import type { ServiceBroker } from "moleculer";
import { Pool } from "pg";
import { AmqpTransport } from "../../lib/events/amqp-transport";
import { createEvent, type DomainEvent, type NewEvent } from "../../lib/events/envelope";
import { queueName } from "../../lib/events/topology";
import { EVENT_TOPOLOGY } from "../../services/contracts";
import type { DeadLetter } from "../../mixins/consumer/inbox";
import { auditService } from "../../services/audit/audit.service";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { freePort } from "../helpers/processes";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** Small on purpose: a poison event is given up within ~2 s (attempts at 0, ~1 s, ~2 s). */
const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 100;
/** Commit to effect, with margin for a loaded machine (typical: tens of ms). */
const DELIVERY_DEADLINE_MS = 20_000;
/**
 * The relay backs off after failed passes (1 s doubling to 10 s): once the transport or consumer is
 * back, events wait for the next pass, and the backlog gauge is refreshed by that pass.
 */
const RELAY_BACKOFF_DEADLINE_MS = 10_000 + DELIVERY_DEADLINE_MS;

/** Every test broker: quiet, metrics registered (the reporter on any free port). */
const EVENTS_ENV = {
	EVENT_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
	EVENT_RETRY_BASE_MS: String(RETRY_BASE_MS),
	METRICS_ENABLED: "true",
	METRICS_PORT: "0",
	DATABASE_POOL_MAX: "4",
	LOG_LEVEL: "error"
};

interface Actor {
	id: string;
	username: string;
}

/** Call options as the gateway would send them for this user. */
function as(actor: Actor, role: "user" | "admin" = "user") {
	return { meta: { user: { id: actor.id, role, sessionId: randomUUID() } } };
}

function eventually<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = DELIVERY_DEADLINE_MS) {
	return poll(what, probe, ok, timeoutMs);
}

/** The sum of a counter's or gauge's values whose labels include `labels`; fails if it is not registered. */
function metric(broker: ServiceBroker, name: string, labels: Record<string, string> = {}): number {
	const registered = broker.metrics.getMetric(name) as unknown as {
		values: Map<string, { labels: Record<string, unknown>; value: number }>;
	} | null;
	assert.ok(registered, `metric ${name} is not registered on ${broker.nodeID}`);
	let sum = 0;
	for (const item of registered.values.values()) {
		if (Object.entries(labels).every(([k, v]) => item.labels[k] === v)) sum += item.value;
	}
	return sum;
}

const USERS = { service: "users" };
const AUDIT = { service: "audit" };

interface OutboxRow {
	seq: string;
	eventId: string;
	type: string;
	sent: boolean;
}

interface Effects {
	/** Rows in audit_events for the ids. */
	audited: number;
	/** Ids in the inbox's processed_events. */
	processed: number;
	/** Ids still waiting in event_retries (retrying or dead). */
	retrying: number;
}

/** Direct reads of the two services' databases, as an operator would look. */
class Databases {
	readonly users: Pool;
	readonly audit: Pool;

	constructor(usersUrl: string, auditUrl: string) {
		this.users = new Pool({ connectionString: usersUrl, max: 2 });
		this.audit = new Pool({ connectionString: auditUrl, max: 2 });
	}

	/** The outbox's last sequence number: rows after it are this test's events. */
	async watermark(): Promise<string> {
		const { rows } = await this.users.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM users.outbox`);
		return rows[0].seq as string;
	}

	async outboxSince(seq: string): Promise<OutboxRow[]> {
		const { rows } = await this.users.query(
			`SELECT seq::text, event_id AS "eventId", type, sent_at IS NOT NULL AS sent FROM users.outbox WHERE seq > $1 ORDER BY seq`,
			[seq]
		);
		return rows as OutboxRow[];
	}

	async effects(ids: string[]): Promise<Effects> {
		const { rows } = await this.audit.query(
			`SELECT (SELECT count(*) FROM audit.audit_events WHERE event_id = ANY($1::uuid[]))::int AS audited,
			        (SELECT count(*) FROM audit.processed_events WHERE event_id = ANY($1::uuid[]))::int AS processed,
			        (SELECT count(*) FROM audit.event_retries WHERE event_id = ANY($1::uuid[]))::int AS retrying`,
			[ids]
		);
		return rows[0] as Effects;
	}

	/** The audited ids among `ids`, each once per row (a duplicate would show twice). */
	async auditedIds(ids: string[]): Promise<string[]> {
		const { rows } = await this.audit.query(
			`SELECT event_id FROM audit.audit_events WHERE event_id = ANY($1::uuid[]) ORDER BY event_id`,
			[ids]
		);
		return rows.map(r => r.event_id as string);
	}

	async close(): Promise<void> {
		await Promise.all([this.users.end(), this.audit.end()]);
	}
}

/** Registers users (one scrypt hash each, ~0.3 s): they are the actors of the cheaper writes. */
async function registerActors(broker: ServiceBroker, count: number, prefix: string): Promise<Actor[]> {
	const actors: Actor[] = [];
	for (let i = 0; i < count; i++) {
		const result = (await broker.call("users.register", newUser(prefix))) as { user: Actor };
		actors.push({ id: result.user.id, username: result.user.username });
	}
	return actors;
}

/**
 * `total` profile updates (one `user.updated` each) through `broker`'s users service, the actors
 * in parallel, each one's writes in sequence. Every write must succeed.
 */
async function produceUpdates(broker: ServiceBroker, actors: Actor[], total: number, tag: string): Promise<void> {
	let next = 0;
	await Promise.all(
		actors.map(async actor => {
			while (next < total) {
				const displayName = `${tag} ${next++}`;
				const profile = (await broker.call("users.updateMe", { displayName }, as(actor))) as { displayName: string };
				assert.equal(profile.displayName, displayName);
			}
		})
	);
}

/** Writes one event straight into the users outbox, in a transaction of the users service. */
async function recordEvent(producer: ServiceBroker, event: NewEvent): Promise<DomainEvent> {
	const users = producer.getLocalService("users") as unknown as {
		sequelize: { transaction<T>(run: (transaction: unknown) => Promise<T>): Promise<T> };
		recordEvent(transaction: unknown, event: NewEvent): Promise<DomainEvent>;
	};
	return users.sequelize.transaction(transaction => users.recordEvent(transaction, event));
}

/** The audit service's inbox, for deliveries by hand. */
function inboxOf(consumer: ServiceBroker): { deliver(event: DomainEvent): Promise<void> } {
	const audit = consumer.getLocalService("audit") as unknown as { inbox?: { deliver(event: DomainEvent): Promise<void> } };
	assert.ok(audit?.inbox, `no audit inbox on ${consumer.nodeID}`);
	return audit.inbox;
}

/**
 * A TCP proxy in front of RabbitMQ: `cut()` drops every connection through it and refuses new
 * ones (RabbitMQ restarting, a network partition), `restore()` lets them through again.
 */
class TcpProxy {
	private readonly sockets = new Set<net.Socket>();
	private refusing = false;

	private constructor(
		private readonly server: net.Server,
		readonly port: number
	) {}

	static async start(target: URL): Promise<TcpProxy> {
		const server = net.createServer();
		const port = await new Promise<number>((resolve, reject) => {
			server.once("error", reject);
			server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
		});
		const proxy = new TcpProxy(server, port);
		server.on("connection", client => proxy.accept(client, target));
		return proxy;
	}

	private accept(client: net.Socket, target: URL) {
		if (this.refusing) {
			client.destroy();
			return;
		}
		const upstream = net.connect(Number(target.port || 5672), target.hostname);
		for (const [a, b] of [
			[client, upstream],
			[upstream, client]
		]) {
			this.sockets.add(a);
			a.on("error", () => b.destroy());
			a.on("close", () => {
				this.sockets.delete(a);
				b.destroy();
			});
			a.pipe(b);
		}
	}

	/** The URL of the proxied RabbitMQ. */
	url(original: string): string {
		const url = new URL(original);
		url.hostname = "127.0.0.1";
		url.port = String(this.port);
		return url.toString();
	}

	cut(): void {
		this.refusing = true;
		for (const socket of this.sockets) socket.destroy();
	}

	restore(): void {
		this.refusing = false;
	}

	async close(): Promise<void> {
		this.cut();
		await new Promise(resolve => this.server.close(resolve));
	}
}

/** Waits until every id has its effect, once, and nothing of it is left to retry. */
async function assertAppliedOnce(db: Databases, ids: string[], what: string, timeoutMs = DELIVERY_DEADLINE_MS): Promise<void> {
	await eventually(
		`${what}: ${ids.length} events applied`,
		() => db.effects(ids),
		e => e.audited === ids.length && e.processed === ids.length,
		timeoutMs
	);
	const audited = await db.auditedIds(ids);
	assert.deepEqual(audited, [...ids].sort(), `${what}: the audit trail holds each event exactly once`);
	assert.equal((await db.effects(ids)).retrying, 0, `${what}: no event is left waiting for a retry`);
}

/**
 * The cases both transports must pass, on a producer and a consumer broker (the same broker in the
 * one-process mode). `stack()` is read when a case runs, after `before` started the brokers.
 */
function sharedCases(stack: () => { producer: ServiceBroker; consumer: ServiceBroker; db: Databases; actors: Actor[] }) {
	it("when one event is delivered twice, even at the same moment, then it has one effect", async () => {
		const { consumer, db, actors } = stack();
		const [actor] = actors;
		const duplicatesBefore = metric(consumer, "codelearn.events.duplicates.total", AUDIT);
		const event = createEvent("users", {
			type: "user.updated",
			aggregateId: actor.id,
			actorId: actor.id,
			payload: { userId: actor.id, changed: ["bio"] }
		});
		const inbox = inboxOf(consumer);
		await Promise.all([inbox.deliver(event), inbox.deliver(event)]);
		await inbox.deliver(event);
		assert.deepEqual(await db.effects([event.id]), { audited: 1, processed: 1, retrying: 0 });
		assert.equal(
			metric(consumer, "codelearn.events.duplicates.total", AUDIT) - duplicatesBefore,
			2,
			"two of the three deliveries were skipped as duplicates"
		);
	});

	it(`when an event's handler always fails then it is tried ${MAX_ATTEMPTS} times, listed as a dead letter, and events behind it keep flowing; a redrive puts it back in line`, async () => {
		const { producer, consumer, db, actors } = stack();
		const [actor] = actors;
		const retriesBefore = metric(consumer, "codelearn.events.retries.total", AUDIT);
		const deadBefore = metric(consumer, "codelearn.events.dead_letters.total", AUDIT);
		// A permanent poison: the audit trail's actor_id is a uuid column.
		const poison = await recordEvent(producer, {
			type: "user.updated",
			aggregateId: actor.id,
			actorId: "not-a-uuid",
			payload: { userId: actor.id, changed: ["bio"] }
		});
		// A poison until the operator fixes its cause: a trigger refuses this aggregate for now.
		const quarantined = `quarantined-${randomBytes(4).toString("hex")}`;
		await db.audit.query(`
				CREATE FUNCTION audit.test_quarantine() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'aggregate % is quarantined', NEW.aggregate_id; END $$`);
		await db.audit.query(`
				CREATE TRIGGER test_quarantine BEFORE INSERT ON audit.audit_events
				FOR EACH ROW WHEN (NEW.aggregate_id LIKE 'quarantined-%') EXECUTE FUNCTION audit.test_quarantine()`);
		let fixable: DomainEvent;
		try {
			fixable = await recordEvent(producer, {
				type: "user.updated",
				aggregateId: quarantined,
				actorId: actor.id,
				payload: { changed: ["bio"] }
			});

			// Events committed after the poison ones still take effect, while those are retried.
			const mark = await db.watermark();
			await produceUpdates(producer, actors, 10, "behind");
			const behind = (await db.outboxSince(mark)).map(r => r.eventId);
			assert.equal(behind.length, 10);
			await assertAppliedOnce(db, behind, "events behind the poison");

			const dead = await eventually(
				"both poison events are dead letters",
				() => consumer.call("audit.deadLetters", {}) as Promise<DeadLetter[]>,
				letters => [poison.id, fixable.id].every(id => letters.some(l => l.eventId === id))
			);
			for (const event of [poison, fixable]) {
				const letter = dead.find(l => l.eventId === event.id)!;
				assert.equal(letter.attempts, MAX_ATTEMPTS, `${event.id} was tried EVENT_MAX_ATTEMPTS times`);
				assert.equal(letter.type, "user.updated");
				const { sequence, ...envelope } = letter.event;
				assert.deepEqual(envelope, event, "the dead letter keeps the whole envelope");
				assert.ok(Number.isSafeInteger(sequence), "as relayed, with its outbox sequence");
				assert.ok(letter.failedAt);
			}
			assert.match(dead.find(l => l.eventId === poison.id)!.lastError, /uuid/);
			assert.match(dead.find(l => l.eventId === fixable.id)!.lastError, /quarantined/);
			// Per event: the first failure and the second are retries; the third gives up.
			assert.equal(metric(consumer, "codelearn.events.retries.total", AUDIT) - retriesBefore, 2 * (MAX_ATTEMPTS - 1));
			assert.equal(metric(consumer, "codelearn.events.dead_letters.total", AUDIT) - deadBefore, 2);
			assert.deepEqual(
				await db.effects([poison.id, fixable.id]),
				{ audited: 0, processed: 0, retrying: 2 },
				"no effect of a failed event is kept"
			);
		} finally {
			await db.audit.query(`DROP TRIGGER IF EXISTS test_quarantine ON audit.audit_events`);
			await db.audit.query(`DROP FUNCTION IF EXISTS audit.test_quarantine()`);
		}

		// The cause fixed, the operator re-drives that one event: it takes effect, once.
		assert.deepEqual(await consumer.call("audit.redriveDeadLetters", { eventIds: [fixable.id] }), { redriven: 1 });
		await assertAppliedOnce(db, [fixable.id], "the re-driven event");
		const [remaining] = (await consumer.call("audit.deadLetters", {})) as DeadLetter[];
		assert.equal(remaining?.eventId, poison.id, "only the permanent poison is still a dead letter");

		// Re-driving all: the permanent poison leaves the dead letters, is tried again, and gives up again.
		assert.deepEqual(await consumer.call("audit.redriveDeadLetters", {}), { redriven: 1 });
		assert.deepEqual(await consumer.call("audit.deadLetters", {}), [], "a re-driven event is back in line, not dead");
		const again = await eventually(
			"the permanent poison is a dead letter again",
			() => consumer.call("audit.deadLetters", {}) as Promise<DeadLetter[]>,
			letters => letters.length === 1
		);
		assert.equal(again[0].attempts, MAX_ATTEMPTS, "a redrive starts a fresh series of attempts");
		assert.equal(metric(consumer, "codelearn.events.dead_letters.total", AUDIT) - deadBefore, 3);
	});

	it("when the relay dies after publishing but before marking events sent then it publishes them again, with no second effect", async () => {
		const { producer, consumer, db, actors } = stack();
		const mark = await db.watermark();
		await produceUpdates(producer, actors, 20, "republished");
		const ids = (await db.outboxSince(mark)).map(r => r.eventId);
		await assertAppliedOnce(db, ids, "the first publication");
		await eventually(
			"the outbox marks them sent",
			() => db.outboxSince(mark),
			rows => rows.every(r => r.sent)
		);
		const duplicatesBefore = metric(consumer, "codelearn.events.duplicates.total", AUDIT);
		const consumedBefore = metric(consumer, "codelearn.events.consumed.total", AUDIT);

		// What a crash between the broker's confirm and the UPDATE leaves behind: published, not marked.
		await db.users.query(`UPDATE users.outbox SET sent_at = NULL WHERE seq > $1`, [mark]);
		await eventually(
			"the relay sweep publishes them again",
			() => db.outboxSince(mark),
			rows => rows.every(r => r.sent)
		);
		await eventually(
			"the consumer skipped every redelivery",
			async () => metric(consumer, "codelearn.events.duplicates.total", AUDIT) - duplicatesBefore,
			n => n === ids.length
		);
		assert.equal(metric(consumer, "codelearn.events.consumed.total", AUDIT), consumedBefore, "no second effect");
		await assertAppliedOnce(db, ids, "after the second publication");
	});

	it("when users register, change and delete their account then the audit trail has user.created, user.updated and user.deleted, without secrets", async () => {
		const { producer, consumer } = stack();
		const body = newUser("audited");
		const { user } = (await producer.call("users.register", body)) as { user: Actor };
		await producer.call("users.updateMe", { bio: "hello" }, as(user));
		await producer.call("users.updatePreferences", { theme: "dark" }, as(user));
		await producer.call("users.deleteMe", {}, as(user));
		const admin = as(user, "admin");
		const page = await eventually(
			"the user's four events are in the audit trail",
			() => consumer.call("audit.list", { aggregateId: user.id, pageSize: 100 }, admin) as Promise<{ rows: any[] }>,
			p => p.rows.length === 4
		);
		const byType = (type: string) => page.rows.filter(r => r.type === type);
		assert.equal(byType("user.created").length, 1);
		assert.equal(byType("user.updated").length, 2);
		assert.equal(byType("user.deleted").length, 1);
		assert.deepEqual(
			byType("user.updated")
				.map(r => r.payload.changed)
				.sort(),
			[["bio"], ["preferences"]]
		);
		assert.deepEqual(byType("user.created")[0].payload, { userId: user.id, username: body.username, displayName: body.username });
		assert.deepEqual(byType("user.deleted")[0].payload, { userId: user.id, username: body.username });
		for (const row of page.rows) {
			assert.equal(row.producer, "users");
			assert.equal(row.actorId, user.id, "the user caused each of its events");
		}
		const text = JSON.stringify(page.rows);
		assert.ok(!text.includes(body.password) && !/passwordHash|password_hash/.test(text), "no secret in the audit trail");
		assert.ok(!text.includes(body.email), "no e-mail address in the audit trail");
		// Filters by type work on the stored rows.
		const deleted = (await consumer.call("audit.list", { aggregateId: user.id, type: "user.deleted" }, admin)) as { rows: any[] };
		assert.equal(deleted.rows.length, 1);
	});

	// After the cases above (a dead letter among them).
	it("when events have flowed then the outbox backlog, consumed and dead-letter metrics are registered and true", async () => {
		const { producer, consumer, db } = stack();
		await eventually(
			"the backlog gauge drains to 0",
			async () => metric(producer, "codelearn.outbox.backlog", USERS),
			v => v === 0,
			5000
		);
		const { rows } = await db.audit.query(`SELECT count(*)::int AS n FROM audit.processed_events`);
		assert.ok(metric(consumer, "codelearn.events.consumed.total", AUDIT) > 0);
		assert.ok(
			metric(consumer, "codelearn.events.consumed.total", AUDIT) <= rows[0].n,
			"no broker counts more effects than the inbox recorded"
		);
		assert.ok(metric(consumer, "codelearn.events.dead_letters.total", AUDIT) >= 1);
		assert.ok(metric(producer, "codelearn.outbox.published.total", USERS) > 0);
	});
}

describe(
	"domain events over RabbitMQ, producer and consumer on separate brokers",
	{ skip: unavailable("postgres", "amqp", "nats") },
	() => {
		const namespace = `t${randomBytes(4).toString("hex")}`;
		const usersDb = scratchDatabase("codelearn_test_events_users");
		const auditDb = scratchDatabase("codelearn_test_events_audit");
		const cluster = {
			...EVENTS_ENV,
			NAMESPACE: namespace,
			TRANSPORTER: TEST_SERVICES.nats,
			EVENTS_AMQP_URL: TEST_SERVICES.amqp,
			USERS_DATABASE_URL: usersDb.url,
			AUDIT_DATABASE_URL: auditDb.url
		};
		const running = new Set<Platform>();
		let producer: Platform;
		let consumer: Platform;
		let db: Databases;
		let actors: Actor[] = [];
		let nodes = 0;

		async function start(services: "users" | "audit", env: Record<string, string> = {}): Promise<Platform> {
			const platform = await startPlatform({
				...cluster,
				SERVICES: services,
				NODE_ID: `${namespace}-${services}-${++nodes}`,
				...env
			});
			running.add(platform);
			return platform;
		}

		async function stop(platform: Platform): Promise<void> {
			running.delete(platform);
			await platform.stop();
		}

		/** Messages ready in the audit service's durable queue. */
		async function queued(): Promise<number> {
			const connection = await amqp.connect(TEST_SERVICES.amqp);
			try {
				const channel = await connection.createChannel();
				return (await channel.checkQueue(queueName(namespace, "audit"))).messageCount;
			} finally {
				await connection.close();
			}
		}

		before(async () => {
			producer = await start("users");
			consumer = await start("audit");
			db = new Databases(usersDb.url, auditDb.url);
			actors = await registerActors(producer.broker, 4, "actor");
		});

		after(async () => {
			await Promise.all([...running].map(p => p.stop()));
			await db?.close();
			await Promise.all([usersDb.drop(), auditDb.drop(), deleteEventTopology(namespace)]);
		});

		it("when the consumer is stopped while 200 events are produced then they wait in its queue, and after its restart each takes effect once", async () => {
			// The actors' registrations first, so the queue holds only this case's events.
			const setup = (await db.outboxSince("0")).map(r => r.eventId);
			await assertAppliedOnce(db, setup, "setup events");

			await stop(consumer);
			// A setup event applied but not yet acknowledged when the consumer left is back in the queue.
			const leftover = await queued();
			const mark = await db.watermark();
			await produceUpdates(producer.broker, actors, 200, "offline-consumer");
			const produced = await db.outboxSince(mark);
			assert.equal(produced.length, 200);
			const ids = produced.map(r => r.eventId);

			// Published (confirmed by RabbitMQ), not consumed: all 200 are in the durable queue.
			await eventually(
				"the relay published all 200",
				() => db.outboxSince(mark),
				rows => rows.every(r => r.sent)
			);
			assert.equal((await queued()) - leftover, 200);
			assert.equal((await db.effects(ids)).audited, 0, "nothing consumed them while the consumer was down");

			consumer = await start("audit");
			await assertAppliedOnce(db, ids, "events produced while the consumer was down");
			await eventually("the queue drains", queued, n => n === 0);
			assert.equal(
				metric(consumer.broker, "codelearn.events.consumed.total", AUDIT),
				200,
				"the restarted consumer applied each of the 200 once"
			);
			assert.equal(
				metric(consumer.broker, "codelearn.events.duplicates.total", AUDIT),
				leftover,
				"only redelivered setup events were skipped"
			);
		});

		it("when RabbitMQ is unreachable for the producer then writes succeed and events wait in the outbox; after a restart with RabbitMQ every event arrives, once", async () => {
			await stop(producer);
			const closedPort = await freePort();
			const offline = await start("users", { EVENTS_AMQP_URL: `amqp://guest:guest@127.0.0.1:${closedPort}` });
			const mark = await db.watermark();
			await produceUpdates(offline.broker, actors, 30, "offline-broker");

			const waiting = await db.outboxSince(mark);
			assert.equal(waiting.length, 30);
			// The relay tried (and failed) at least once since: the events are still there, unsent.
			await eventually(
				"a relay pass failed",
				async () => metric(offline.broker, "codelearn.outbox.publish.failures.total", USERS),
				n => n >= 1
			);
			await eventually(
				"the backlog gauge counts the waiting events",
				async () => metric(offline.broker, "codelearn.outbox.backlog", USERS),
				n => n === 30,
				RELAY_BACKOFF_DEADLINE_MS
			);
			assert.ok(
				(await db.outboxSince(mark)).every(r => !r.sent),
				"no event is marked sent while RabbitMQ is unreachable"
			);
			const ids = waiting.map(r => r.eventId);
			assert.equal((await db.effects(ids)).audited, 0);

			await stop(offline);
			producer = await start("users");
			await assertAppliedOnce(db, ids, "events written while RabbitMQ was unreachable");
			await eventually(
				"the outbox marks them sent",
				() => db.outboxSince(mark),
				rows => rows.every(r => r.sent)
			);
		});

		it("when the same envelope is published twice through RabbitMQ then it has one effect", async () => {
			const [actor] = actors;
			const duplicatesBefore = metric(consumer.broker, "codelearn.events.duplicates.total", AUDIT);
			const event = createEvent("users", {
				type: "user.updated",
				aggregateId: actor.id,
				actorId: actor.id,
				payload: { userId: actor.id, changed: ["bio"] }
			});
			const transport = new AmqpTransport(TEST_SERVICES.amqp, namespace, producer.broker.getLogger("test"), EVENT_TOPOLOGY);
			try {
				await transport.publish([event]);
				await transport.publish([event]);
			} finally {
				await transport.close();
			}
			await eventually(
				"the second delivery was skipped",
				async () => metric(consumer.broker, "codelearn.events.duplicates.total", AUDIT) - duplicatesBefore,
				n => n === 1
			);
			assert.deepEqual(await db.effects([event.id]), { audited: 1, processed: 1, retrying: 0 });
		});

		it("when RabbitMQ drops every connection and stays away a while then producer and consumer reconnect on their own and every event written meanwhile arrives once", async () => {
			const proxy = await TcpProxy.start(new URL(TEST_SERVICES.amqp));
			// Only nodes behind the proxy this time: the consumer that gets the events is the one cut off.
			await Promise.all([stop(producer), stop(consumer)]);
			const behindProxy = { EVENTS_AMQP_URL: proxy.url(TEST_SERVICES.amqp) };
			const proxiedProducer = await start("users", behindProxy);
			const proxiedConsumer = await start("audit", behindProxy);
			try {
				let mark = await db.watermark();
				await produceUpdates(proxiedProducer.broker, actors, 10, "before-outage");
				await assertAppliedOnce(
					db,
					(await db.outboxSince(mark)).map(r => r.eventId),
					"events before the outage"
				);

				proxy.cut();
				const failuresBefore = metric(proxiedProducer.broker, "codelearn.outbox.publish.failures.total", USERS);
				mark = await db.watermark();
				await produceUpdates(proxiedProducer.broker, actors, 30, "during-outage");
				const ids = (await db.outboxSince(mark)).map(r => r.eventId);
				assert.equal(ids.length, 30, "writes succeed while RabbitMQ is away");
				await eventually(
					"a relay pass failed during the outage",
					async () => metric(proxiedProducer.broker, "codelearn.outbox.publish.failures.total", USERS) - failuresBefore,
					n => n >= 1
				);
				assert.ok(
					(await db.outboxSince(mark)).every(r => !r.sent),
					"nothing is marked sent while RabbitMQ is away"
				);

				proxy.restore();
				await assertAppliedOnce(db, ids, "events written during the outage", RELAY_BACKOFF_DEADLINE_MS);
			} finally {
				await Promise.all([stop(proxiedProducer), stop(proxiedConsumer)]);
				await proxy.close();
				producer = await start("users");
				consumer = await start("audit");
			}
		});

		it("when RabbitMQ closes a channel under running nodes (exchange, then queue deleted) then they declare the topology again and events keep arriving", async () => {
			const connection = await amqp.connect(TEST_SERVICES.amqp);
			/** The audit queue's consumers, or -1 while it does not exist (a failed check closes its channel). */
			const consumersOfQueue = async () => {
				const channel = await connection.createChannel();
				channel.on("error", () => {});
				try {
					const { consumerCount } = await channel.checkQueue(queueName(namespace, "audit"));
					await channel.close();
					return consumerCount;
				} catch {
					return -1;
				}
			};
			try {
				// A producer that has published, so its channel is open when the exchange goes.
				let mark = await db.watermark();
				await produceUpdates(producer.broker, actors, 1, "connected");
				await assertAppliedOnce(
					db,
					(await db.outboxSince(mark)).map(r => r.eventId),
					"an event before the exchange was deleted"
				);
				const admin = await connection.createChannel();
				// Events go straight to the consumers' queues: they flow without the exchange.
				await admin.deleteExchange(`${namespace}.events`);
				mark = await db.watermark();
				await produceUpdates(producer.broker, actors, 10, "after-exchange-deleted");
				await assertAppliedOnce(
					db,
					(await db.outboxSince(mark)).map(r => r.eventId),
					"events after the exchange was deleted",
					RELAY_BACKOFF_DEADLINE_MS
				);

				// RabbitMQ cancels the consumer of a deleted queue; it must come back on its own.
				await admin.deleteQueue(queueName(namespace, "audit"));
				await eventually("the consumer declared its queue again and consumes", consumersOfQueue, n => n === 1);
				mark = await db.watermark();
				await produceUpdates(producer.broker, actors, 10, "after-queue-deleted");
				await assertAppliedOnce(
					db,
					(await db.outboxSince(mark)).map(r => r.eventId),
					"events after the queue was deleted"
				);
			} finally {
				await connection.close();
			}
		});

		it("when one consumer's queue is deleted while that consumer is down, the others' queues kept, then no event is dropped for it: they stay in the outbox until its queue is declared again, and arrive once", async () => {
			await stop(consumer);
			assert.ok(
				Object.entries(EVENT_TOPOLOGY).some(
					([name, patterns]) => name !== "audit" && (patterns as readonly string[]).includes("user.updated")
				),
				"another consumer's queue takes user.updated meanwhile"
			);
			const connection = await amqp.connect(TEST_SERVICES.amqp);
			try {
				const channel = await connection.createChannel();
				await channel.deleteQueue(queueName(namespace, "audit"));
			} finally {
				await connection.close();
			}
			let ids: string[];
			try {
				const failuresBefore = metric(producer.broker, "codelearn.outbox.publish.failures.total", USERS);
				const mark = await db.watermark();
				await produceUpdates(producer.broker, actors, 10, "queue-deleted");
				ids = (await db.outboxSince(mark)).map(r => r.eventId);
				assert.equal(ids.length, 10);
				// RabbitMQ returned the copy for the missing queue, so the relay kept the events.
				await eventually(
					"a publish came back unroutable",
					async () => metric(producer.broker, "codelearn.outbox.publish.failures.total", USERS) - failuresBefore,
					n => n >= 1
				);
				await eventually(
					"the producer declared the queue again and published",
					() => db.outboxSince(mark),
					rows => rows.every(r => r.sent),
					RELAY_BACKOFF_DEADLINE_MS
				);
				assert.equal(await queued(), 10, "the ten events wait in the declared-again queue");
			} finally {
				// The later cases need a consumer, whatever happened here.
				consumer = await start("audit");
			}
			await assertAppliedOnce(db, ids, "events produced while the queue was gone");
		});

		sharedCases(() => ({ producer: producer.broker, consumer: consumer.broker, db, actors }));

		it("when two producer replicas and two consumer replicas share the work then every event takes effect once", async () => {
			const producer2 = await start("users");
			const consumer2 = await start("audit");
			const consumers = [consumer.broker, consumer2.broker];
			await Promise.all([...consumers, producer.broker, producer2.broker].map(b => b.waitForServices(["users", "audit"], 10_000)));
			const consumedBefore = consumers.map(b => metric(b, "codelearn.events.consumed.total", AUDIT));
			const mark = await db.watermark();

			await Promise.all([
				produceUpdates(producer.broker, actors.slice(0, 2), 100, "replica-1"),
				produceUpdates(producer2.broker, actors.slice(2), 100, "replica-2")
			]);
			const ids = (await db.outboxSince(mark)).map(r => r.eventId);
			assert.equal(ids.length, 200);
			await assertAppliedOnce(db, ids, "events of two producers");

			const consumed = consumers.map((b, i) => metric(b, "codelearn.events.consumed.total", AUDIT) - consumedBefore[i]);
			assert.equal(consumed[0] + consumed[1], 200, `each event applied by exactly one consumer (${consumed.join(" + ")})`);
			assert.ok(
				consumed.every(n => n > 0),
				`both consumers share the queue (${consumed.join(" + ")})`
			);
			const published = [producer.broker, producer2.broker].map(b => metric(b, "codelearn.outbox.published.total", USERS));
			assert.ok(
				published.every(n => n > 0),
				`both producer replicas relayed (${published.join(", ")})`
			);
			await Promise.all([stop(producer2), stop(consumer2)]);
		});
	}
);

describe("domain events in the one-process mode (in-process transport), on the real PostgreSQL", { skip: unavailable("postgres") }, () => {
	const usersDb = scratchDatabase("codelearn_test_events_local_users");
	const auditDb = scratchDatabase("codelearn_test_events_local_audit");
	let platform: Platform;
	let db: Databases;
	let actors: Actor[] = [];

	before(async () => {
		platform = await startPlatform({
			...EVENTS_ENV,
			SERVICES: "users,audit",
			USERS_DATABASE_URL: usersDb.url,
			AUDIT_DATABASE_URL: auditDb.url
		});
		assert.equal(platform.config.events.amqpUrl, null, "no RabbitMQ in this mode");
		db = new Databases(usersDb.url, auditDb.url);
		actors = await registerActors(platform.broker, 4, "local");
	});

	after(async () => {
		await platform?.stop();
		await db?.close();
		await Promise.all([usersDb.drop(), auditDb.drop()]);
	});

	it("when the audit service is stopped while 200 events are produced then they wait in the outbox, and after it starts again each takes effect once", async () => {
		const { broker } = platform;
		await assertAppliedOnce(
			db,
			(await db.outboxSince("0")).map(r => r.eventId),
			"setup events"
		);
		await broker.destroyService("audit");
		const mark = await db.watermark();
		await produceUpdates(broker, actors, 200, "offline-consumer");
		const produced = await db.outboxSince(mark);
		assert.equal(produced.length, 200);
		const ids = produced.map(r => r.eventId);
		await eventually(
			"a relay pass failed",
			async () => metric(broker, "codelearn.outbox.publish.failures.total", USERS),
			n => n >= 1
		);
		assert.ok(
			(await db.outboxSince(mark)).every(r => !r.sent),
			"nothing is marked sent without its local consumer"
		);

		broker.createService(auditService(platform.config));
		await broker.waitForServices("audit", 10_000);
		await assertAppliedOnce(db, ids, "events produced while the audit service was stopped", RELAY_BACKOFF_DEADLINE_MS);
		await eventually(
			"the outbox marks them sent",
			() => db.outboxSince(mark),
			rows => rows.every(r => r.sent)
		);
	});

	sharedCases(() => ({ producer: platform.broker, consumer: platform.broker, db, actors }));
});
