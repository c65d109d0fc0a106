import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from "amqplib";
import type { ServiceBroker } from "moleculer";
import type { DomainEvent } from "./envelope";
import { consumersOf, type EventTopology, exchangeName, queueName } from "./topology";
import type { Deliver, EventTransport } from "./transport";

const RECONNECT_DELAY_MS = 2000;
/** A delivery that failed for lack of a database waits this long before it is requeued. */
const REQUEUE_DELAY_MS = 1000;
const PREFETCH = 20;

/**
 * Domain events over RabbitMQ, on amqplib directly. @moleculer/channels (0.1.8) targets Moleculer
 * 0.14 and its AMQP adapter publishes without confirms, so it cannot promise "sent means stored";
 * this module does: a durable topic exchange, persistent messages, publisher confirms, one durable
 * queue per consuming service (its replicas share it), manual acks after the effect committed.
 * It reconnects on its own; while disconnected `publish` rejects and events wait in the outbox.
 */
export class AmqpTransport implements EventTransport {
	readonly kind = "amqp";
	private connection?: ChannelModel;
	private publisher?: ConfirmChannel;
	private readonly consumers = new Map<
		string,
		{ patterns: string[]; deliver: Deliver; prefetch: number; channel?: Channel; tag?: string }
	>();
	private readonly readyListeners = new Set<() => void>();
	private connecting?: Promise<void>;
	/** Event type → its consumers, by the topology's patterns. */
	private readonly routes = new Map<string, string[]>();
	private closed = false;

	constructor(
		private readonly url: string,
		private readonly namespace: string,
		private readonly logger: ServiceBroker["logger"],
		/** Every consumer's queue and bindings, declared by every node (not only the consumers it runs). */
		private readonly topology: EventTopology
	) {}

	private get exchange() {
		return exchangeName(this.namespace);
	}

	private connect(): Promise<void> {
		this.connecting ??= this.open().finally(() => (this.connecting = undefined));
		return this.connecting;
	}

	private async open(): Promise<void> {
		const connection = await amqp.connect(this.url, { noDelay: true });
		connection.on("error", err => this.logger.warn("Event transport connection error", err));
		connection.on("close", () => this.lost(connection));
		let publisher: ConfirmChannel;
		try {
			publisher = await connection.createConfirmChannel();
			publisher.on("error", err => this.logger.warn("Event publisher channel error", err));
			// A channel the server closes (e.g. publishing to a deleted exchange) stays closed: start over.
			publisher.on("close", () => {
				if (this.publisher === publisher) this.reset(connection, "the publisher channel closed");
			});
			// The topic exchange and its bindings carry no event of this version (each goes straight to
			// its consumers' queues); they stay so that nodes of the previous version, which publish
			// through them, still reach every queue during a rolling upgrade.
			await publisher.assertExchange(this.exchange, "topic", { durable: true });
			for (const [consumer, patterns] of Object.entries(this.topology)) {
				await publisher.assertQueue(queueName(this.namespace, consumer), { durable: true });
				for (const pattern of patterns) await publisher.bindQueue(queueName(this.namespace, consumer), this.exchange, pattern);
			}
			if (this.closed) throw new Error("event transport closed");
		} catch (err) {
			// Neither a half-declared connection nor one that outlives close() may linger.
			await connection.close().catch(() => {});
			throw err;
		}
		this.connection = connection;
		this.publisher = publisher;
		for (const consumer of this.consumers.keys()) await this.consume(consumer);
		this.logger.info("Event transport connected to RabbitMQ");
		for (const listener of this.readyListeners) listener();
	}

	private lost(connection: ChannelModel) {
		if (this.connection !== connection) return;
		this.connection = undefined;
		this.publisher = undefined;
		for (const entry of this.consumers.values()) entry.channel = undefined;
		if (this.closed) return;
		this.logger.warn("Event transport lost RabbitMQ; reconnecting");
		this.scheduleReconnect();
	}

	/**
	 * Drops a connection whose channel died under it (the connection itself is fine, so `lost`
	 * would never run): its close reconnects, re-declares the topology and re-attaches consumers.
	 */
	private reset(connection: ChannelModel, why: string) {
		if (this.closed || this.connection !== connection) return;
		this.logger.warn(`Event transport: ${why}; reconnecting`);
		connection.close().catch(() => this.lost(connection));
	}

	private scheduleReconnect() {
		setTimeout(() => {
			if (this.closed || this.connection) return;
			this.connect().catch(err => {
				this.logger.warn(`Event transport cannot reach RabbitMQ: ${(err as Error).message}`);
				this.scheduleReconnect();
			});
		}, RECONNECT_DELAY_MS).unref();
	}

