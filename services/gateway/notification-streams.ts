import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { SubmissionProgress } from "../judge/judge.contract";
import type { StoredNotification } from "../notifications/notifications.contract";

/** A comment line now and then, so that proxies and the server's idle timeout keep the stream open. */
const HEARTBEAT_MS = 15_000;
/** Ids a connection remembers to skip duplicates between its replay and live deliveries. */
const REMEMBERED_IDS = 1000;
/** Streams one user may hold open on one gateway node; opening one more closes their oldest. */
export const MAX_STREAMS_PER_USER = 5;
/** How long a session's change is remembered: longer than any session check can take. */
const CHANGE_MEMORY_MS = 60_000;

/** Why the gateway ended a stream, sent as its last event (`event: close`). */
export type CloseReason = "session_changed" | "too_many_streams";

interface Connection {
	res: ServerResponse;
	sessionId: string;
	sent: Set<string>;
	/** Live notifications held back until the replay of missed ones is written, so order holds. */
	held?: StoredNotification[];
}

/**
 * The Server-Sent Event streams open on this gateway node, by user. Notifications are created
 * by the notifications service and broadcast to every gateway; each writes them to the clients
 * connected to it. A stream lives no longer than what authorised it: when its session ends or
 * changes (logout, password or role change, account deletion) every gateway closes it.
 */
export class NotificationStreams {
	/** Each user's connections, oldest first (a Set keeps insertion order). */
	private readonly byUser = new Map<string, Set<Connection>>();
	/** Sessions that ended or changed lately, with `performance.now()` at the news. */
	private readonly changed = new Map<string, number>();
	private readonly heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();

	/**
	 * Did this session end or change at or after `since` (a `performance.now()`)? A stream whose
	 * session check started before the news must check again before it opens.
	 */
	changedSince(sessionId: string, since: number): boolean {
		return (this.changed.get(sessionId) ?? -Infinity) >= since;
	}

	/**
	 * Starts a stream: registered first, so nothing created during the replay lookup is missed;
	 * what arrives meanwhile is written after the replay. Call the returned function with the
	 * missed notifications (none for a fresh stream). The user's oldest stream on this node is
	 * closed if they already hold as many as allowed.
	 */
	open(user: { id: string; sessionId: string }, res: ServerResponse): (missed: StoredNotification[]) => void {
		const connections = this.byUser.get(user.id) ?? new Set();
		for (const oldest of connections) {
			if (connections.size < MAX_STREAMS_PER_USER) break;
			this.end(connections, oldest, "too_many_streams");
		}
		res.writeHead(200, {
			"Content-Type": "text/event-stream; charset=utf-8",
			"Cache-Control": "no-cache, no-transform",
			Connection: "keep-alive",
			"X-Accel-Buffering": "no"
		});
		res.write("retry: 3000\n\n");
		const connection: Connection = { res, sessionId: user.sessionId, sent: new Set(), held: [] };
		connections.add(connection);
		this.byUser.set(user.id, connections);
		res.on("close", () => {
			connections.delete(connection);
			if (!connections.size && this.byUser.get(user.id) === connections) this.byUser.delete(user.id);
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

	/**
	 * A judge's progress on one of the user's submissions, as `event: submission` without an id:
	 * not replayed after a reconnection (the submission's page has the state), so never held back.
	 */
	progress({ userId, ...progress }: SubmissionProgress): void {
		const data = `event: submission\ndata: ${JSON.stringify(progress)}\n\n`;
		for (const connection of this.byUser.get(userId) ?? []) connection.res.write(data);
	}

	/** Sessions that ended or whose authority changed: their streams close, here and now. */
	sessionsChanged(sessionIds: string[]): void {
		const now = performance.now();
		const ids = new Set(sessionIds);
		for (const id of ids) this.changed.set(id, now);
		for (const connections of this.byUser.values()) {
			for (const connection of connections) if (ids.has(connection.sessionId)) this.end(connections, connection, "session_changed");
		}
	}

	get openCount(): number {
		let count = 0;
		for (const connections of this.byUser.values()) count += connections.size;
		return count;
	}

	/** Open streams of one user on this node. */
	openCountOf(userId: string): number {
		return this.byUser.get(userId)?.size ?? 0;
	}

	close(): void {
		clearInterval(this.heartbeat);
		for (const connections of this.byUser.values()) for (const { res } of connections) res.end();
		this.byUser.clear();
		this.changed.clear();
	}

	/** Says why, then ends the response; forgotten at once, not when the socket closes. */
	private end(connections: Set<Connection>, connection: Connection, reason: CloseReason) {
		connections.delete(connection);
		connection.res.end(`event: close\ndata: ${JSON.stringify({ reason })}\n\n`);
	}

	private write(connection: Connection, { recipientId: _, ...notification }: StoredNotification) {
		if (connection.sent.has(notification.id)) return;
		connection.sent.add(notification.id);
		if (connection.sent.size > REMEMBERED_IDS) connection.sent.delete(connection.sent.values().next().value!);
		connection.res.write(`id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`);
	}

	private beat() {
		for (const connections of this.byUser.values()) for (const { res } of connections) res.write(": heartbeat\n\n");
		const forgetBefore = performance.now() - CHANGE_MEMORY_MS;
		for (const [sessionId, at] of this.changed) if (at < forgetBefore) this.changed.delete(sessionId);
	}
}
