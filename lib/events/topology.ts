/**
 * Which service consumes which event types (`consumer → patterns`). It is assembled from each
 * consuming service's subscription in `services/contracts.ts` and handed down: every node that
 * connects to RabbitMQ declares these durable queues and bindings, so an event published before
 * its consumer ever started still waits in the consumer's queue instead of being routed nowhere.
 */
export type EventTopology = Readonly<Record<string, readonly string[]>>;

export function exchangeName(namespace: string): string {
	return `${namespace}.events`;
}

export function queueName(namespace: string, consumer: string): string {
	return `${namespace}.events.${consumer}`;
}

/** Removes a namespace's durable event exchange and these consumers' queues (test and benchmark clean-up). */
export async function deleteEventTopology(namespace: string, amqpUrl: string, consumers: readonly string[]): Promise<void> {
	const { default: amqp } = await import("amqplib");
	const connection = await amqp.connect(amqpUrl);
	try {
		const channel = await connection.createChannel();
		for (const consumer of consumers) await channel.deleteQueue(queueName(namespace, consumer));
		await channel.deleteExchange(exchangeName(namespace));
	} finally {
		await connection.close();
	}
}
