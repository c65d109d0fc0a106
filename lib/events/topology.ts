/**
 * Which service consumes which event types (`consumer → patterns`). It is assembled from each
 * consuming service's subscription in `services/contracts.ts` and handed down: every node that
 * connects to RabbitMQ declares these durable queues and bindings, so an event published before
 * its consumer ever started still waits in the consumer's queue instead of being routed nowhere.
 */
export type EventTopology = Readonly<Record<string, readonly string[]>>;

/** Whether a routing key matches a topic pattern, as RabbitMQ's topic exchange decides: `*` one word, `#` any. */
export function topicMatches(pattern: string, key: string): boolean {
	const match = (p: readonly string[], k: readonly string[]): boolean => {
		if (!p.length) return !k.length;
		const [head, ...rest] = p;
		if (head === "#") return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
		return k.length > 0 && (head === "*" || head === k[0]) && match(rest, k.slice(1));
	};
	return match(pattern.split("."), key.split("."));
}

/** The consumers an event type goes to: those with a pattern that matches it. */
export function consumersOf(topology: EventTopology, type: string): string[] {
	return Object.entries(topology)
		.filter(([, patterns]) => patterns.some(pattern => topicMatches(pattern, type)))
		.map(([consumer]) => consumer);
}

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
