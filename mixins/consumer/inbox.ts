import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { ServiceBroker } from "moleculer";
import type { DeadLetter } from "../../lib/contracts";
import { type DomainEvent, matchesType } from "../../lib/events/envelope";
import { ensureMetric, LATENCY_BUCKETS_S } from "../../lib/metrics";

/** Applies an event (typed by the consumer's subscription, or any) inside the transaction that records it as processed. */
export type ApplyEvent<T = undefined, E = DomainEvent> = (event: E, transaction: Transaction, prepared: T) => Promise<void>;

/**
 * A handler, or a handler with either or both of:
 * - `prepare`, a step that runs before the transaction: remote calls (recipient lookups) belong
 *   there, or they would hold a database connection meanwhile, and on the embedded engine the
 *   only one, which the remote service may need to answer;
 * - `latestWins`, for events that carry the whole state the consumer copies (a group's
 *   visibility, a user's name): the key of that state. Of the events of one key, an event older
 *   (by its producer's sequence) than one already applied is skipped, so replicas and retries
 *   that deliver out of order still end on the latest state.
 */
export type EventHandler<E = DomainEvent> =
	| ApplyEvent<undefined, E>
	// Not `apply`: a function has one, and TypeScript could no longer type the handler's parameters.
	| { prepare?(event: E): Promise<unknown>; latestWins?(event: E): string; handle: ApplyEvent<unknown, E> };

export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
}

const MAX_DELAY_MS = 5 * 60_000;
const CLAIM_S = 60;
const SWEEP_BATCH = 20;

/** The consumer contract's shape (lib/contracts/consumer.ts), kept importable from here. */
export type { DeadLetter };

/**
 * A consuming service's side of delivery: each event is applied at most once (its id is recorded
 * in the effect's transaction), a failure is recorded for a retry with backoff, and after the last
 * attempt it stays as a dead letter until an operator re-drives it. Both transports deliver here.
 */
export class Inbox {
	private readonly processed: string;
	private readonly retries: string;
	private readonly latest: string;
	private readonly labels: { service: string };

	constructor(
		private readonly sequelize: Sequelize,
		private readonly service: string,
		private readonly handlers: Record<string, EventHandler>,
		private readonly policy: RetryPolicy,
		private readonly broker: ServiceBroker
	) {
		this.processed = `"${service}".processed_events`;
		this.retries = `"${service}".event_retries`;
		this.latest = `"${service}".latest_applied`;
		this.labels = { service };
		ensureMetric(broker, "codelearn.events.consumed.total", "counter", "Events applied by a consumer", ["service"]);
		ensureMetric(broker, "codelearn.events.duplicates.total", "counter", "Redelivered events skipped", ["service"]);
		ensureMetric(broker, "codelearn.events.superseded.total", "counter", "Events skipped as older than one applied", ["service"]);
		ensureMetric(broker, "codelearn.events.retries.total", "counter", "Failed deliveries scheduled for retry", ["service"]);
		ensureMetric(broker, "codelearn.events.dead_letters.total", "counter", "Events given up after the last attempt", ["service"]);
		ensureMetric(broker, "codelearn.events.consumer.lag", "histogram", "Seconds from the event to its effect", ["service"], {
			unit: "seconds",
			buckets: LATENCY_BUCKETS_S
		});
		// Exported at 0 from the start: a counter that appears at its first increment hides that
		// increment from Prometheus' increase() and rate(), so an alert on the first dead letter never fires.
		for (const counter of ["consumed", "duplicates", "superseded", "retries", "dead_letters"]) {
			broker.metrics.increment(`codelearn.events.${counter}.total`, this.labels, 0);
		}
	}

	private handlerFor(type: string): EventHandler | undefined {
		const pattern = Object.keys(this.handlers).find(p => matchesType(p, type));
		return pattern ? this.handlers[pattern] : undefined;
	}

	private delayMs(attempts: number): number {
		return Math.min(this.policy.baseDelayMs * 4 ** (attempts - 1), MAX_DELAY_MS);
	}

