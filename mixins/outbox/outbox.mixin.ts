import type { ServiceSchema } from "moleculer";
import type { Transaction } from "sequelize";
import type { Config } from "../../config";
import type { CatalogueEvent, EventTypeOf, NewCatalogueEvent } from "../../lib/contracts";
import { acquireEventTransport, releaseEventTransport } from "../../lib/events";
import { createEvent, type NewEvent } from "../../lib/events/envelope";
import type { EventTopology } from "../../lib/events/topology";
import { OutboxRelay } from "./relay";

/** @typeParam E the producing service's event catalogue (event type → payload), from its contract. */
export interface OutboxMethods<E = Record<string, object>> {
	/**
	 * Writes a domain event into this service's outbox inside the caller's transaction: the
	 * entity change and its event commit together or not at all. Relayed right after commit.
	 * Its type and payload are checked against the service's catalogue.
	 */
	recordEvent<K extends EventTypeOf<E>>(transaction: Transaction, event: NewCatalogueEvent<E, K>): Promise<CatalogueEvent<E, K>>;
}

export interface OutboxMixinOptions {
	service: string;
	config: Config;
	/** Every consumer's bindings (services/contracts.ts), for the transport this service may be the first to open. */
	topology: EventTopology;
}

/**
 * The transactional outbox of a producing service (needs DbMixin and the `createOutbox`
 * migration). There is no other way to publish a domain event.
 */
export function OutboxMixin(options: OutboxMixinOptions): Partial<ServiceSchema> {
	const table = `"${options.service}".outbox`;
	return {
		methods: {
			async recordEvent(transaction: Transaction, event: NewEvent<object>) {
				const envelope = createEvent(options.service, event);
				await this.sequelize.query(`INSERT INTO ${table} (event_id, type, aggregate_id, envelope) VALUES ($1, $2, $3, $4)`, {
					bind: [envelope.id, envelope.type, envelope.aggregateId, JSON.stringify(envelope)],
					transaction
				});
				transaction.afterCommit(() => (this.outboxRelay as OutboxRelay | undefined)?.wake());
				return envelope;
			}
		},
		events: {
			// Every local consumer has subscribed by now; relaying earlier could find none in one process.
			"$broker.started"() {
				(this.outboxRelay as OutboxRelay | undefined)?.start();
			}
		},
		async started() {
			const transport = acquireEventTransport(this.broker, options.config, options.topology);
			this.outboxRelay = new OutboxRelay(this.sequelize, options.service, transport, this.broker.nodeID, this.broker);
			if (this.broker.started) this.outboxRelay.start();
		},
		async stopped() {
			await (this.outboxRelay as OutboxRelay | undefined)?.stop();
			await releaseEventTransport(this.broker);
		}
	};
}
