/**
 * Which service consumes which event types. Every node that connects to RabbitMQ declares these
 * durable queues and bindings, so an event published before its consumer ever started still
 * waits in the consumer's queue instead of being routed nowhere.
 */
export const EVENT_CONSUMERS: Record<string, string[]> = {
	audit: ["#"],
	groups: ["user.deleted"],
	posts: ["user.deleted", "group.deleted", "group.updated"],
	contests: ["user.deleted", "group.deleted"],
	notifications: ["#"]
};

export function exchangeName(namespace: string): string {
	return `${namespace}.events`;
}

export function queueName(namespace: string, consumer: string): string {
	return `${namespace}.events.${consumer}`;
}

/** Removes a namespace's durable event exchange and queues (test and benchmark clean-up). */
export async function deleteEventTopology(namespace: string, amqpUrl: string): Promise<void> {
	const { default: amqp } = await import("amqplib");
	const connection = await amqp.connect(amqpUrl);
	try {
		const channel = await connection.createChannel();
		for (const consumer of Object.keys(EVENT_CONSUMERS)) await channel.deleteQueue(queueName(namespace, consumer));
		await channel.deleteExchange(exchangeName(namespace));
	} finally {
		await connection.close();
	}
}
