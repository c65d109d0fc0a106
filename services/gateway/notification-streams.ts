import type { ServerResponse } from "node:http";
import type { StoredNotification } from "../notifications/notification-store";

/** A comment line now and then, so that proxies and the server's idle timeout keep the stream open. */
const HEARTBEAT_MS = 15_000;
/** Ids a connection remembers to skip duplicates between its replay and live deliveries. */
const REMEMBERED_IDS = 1000;

interface Connection {
	res: ServerResponse;
	sent: Set<string>;
	/** Live notifications held back until the replay of missed ones is written, so order holds. */
	held?: StoredNotification[];
}

/**
 * The Server-Sent Event streams open on this gateway node, by user. Notifications are created
 * by the notifications service and broadcast to every gateway; each writes them to the clients
 * connected to it.
 */
export class NotificationStreams {
	private readonly byUser = new Map<string, Set<Connection>>();
	private readonly heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();

	/**
	 * Starts a stream: registered first, so nothing created during the replay lookup is missed;
	 * what arrives meanwhile is written after the replay. Call the returned function with the
	 * missed notifications (none for a fresh stream).
	 */
	open(userId: string, res: ServerResponse): (missed: StoredNotification[]) => void {
		res.writeHead(200, {
			"Content-Type": "text/event-stream; charset=utf-8",
			"Cache-Control": "no-cache, no-transform",
			Connection: "keep-alive",
			"X-Accel-Buffering": "no"
		});
		res.write("retry: 3000\n\n");
		const connection: Connection = { res, sent: new Set(), held: [] };
		const connections = this.byUser.get(userId) ?? new Set();
		connections.add(connection);
		this.byUser.set(userId, connections);
		res.on("close", () => {
			connections.delete(connection);
			if (!connections.size) this.byUser.delete(userId);
		});
		return missed => {
			const held = connection.held ?? [];
			connection.held = undefined;
			for (const n of [...missed, ...held]) this.write(connection, n);
		};
	}

	deliver(notifications: StoredNotification[]): void {
		for (const notification of notifications) {
			for (const connection of this.byUser.get(notification.recipientId) ?? []) {
				if (connection.held) connection.held.push(notification);
				else this.write(connection, notification);
			}
		}
	}

	get openCount(): number {
		let count = 0;
		for (const connections of this.byUser.values()) count += connections.size;
		return count;
	}

	close(): void {
		clearInterval(this.heartbeat);
		for (const connections of this.byUser.values()) for (const { res } of connections) res.end();
		this.byUser.clear();
	}

	private write(connection: Connection, { recipientId: _, ...notification }: StoredNotification) {
		if (connection.sent.has(notification.id)) return;
		connection.sent.add(notification.id);
		if (connection.sent.size > REMEMBERED_IDS) connection.sent.delete(connection.sent.values().next().value!);
		connection.res.write(`id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`);
	}

	private beat() {
		for (const connections of this.byUser.values()) for (const { res } of connections) res.write(": heartbeat\n\n");
	}
}
