import { signal } from "@preact/signals";
import { api, get, hasSession, onSessionChange } from "./http";
import type { Notification } from "./types";

/** The signed-in person's unread notifications, kept current by the stream. */
export const unreadCount = signal(0);

type Listener = { notification?: (n: Notification) => void; submission?: (progress: unknown) => void };
const listeners = new Set<Listener>();

/** Hears the stream's notifications and judge progress while the returned function is not called. */
export function listen(listener: Listener) {
	listeners.add(listener);
	return () => void listeners.delete(listener);
}

let source: EventSource | null = null;
let lastEventId: string | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

function stop() {
	source?.close();
	source = null;
	clearTimeout(retryTimer);
}

/**
 * One Server-Sent Events stream per tab. A ticket opens it once (EventSource sends no headers), so
 * each reconnection asks for a new ticket and resumes after the last event seen.
 */
async function connect() {
	stop();
	if (!hasSession()) return;
	try {
		const [{ ticket }, { count }] = await Promise.all([
			api<{ ticket: string }>("POST", "/notifications/stream-ticket"),
			get<{ count: number }>("/notifications/unread-count")
		]);
		unreadCount.value = count;
		const query = new URLSearchParams({ ticket, ...(lastEventId ? { lastEventId } : {}) });
		const opened = new EventSource(`/api/notifications/stream?${query}`);
		source = opened;
		opened.onopen = () => (failures = 0);
		opened.addEventListener("notification", event => {
			const message = event as MessageEvent<string>;
			lastEventId = message.lastEventId || lastEventId;
			const notification = JSON.parse(message.data) as Notification;
			if (!notification.read) unreadCount.value++;
			listeners.forEach(l => l.notification?.(notification));
		});
		opened.addEventListener("submission", event => {
			const progress = JSON.parse((event as MessageEvent<string>).data) as unknown;
			listeners.forEach(l => l.submission?.(progress));
		});
		// The ticket is spent: the browser's own reconnection would be refused, so reconnect here.
		opened.onerror = () => source === opened && retry();
		opened.addEventListener("close", () => source === opened && retry());
	} catch {
		retry();
	}
}

function retry() {
	stop();
	failures++;
	retryTimer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
}

let streaming = hasSession();
onSessionChange(signedIn => {
	// A refreshed token keeps the session, and its stream.
	if (signedIn === streaming) return;
	streaming = signedIn;
	lastEventId = undefined;
	unreadCount.value = 0;
	if (signedIn) void connect();
	else stop();
});
if (hasSession()) void connect();
