/**
 * The event side of the `events` topology: what the producer's outbox holds, what reached the
 * audit consumer's database, and what waits in the consumer's RabbitMQ queue. Read straight from
 * PostgreSQL and RabbitMQ, never through the services under test.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import amqp from "amqplib";
import { Client, Pool } from "pg";
import { queueName } from "../lib/events/topology";

/** Schemas and tables of the producer (users) and the consumer (audit); see their migrations. */
const OUTBOX = `"users".outbox`;
const AUDIT_EVENTS = `"audit".audit_events`;
/** The event every PATCH /api/users/me with a change emits. */
export const WRITE_EVENT = "user.updated";

export interface LatencySummary {
	p50: number;
	p90: number;
	p99: number;
	max: number;
	mean: number;
}

export interface EventStats {
	/** user.updated events whose occurredAt lies in the measured window (outbox rows of the producer). */
	produced: number;
	/** Of those, how many the audit consumer recorded before the deadline. */
	arrived: number;
	/** arrived === produced. */
	complete: boolean;
	/** Seconds waited after the load for the last of them. */
	waitedS: number;
	/** Commit → consumer effect: audit_events.recorded_at − occurred_at, in ms, over the arrived events. */
	e2eMs: LatencySummary | null;
	/** Commit → published (RabbitMQ confirmed, outbox row marked sent): outbox.sent_at − occurredAt, in ms. */
	publishMs: LatencySummary | null;
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function summarizeLatencies(values: number[]): LatencySummary | null {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return {
		p50: round2(percentile(sorted, 50)),
		p90: round2(percentile(sorted, 90)),
		p99: round2(percentile(sorted, 99)),
		max: round2(sorted.at(-1)!),
		mean: round2(sorted.reduce((a, b) => a + b, 0) / sorted.length)
	};
}

/** The outbox INSERT's own cost in a write transaction, measured directly in SQL. */
export interface OutboxInsertCost {
	pairs: number;
	/** BEGIN; UPDATE the user's row; COMMIT — as updateMe does, without the event. */
	updateOnlyMs: LatencySummary;
	/** The same plus the outbox INSERT updateMe adds in its transaction. */
	withOutboxMs: LatencySummary;
	/** withOutbox p50 − updateOnly p50. */
	addedP50Ms: number;
}

/** Direct access to the topology's two databases and its RabbitMQ queue; close() when done. */
export class EventProbe {
	private readonly users: Pool;
	private readonly audit: Pool;
	private connection?: amqp.ChannelModel;

	constructor(
		private readonly usersDatabaseUrl: string,
		auditDatabaseUrl: string,
		private readonly amqpUrl: string,
		private readonly namespace: string
	) {
		this.users = new Pool({ connectionString: usersDatabaseUrl, max: 2, connectionTimeoutMillis: 5000 });
		this.audit = new Pool({ connectionString: auditDatabaseUrl, max: 2, connectionTimeoutMillis: 5000 });
		this.users.on("error", () => {});
		this.audit.on("error", () => {});
	}

	/** Ready messages and attached consumers of the audit service's durable queue. */
	async queue(): Promise<{ messages: number; consumers: number }> {
		if (!this.connection) {
			const connection = await amqp.connect(this.amqpUrl);
			connection.on("error", () => {});
			connection.on("close", () => {
				if (this.connection === connection) this.connection = undefined;
			});
			this.connection = connection;
		}
		// A channel per check: a failed check (queue missing) closes its channel.
		const channel = await this.connection.createChannel();
		channel.on("error", () => {});
		try {
			const q = await channel.checkQueue(queueName(this.namespace, "audit"));
			return { messages: q.messageCount, consumers: q.consumerCount };
		} finally {
			await channel.close().catch(() => {});
		}
	}

	/** Polls the queue until `done` holds, or throws at the deadline with the last state. */
	async waitForQueue(done: (q: { messages: number; consumers: number }) => boolean, what: string, deadline: number): Promise<void> {
		let last = await this.queue();
		while (!done(last)) {
			if (Date.now() > deadline)
				throw new Error(`${what}: not by the deadline (queue: ${last.messages} messages, ${last.consumers} consumers)`);
			await sleep(250);
			last = await this.queue();
		}
	}

	/** Ids of the write events that occurred in [from, to). */
	async producedIn(from: Date, to: Date): Promise<string[]> {
		const { rows } = await this.users.query<{ id: string }>(
			`SELECT event_id::text AS id FROM ${OUTBOX}
			 WHERE type = $1 AND (envelope->>'occurredAt')::timestamptz >= $2 AND (envelope->>'occurredAt')::timestamptz < $3`,
			[WRITE_EVENT, from.toISOString(), to.toISOString()]
		);
		return rows.map(r => r.id);
	}