	/**
	 * Resolves once RabbitMQ has confirmed every event as stored in the queue of every consumer of
	 * its type. Each copy goes straight to its consumer's queue, `mandatory`: a queue deleted under
	 * us returns its copy, which fails the batch so the events stay in the outbox, and the topology
	 * is declared again on a new connection. (Through the topic exchange, a copy routed to one queue
	 * while another was gone would not come back.) Consumers apply a redelivered event once.
	 */
	async publish(events: DomainEvent[]): Promise<void> {
		if (!this.publisher) await this.connect();
		const connection = this.connection!;
		const publisher = this.publisher!;
		const ids = new Set(events.map(e => e.id));
		let unroutable = 0;
		const onReturn = (message: ConsumeMessage) => {
			if (ids.has(message.properties.messageId as string)) unroutable++;
		};
		publisher.on("return", onReturn);
		try {
			for (const event of events) {
				for (const consumer of this.consumersOf(event.type)) this.publishOne(publisher, queueName(this.namespace, consumer), event);
			}
			await publisher.waitForConfirms();
		} finally {
			publisher.off("return", onReturn);
		}
		if (unroutable) {
			this.reset(connection, `${unroutable} events reached no queue`);
			throw new Error(`RabbitMQ routed ${unroutable} events to no queue; they stay in the outbox`);
		}
	}

	private consumersOf(type: string): string[] {
		let consumers = this.routes.get(type);
		if (!consumers) this.routes.set(type, (consumers = consumersOf(this.topology, type)));
		return consumers;
	}

	private publishOne(publisher: ConfirmChannel, queue: string, event: DomainEvent) {
		publisher.publish("", queue, Buffer.from(JSON.stringify(event)), {
			mandatory: true,
			persistent: true,
			messageId: event.id,
			type: event.type,
			contentType: "application/json",
			timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
			appId: event.producer
		});
	}

	async subscribe(consumer: string, patterns: string[], deliver: Deliver, options: { prefetch?: number } = {}): Promise<void> {
		this.consumers.set(consumer, { patterns, deliver, prefetch: options.prefetch ?? PREFETCH });
		if (!this.connection) {
			// A consumer starts even while RabbitMQ is away; it attaches when the connection returns.
			await this.connect().catch(() => this.scheduleReconnect());
			return;
		}
		await this.consume(consumer);
	}

	private async consume(consumer: string): Promise<void> {
		const entry = this.consumers.get(consumer)!;
		const connection = this.connection!;
		const channel = await connection.createChannel();
		channel.on("error", err => this.logger.warn(`Event consumer channel '${consumer}' error`, err));
		// Closed or cancelled by the server (not by `unsubscribe`): consume again on a new connection.
		const current = () => this.consumers.get(consumer) === entry && entry.channel === channel;
		channel.on("close", () => {
			if (current()) this.reset(connection, `the consumer channel of '${consumer}' closed`);
		});
		const queue = queueName(this.namespace, consumer);
		await channel.assertQueue(queue, { durable: true });
		for (const pattern of entry.patterns) await channel.bindQueue(queue, this.exchange, pattern);
		await channel.prefetch(entry.prefetch);
		const { consumerTag } = await channel.consume(queue, message => {
			if (message) void this.handle(channel, message, entry.deliver);
			else if (current()) this.reset(connection, `RabbitMQ cancelled the consumer of '${consumer}'`);
		});
		entry.channel = channel;
		entry.tag = consumerTag;
	}

	private async handle(channel: Channel, message: ConsumeMessage, deliver: Deliver) {
		let event: DomainEvent;
		try {
			event = JSON.parse(message.content.toString("utf8")) as DomainEvent;
		} catch {
			this.logger.error("Dropping an event that is not JSON", { messageId: message.properties.messageId });
			channel.ack(message);
			return;
		}
		try {
			await deliver(event);
			channel.ack(message);
		} catch (err) {
			// Not even a retry record could be written (database down?): let RabbitMQ redeliver it.
			this.logger.warn(`Delivery of ${event.type} ${event.id} failed; requeued`, err);
			setTimeout(() => {
				try {
					channel.nack(message, false, true);
				} catch {
					// the channel closed: RabbitMQ redelivers unacked messages anyway
				}
			}, REQUEUE_DELAY_MS).unref();
		}
	}

	async unsubscribe(consumer: string): Promise<void> {
		const entry = this.consumers.get(consumer);
		this.consumers.delete(consumer);
		if (entry?.channel) await entry.channel.close().catch(() => {});
	}

	isHealthy(): boolean {
		return Boolean(this.connection);
	}

	onReady(listener: () => void): () => void {
		this.readyListeners.add(listener);
		return () => this.readyListeners.delete(listener);
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const consumer of [...this.consumers.keys()]) await this.unsubscribe(consumer);
		await this.connection?.close().catch(() => {});
		this.connection = undefined;
	}
}