	/** Applies the event once; throws if the handler fails (nothing of it is kept). */
	private async apply(event: DomainEvent): Promise<void> {
		const handler = this.handlerFor(event.type);
		const prepared = typeof handler === "object" ? await handler.prepare?.(event) : undefined;
		const outcome = await this.sequelize.transaction(async transaction => {
			const fresh = await this.sequelize.query(
				`INSERT INTO ${this.processed} (event_id, type) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
				{ bind: [event.id, event.type], transaction, type: QueryTypes.SELECT }
			);
			if (!fresh.length) return "duplicates";
			if (typeof handler === "function") await handler(event, transaction, undefined);
			else if (handler) {
				if (handler.latestWins && !(await this.isLatest(event, handler.latestWins(event), transaction))) return "superseded";
				await handler.handle(event, transaction, prepared);
			}
			return "consumed";
		});
		this.broker.metrics.increment(`codelearn.events.${outcome}.total`, this.labels);
		if (outcome !== "consumed") return;
		this.broker.metrics.observe("codelearn.events.consumer.lag", (Date.now() - Date.parse(event.occurredAt)) / 1000, this.labels);
	}

	/**
	 * Records the event as the latest of its key, unless a later one is recorded already. The row's
	 * lock holds a concurrent event of the key until this transaction ends, then it compares with
	 * what committed. An envelope without a sequence (relayed by an older version) is applied.
	 */
	private async isLatest(event: DomainEvent, key: string, transaction: Transaction): Promise<boolean> {
		if (event.sequence === undefined) return true;
		const rows = await this.sequelize.query(
			`INSERT INTO ${this.latest} AS l (key, sequence) VALUES ($1, $2)
			 ON CONFLICT (key) DO UPDATE SET sequence = EXCLUDED.sequence WHERE l.sequence < EXCLUDED.sequence RETURNING key`,
			{ bind: [`${event.producer}/${key}`, event.sequence], transaction, type: QueryTypes.SELECT }
		);
		return rows.length > 0;
	}

	/**
	 * The transports' delivery callback. Resolves when the effect or a retry record is committed;
	 * rejects only when neither could be written, so the transport delivers it again.
	 */
	readonly deliver = async (event: DomainEvent): Promise<void> => {
		try {
			await this.apply(event);
		} catch (err) {
			this.broker.getLogger(this.service).warn(`Handling ${event.type} ${event.id} failed; will retry`, err);
			await this.sequelize.query(
				`INSERT INTO ${this.retries} (event_id, type, envelope, attempts, next_attempt_at, last_error)
				 VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4), $5) ON CONFLICT (event_id) DO NOTHING`,
				{ bind: [event.id, event.type, JSON.stringify(event), this.delayMs(1) / 1000, String((err as Error).message ?? err)] }
			);
			this.broker.metrics.increment("codelearn.events.retries.total", this.labels);
		}
	};

	/** Retries the failed deliveries that are due; called periodically. */
	async retryDue(): Promise<void> {
		const due = await this.sequelize.query<{ envelope: DomainEvent; attempts: number }>(
			`UPDATE ${this.retries} SET claimed_until = now() + make_interval(secs => ${CLAIM_S})
			 WHERE event_id IN (
				SELECT event_id FROM ${this.retries}
				WHERE NOT dead AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
				ORDER BY next_attempt_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)
			 RETURNING envelope, attempts`,
			{ type: QueryTypes.SELECT }
		);
		for (const { envelope, attempts } of due) {
			try {
				await this.apply(envelope);
				await this.sequelize.query(`DELETE FROM ${this.retries} WHERE event_id = $1`, { bind: [envelope.id] });
			} catch (err) {
				const attempt = attempts + 1;
				const dead = attempt >= this.policy.maxAttempts;
				await this.sequelize.query(
					`UPDATE ${this.retries} SET attempts = $2, dead = $3, last_error = $4, claimed_until = NULL, updated_at = now(),
					 next_attempt_at = now() + make_interval(secs => $5) WHERE event_id = $1`,
					{ bind: [envelope.id, attempt, dead, String((err as Error).message ?? err), this.delayMs(attempt) / 1000] }
				);
				if (dead) {
					this.broker.metrics.increment("codelearn.events.dead_letters.total", this.labels);
					// The message only: a database error carries the statement's parameters, i.e. the event's data.
					this.broker
						.getLogger(this.service)
						.error(
							`Event ${envelope.type} ${envelope.id} is a dead letter after ${attempt} attempts: ${String((err as Error).message ?? err)}`
						);
				} else {
					this.broker.metrics.increment("codelearn.events.retries.total", this.labels);
				}
			}
		}
	}

	async deadLetters(limit: number): Promise<DeadLetter[]> {
		const rows = await this.sequelize.query<{ envelope: DomainEvent; attempts: number; last_error: string; updated_at: Date }>(
			`SELECT envelope, attempts, last_error, updated_at FROM ${this.retries} WHERE dead ORDER BY updated_at LIMIT $1`,
			{ bind: [limit], type: QueryTypes.SELECT }
		);
		return rows.map(r => ({
			eventId: r.envelope.id,
			type: r.envelope.type,
			attempts: r.attempts,
			lastError: r.last_error,
			event: r.envelope,
			failedAt: new Date(r.updated_at).toISOString()
		}));
	}

	/** Puts dead letters (all, or the given ids) back in line for a fresh series of attempts. */
	async redrive(eventIds?: string[]): Promise<number> {
		const rows = await this.sequelize.query(
			`UPDATE ${this.retries} SET dead = false, attempts = 0, next_attempt_at = now(), claimed_until = NULL, updated_at = now()
			 WHERE dead AND ($1::uuid[] IS NULL OR event_id = ANY($1::uuid[])) RETURNING event_id`,
			{ bind: [eventIds ?? null], type: QueryTypes.SELECT }
		);
		return rows.length;
	}
}
