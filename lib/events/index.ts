import type { ServiceBroker } from "moleculer";
import { AmqpTransport } from "./amqp-transport";
import { LocalTransport } from "./local-transport";
import type { EventTopology } from "./topology";
import type { EventTransport } from "./transport";

export type { DomainEvent, NewEvent } from "./envelope";
export type { EventTopology } from "./topology";
export type { EventTransport } from "./transport";

/** What the transport needs of the configuration (the caller's Config): lib/ does not import config/. */
export interface EventTransportConfig {
	namespace: string;
	services: readonly string[];
	events: { amqpUrl: string | null };
}

const transports = new WeakMap<ServiceBroker, { transport: EventTransport; users: number }>();

/**
 * The broker's event transport, shared by its services (producers and consumers of one process
 * must meet on the same local transport); closed when the last of them releases it.
 */
export function acquireEventTransport(broker: ServiceBroker, c: EventTransportConfig, topology: EventTopology): EventTransport {
	let entry = transports.get(broker);
	if (!entry) {
		const transport = c.events.amqpUrl
			? new AmqpTransport(c.events.amqpUrl, c.namespace, broker.getLogger("events"), topology)
			: new LocalTransport(Object.fromEntries(Object.entries(topology).filter(([name]) => (c.services as string[]).includes(name))));
		entry = { transport, users: 0 };
		transports.set(broker, entry);
	}
	entry.users++;
	return entry.transport;
}

export async function releaseEventTransport(broker: ServiceBroker): Promise<void> {
	const entry = transports.get(broker);
	if (!entry || --entry.users > 0) return;
	transports.delete(broker);
	await entry.transport.close();
}
