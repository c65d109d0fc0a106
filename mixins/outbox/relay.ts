import { QueryTypes, type Sequelize } from "sequelize";
import type { ServiceBroker } from "moleculer";
import type { DomainEvent } from "../../lib/events/envelope";
import type { EventTransport } from "../../lib/events/transport";
import { ensureMetric, LATENCY_BUCKETS_S } from "../../lib/metrics";

const BATCH_SIZE = 100;
const SWEEP_INTERVAL_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** A relay that died mid-pass frees the lease after this; passes take milliseconds. */
const LEASE_MS = 30_000;
/** Another replica is mid-pass: try again this soon (this many times), so a commit rarely waits a sweep. */
const BUSY_RETRY_MS = 25;
const BUSY_RETRIES = 8;
/** Backlog gauge and pruning this often while all is well (every sweep while publishing fails). */
const HOUSEKEEPING_EVERY_MS = 5000;
/** Sent rows are kept this long (the audit service keeps events for good). */
const KEEP_SENT_DAYS = 7;

interface OutboxRow {
	seq: string;
	envelope: DomainEvent;
	age_s: number;
}

/**
 * Moves committed outbox rows to the event transport, oldest first, and marks them sent only
 * once the transport has them (broker confirm, or local consumers done). It runs right after
 * each commit (`wake`) and on a periodic sweep; a lease row makes one replica relay at a time.
 * No database transaction is held while publishing.
 */
export class OutboxRelay {
	private timer?: NodeJS.Timeout;
	private running?: Promise<void>;
	private again = false;
	private stopped = true;
	private backoffMs = SWEEP_INTERVAL_MS;
	private lastHousekeeping = 0;
	private busyPasses = 0;
	private stopListening?: () => void;
	private readonly table: string;
	private readonly lease: string;

	constructor(
		private readonly sequelize: Sequelize,
		private readonly schema: string,
		private readonly transport: EventTransport,
		private readonly holder: string,
		private readonly broker: ServiceBroker
	) {
		this.table = `"${schema}".outbox`;
		this.lease = `"${schema}".outbox_relay_lease`;
		ensureMetric(broker, "codelearn.outbox.backlog", "gauge", "Outbox rows not yet published", ["service"]);
		ensureMetric(broker, "codelearn.outbox.published.total", "counter", "Events published from the outbox", ["service"]);
		ensureMetric(broker, "codelearn.outbox.publish.failures.total", "counter", "Failed outbox publish passes", ["service"]);
		ensureMetric(broker, "codelearn.outbox.publish.latency", "histogram", "Seconds from commit to publish", ["service"], {
			unit: "seconds",
			buckets: LATENCY_BUCKETS_S
		});
		// Exported at 0 from the start, so that Prometheus' increase() sees the first failure.
		for (const counter of ["codelearn.outbox.published.total", "codelearn.outbox.publish.failures.total"]) {
			broker.metrics.increment(counter, { service: schema }, 0);
		}
	}

	start(): void {
		this.stopped = false;
		// Back from an outage: publish now rather than at the end of the backoff.
		this.stopListening = this.transport.onReady(() => this.wake());
		this.schedule(0);
	}

	/** Called after a commit that wrote events. */
	wake(): void {
		if (this.stopped) return;
		if (this.running) this.again = true;
		else this.schedule(0);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.stopListening?.();
		clearTimeout(this.timer);
		await this.running;
	}

