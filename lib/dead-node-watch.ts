import amqp, { type ChannelModel, type ConsumeMessage } from "amqplib";
import type { Middleware, ServiceBroker } from "moleculer";

/** RabbitMQ's event exchange (the bundled rabbitmq_event_exchange plugin). */
const EVENTS = "amq.rabbitmq.event";

/**
 * Drops a node the moment RabbitMQ sees its consumer go: when a node's connection closes (a crash,
 * a kill, a cut) RabbitMQ cancels its consumers at once and, with the event exchange plugin on,
 * says so (`consumer.deleted`). The consumer of a node's own request queue (`<prefix>.REQ.<node>`)
 * going means the node is gone: it is dropped here within milliseconds instead of at the heartbeat
 * timeout (2.5 s), and calls in flight to it fail now, so keyed writes are repeated elsewhere at
 * once. A node that only lost its connection reconnects and announces itself again. Without the
 * plugin the exchange is missing: this says so once, and heartbeats alone drop dead nodes.
 */
export function deadNodeWatch(transporterUrl: string, namespace: string): Middleware {
	const requestQueue = new RegExp(`^${(namespace ? `MOL-${namespace}` : "MOL").replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}\\.REQ\\.(.+)$`);
	let connection: ChannelModel | undefined;
	let stopped = false;
	/** RabbitMQ away and back: watch again, as the transporter reconnects. */
	const RECONNECT_MS = 2000;

	function onConsumerGone(broker: ServiceBroker, message: ConsumeMessage | null) {
		const queue = message?.properties.headers?.queue;
		const nodeID = requestQueue.exec(Buffer.isBuffer(queue) ? queue.toString() : String(queue ?? ""))?.[1];
		if (!nodeID || nodeID === broker.nodeID || broker.stopping) return;
		const node = broker.registry.nodes.get(nodeID);
		if (!node?.available) return;
		broker.logger.warn(`RabbitMQ saw the connection of '${nodeID}' go: dropping it.`);
		broker.registry.nodes.disconnected(nodeID, true);
	}

	async function watch(broker: ServiceBroker) {
		const opened = (connection = await amqp.connect(transporterUrl));
		opened.on("error", () => {});
		opened.on("close", () => {
			if (stopped || connection !== opened) return;
			connection = undefined;
			setTimeout(() => start(broker), RECONNECT_MS).unref();
		});
		const channel = await connection.createChannel();
		channel.on("error", () => {});
		try {
			await channel.checkExchange(EVENTS);
		} catch {
			broker.logger.info(`RabbitMQ has no ${EVENTS} (plugin rabbitmq_event_exchange off): dead nodes are dropped by heartbeat only.`);
			await connection.close().catch(() => {});
			connection = undefined;
			return;
		}
		const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
		await channel.bindQueue(queue, EVENTS, "consumer.deleted");
		await channel.consume(queue, message => onConsumerGone(broker, message), { noAck: true });
	}

	/** A help, not a need: the broker runs on without it, and it tries again while RabbitMQ is away. */
	async function start(broker: ServiceBroker) {
		if (stopped) return;
		await watch(broker).catch(err => {
			broker.logger.warn(`Dead-node watch not started: ${(err as Error).message}`);
			const failed = connection;
			connection = undefined;
			void failed?.close().catch(() => {});
			if (!stopped) setTimeout(() => start(broker), RECONNECT_MS).unref();
		});
	}

	return {
		name: "DeadNodeWatch",
		async started(broker: ServiceBroker) {
			await start(broker);
		},
		async stopped() {
			stopped = true;
			const open = connection;
			connection = undefined;
			await open?.close().catch(() => {});
		}
	};
}