	/**
	 * Waits (until the deadline) for every write event of [from, to) to be recorded by the audit
	 * consumer and marked sent in the outbox, then measures their latencies.
	 */
	async latencyOf(from: Date, to: Date, deadlineS: number): Promise<EventStats> {
		const began = Date.now();
		const ids = await this.producedIn(from, to);
		const deadline = began + deadlineS * 1000;
		let arrived: number;
		for (;;) {
			const [a, u] = await Promise.all([
				this.audit.query<{ n: string }>(`SELECT count(*) AS n FROM ${AUDIT_EVENTS} WHERE event_id = ANY($1::uuid[])`, [ids]),
				this.users.query<{ n: string }>(
					`SELECT count(*) AS n FROM ${OUTBOX} WHERE event_id = ANY($1::uuid[]) AND sent_at IS NULL`,
					[ids]
				)
			]);
			arrived = Number(a.rows[0].n);
			if ((arrived === ids.length && Number(u.rows[0].n) === 0) || Date.now() > deadline) break;
			await sleep(250);
		}
		const waitedS = (Date.now() - began) / 1000;
		const [e2e, publish] = await Promise.all([
			this.audit.query<{ ms: number }>(
				`SELECT (extract(epoch FROM recorded_at - occurred_at) * 1000)::float8 AS ms FROM ${AUDIT_EVENTS} WHERE event_id = ANY($1::uuid[])`,
				[ids]
			),
			this.users.query<{ ms: number }>(
				`SELECT (extract(epoch FROM sent_at - (envelope->>'occurredAt')::timestamptz) * 1000)::float8 AS ms
				 FROM ${OUTBOX} WHERE event_id = ANY($1::uuid[]) AND sent_at IS NOT NULL`,
				[ids]
			)
		]);
		return {
			produced: ids.length,
			arrived,
			complete: arrived === ids.length,
			waitedS: round2(waitedS),
			e2eMs: summarizeLatencies(e2e.rows.map(r => r.ms)),
			publishMs: summarizeLatencies(publish.rows.map(r => r.ms))
		};
	}

	/**
	 * Runs `pairs` pairs of write transactions on one connection, in alternating order: one as
	 * updateMe's without its event (UPDATE the user's row), one with the outbox INSERT as well
	 * (a real-sized envelope). The inserted rows are marked sent already, so the relay leaves them,
	 * and typed `bench.outbox-cost`, so no window counts them. Run it with the topology idle.
	 */
	async outboxInsertCost(username: string, pairs: number): Promise<OutboxInsertCost> {
		const client = new Client({ connectionString: this.usersDatabaseUrl, connectionTimeoutMillis: 5000 });
		await client.connect();
		try {
			const { rows } = await client.query<{ id: string }>(`SELECT id::text AS id FROM "users".users WHERE username = $1`, [username]);
			if (!rows.length) throw new Error(`no user ${username} in the users database`);
			const userId = rows[0].id;
			const transaction = async (n: number, withOutbox: boolean): Promise<number> => {
				const started = performance.now();
				await client.query("BEGIN");
				await client.query(`UPDATE "users".users SET display_name = $1, updated_at = $2 WHERE id = $3`, [
					`Bench cost ${n}`,
					new Date(),
					userId
				]);
				if (withOutbox) {
					const id = randomUUID();
					const envelope = {
						id,
						version: 1,
						producer: "users",
						occurredAt: new Date().toISOString(),
						type: "bench.outbox-cost",
						aggregateId: userId,
						actorId: userId,
						payload: { userId, username, changed: ["displayName"] }
					};
					await client.query(
						`INSERT INTO ${OUTBOX} (event_id, type, aggregate_id, envelope, sent_at) VALUES ($1, $2, $3, $4, clock_timestamp())`,
						[id, envelope.type, userId, JSON.stringify(envelope)]
					);
				}
				await client.query("COMMIT");
				return performance.now() - started;
			};
			// A few unmeasured pairs first (plans cached, pages in memory).
			for (let i = 0; i < 20; i++) {
				await transaction(i, false);
				await transaction(i, true);
			}
			const without: number[] = [];
			const withOutbox: number[] = [];
			for (let i = 0; i < pairs; i++) {
				const outboxFirst = i % 2 === 1;
				const a = await transaction(2 * i, outboxFirst);
				const b = await transaction(2 * i + 1, !outboxFirst);
				(outboxFirst ? withOutbox : without).push(a);
				(outboxFirst ? without : withOutbox).push(b);
			}
			const updateOnlyMs = summarizeLatencies(without)!;
			const withOutboxMs = summarizeLatencies(withOutbox)!;
			return { pairs, updateOnlyMs, withOutboxMs, addedP50Ms: round2(withOutboxMs.p50 - updateOnlyMs.p50) };
		} finally {
			await client.end().catch(() => {});
		}
	}

	async close(): Promise<void> {
		await Promise.allSettled([this.users.end(), this.audit.end(), this.connection?.close()]);
		this.connection = undefined;
	}
}