	private schedule(delayMs: number) {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.run(), delayMs);
		this.timer.unref();
	}

	private async run() {
		if (this.running) {
			this.again = true;
			return;
		}
		const pass = this.pass();
		this.running = pass.then(() => {});
		const nextDelayMs = await pass;
		this.running = undefined;
		if (this.stopped) return;
		const now = this.again;
		this.again = false;
		this.schedule(now ? 0 : nextDelayMs);
	}

	/** One pass; resolves with the delay before the next one. */
	private async pass(): Promise<number> {
		const labels = { service: this.schema };
		try {
			// An idle sweep costs one indexed read, not a lease round trip: one process runs six relays.
			if (!(await this.hasUnsent())) {
				if (Date.now() - this.lastHousekeeping >= HOUSEKEEPING_EVERY_MS) await this.housekeeping();
				return this.backoffMs;
			}
			if (!(await this.acquireLease())) {
				// Another replica is relaying: look again soon, then fall back to the sweep.
				this.busyPasses++;
				return this.busyPasses <= BUSY_RETRIES ? BUSY_RETRY_MS : SWEEP_INTERVAL_MS;
			}
			this.busyPasses = 0;
			try {
				for (;;) {
					const rows = await this.sequelize.query<OutboxRow>(
						`SELECT seq, envelope || jsonb_build_object('sequence', seq) AS envelope,
						 extract(epoch FROM clock_timestamp() - created_at)::float AS age_s
						 FROM ${this.table} WHERE sent_at IS NULL ORDER BY seq LIMIT ${BATCH_SIZE}`,
						{ type: QueryTypes.SELECT }
					);
					if (!rows.length) break;
					await this.transport.publish(rows.map(r => r.envelope));
					await this.sequelize.query(`UPDATE ${this.table} SET sent_at = clock_timestamp() WHERE seq = ANY($1::bigint[])`, {
						bind: [rows.map(r => r.seq)]
					});
					this.broker.metrics.increment("codelearn.outbox.published.total", labels, rows.length);
					for (const row of rows) this.broker.metrics.observe("codelearn.outbox.publish.latency", row.age_s, labels);
					if (rows.length < BATCH_SIZE) break;
				}
				this.backoffMs = SWEEP_INTERVAL_MS;
			} finally {
				await this.releaseLease();
			}
			if (Date.now() - this.lastHousekeeping >= HOUSEKEEPING_EVERY_MS) await this.housekeeping();
			return this.backoffMs;
		} catch (err) {
			this.broker.metrics.increment("codelearn.outbox.publish.failures.total", labels);
			this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
			this.broker.getLogger("outbox").warn(`Relay pass for '${this.schema}' failed; events stay in the outbox`, err);
			// The backlog gauge matters most while publishing fails (best effort: the database may be what failed).
			if (Date.now() - this.lastHousekeeping >= SWEEP_INTERVAL_MS) await this.housekeeping().catch(() => {});
			return this.backoffMs;
		}
	}

	private async hasUnsent(): Promise<boolean> {
		const rows = await this.sequelize.query(`SELECT 1 FROM ${this.table} WHERE sent_at IS NULL LIMIT 1`, { type: QueryTypes.SELECT });
		return rows.length > 0;
	}

	private async acquireLease(): Promise<boolean> {
		const rows = await this.sequelize.query(
			`UPDATE ${this.lease} SET holder = $1, until = clock_timestamp() + make_interval(secs => $2)
			 WHERE id = 1 AND (holder IS NULL OR holder = $1 OR until < clock_timestamp()) RETURNING id`,
			{ bind: [this.holder, LEASE_MS / 1000], type: QueryTypes.SELECT }
		);
		return rows.length === 1;
	}

	private async releaseLease(): Promise<void> {
		await this.sequelize.query(`UPDATE ${this.lease} SET holder = NULL, until = NULL WHERE id = 1 AND holder = $1`, {
			bind: [this.holder]
		});
	}

	/** Backlog gauge and pruning of long-sent rows, once per sweep. */
	private async housekeeping(): Promise<void> {
		this.lastHousekeeping = Date.now();
		const [{ count }] = await this.sequelize.query<{ count: string }>(
			`SELECT count(*) AS count FROM ${this.table} WHERE sent_at IS NULL`,
			{ type: QueryTypes.SELECT }
		);
		this.broker.metrics.set("codelearn.outbox.backlog", Number(count), { service: this.schema });
		await this.sequelize.query(`DELETE FROM ${this.table} WHERE sent_at < now() - make_interval(days => ${KEEP_SENT_DAYS})`);
	}
}
