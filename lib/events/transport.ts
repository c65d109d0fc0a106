import type { DomainEvent } from "./envelope";

/** Handles one delivered event; resolves once its effect (or its retry record) is committed. */
export type Deliver = (event: DomainEvent) => Promise<void>;

/**
 * How events move between services: RabbitMQ in a cluster, in-process otherwise. Both give
 * at-least-once delivery: `publish` resolves only when the events are safe (confirmed by the
 * broker, or handled by every local consumer), and a delivery that fails is redelivered.
 */
export interface EventTransport {
	readonly kind: "amqp" | "local";
	publish(events: DomainEvent[]): Promise<void>;
	/**
	 * One durable subscription per consuming service; its replicas share it. `prefetch`: how many
	 * deliveries this node holds unacknowledged at once (a work queue sets its free slots).
	 */
	subscribe(consumer: string, patterns: string[], deliver: Deliver, options?: { prefetch?: number }): Promise<void>;
	unsubscribe(consumer: string): Promise<void>;
	isHealthy(): boolean;
	/** Calls `listener` whenever publishing may succeed again (reconnected, a consumer subscribed); returns its removal. */
	onReady(listener: () => void): () => void;
	close(): Promise<void>;
}
