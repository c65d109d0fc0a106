import type { DomainEvent } from "./envelope";
import { matchesType } from "./envelope";
import type { EventTopology } from "./topology";
import type { Deliver, EventTransport } from "./transport";

/**
 * In one process: `publish` hands each event to every local consumer whose patterns match and
 * resolves once each has committed its effect (or its retry record). If a consumer this process
 * runs has not subscribed yet, or a delivery fails, `publish` rejects and the relay keeps the
 * events in the outbox for its next pass: the same at-least-once contract as RabbitMQ.
 */
export class LocalTransport implements EventTransport {
	readonly kind = "local";
	private readonly subscriptions = new Map<string, { patterns: string[]; deliver: Deliver }>();
	private readonly readyListeners = new Set<() => void>();

	/** @param expected consumers (from the topology) that run in this process. */
	constructor(private readonly expected: EventTopology) {}

	async publish(events: DomainEvent[]): Promise<void> {
		for (const consumer of Object.keys(this.expected)) {
			if (!this.subscriptions.has(consumer)) throw new Error(`local consumer '${consumer}' is not subscribed yet`);
		}
		for (const event of events) {
			await Promise.all(
				[...this.subscriptions.values()]
					.filter(s => s.patterns.some(p => matchesType(p, event.type)))
					.map(s => s.deliver(structuredClone(event)))
			);
		}
	}

	async subscribe(consumer: string, patterns: string[], deliver: Deliver): Promise<void> {
		this.subscriptions.set(consumer, { patterns, deliver });
		for (const listener of this.readyListeners) listener();
	}

	async unsubscribe(consumer: string): Promise<void> {
		this.subscriptions.delete(consumer);
	}

	isHealthy(): boolean {
		return true;
	}

	onReady(listener: () => void): () => void {
		this.readyListeners.add(listener);
		return () => this.readyListeners.delete(listener);
	}

	async close(): Promise<void> {
		this.subscriptions.clear();
	}
}
