/**
 * Helpers for the notifications tests: the platform with its scratch databases, direct reads of
 * the notifications database, a barrier for "every event so far has been handled", and a small
 * Server-Sent Events client on fetch.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Pool } from "pg";
import { scratchDatabase } from "./database";
import { eventually } from "./eventually";
import type { Api } from "./http";
import { type Platform, startPlatform } from "./platform";
import { register, registerMany, type TestUser } from "./accounts";
import { ok } from "./posts";
import { TEST_SERVICES } from "./services";

export { assertError, ok, type TestUser } from "./posts";

/** The keys of a notification as the API shows it (no recipientId: it is the caller). */
export const NOTIFICATION_KEYS = ["actorId", "body", "createdAt", "groupId", "id", "link", "read", "reason", "subject", "title", "type"];

/** A notification row as the notifications database holds it (the fields the tests compare). */
export interface StoredRow {
	seq: string;
	id: string;
	recipientId: string;
	eventId: string;
	type: string;
	actorId: string | null;
	subjectKind: string;
	subjectId: string;
	groupId: string | null;
	read: boolean;
}

/** Reads of the notifications database, as an operator would look. */
export class NotificationsDb {
	readonly pool: Pool;

	constructor(url: string) {
		this.pool = new Pool({ connectionString: url, max: 3 });
	}

	/** The last notification's sequence number: rows after it are what the next action created. */
	async mark(): Promise<string> {
		const { rows } = await this.pool.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM notifications.notifications`);
		return rows[0].seq as string;
	}

	/** Oldest first (by the bigint column `n.seq`, not the text alias of the select list). */
	async rows(where: string, bind: readonly unknown[] = []): Promise<StoredRow[]> {
		const { rows } = await this.pool.query(
			`SELECT seq::text, id, recipient_id AS "recipientId", event_id AS "eventId", type, actor_id AS "actorId",
			        subject_kind AS "subjectKind", subject_id AS "subjectId", group_id AS "groupId", read_at IS NOT NULL AS read
			 FROM notifications.notifications n WHERE ${where} ORDER BY n.seq`,
			[...bind]
		);
		return rows as StoredRow[];
	}

	/** Rows created after `mark`. */
	since(mark: string): Promise<StoredRow[]> {
		return this.rows(`seq > $1`, [mark]);
	}

	async count(where: string, bind: readonly unknown[] = []): Promise<number> {
		const { rows } = await this.pool.query(`SELECT count(*)::int AS n FROM notifications.notifications WHERE ${where}`, [...bind]);
		return rows[0].n as number;
	}

	/** Rows of a user in each of the service's three per-user tables. */
	async footprint(userId: string): Promise<{ notifications: number; preferences: number; mutes: number }> {
		const { rows } = await this.pool.query(
			`SELECT (SELECT count(*) FROM notifications.notifications WHERE recipient_id = $1)::int AS notifications,
			        (SELECT count(*) FROM notifications.preferences WHERE user_id = $1)::int AS preferences,
			        (SELECT count(*) FROM notifications.group_mutes WHERE user_id = $1)::int AS mutes`,
			[userId]
		);
		return rows[0] as { notifications: number; preferences: number; mutes: number };
	}

	close(): Promise<void> {
		return this.pool.end();
	}
}

/** `[recipientId, type]` pairs, sorted: what an action created, in a comparable form. */
export function addressed(rows: StoredRow[]): [string, string][] {
	return rows.map(r => [r.recipientId, r.type] as [string, string]).sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

/**
 * The gateway with users, groups, posts and notifications in one process (events on the
 * in-process transport), each service on its own scratch database, the Redis cacher under a
 * namespace of its own.
 */
export function notificationsPlatform(extraEnv: Record<string, string> = {}) {
	const dbs = {
		users: scratchDatabase("codelearn_test_users"),
		groups: scratchDatabase("codelearn_test_groups"),
		posts: scratchDatabase("codelearn_test_posts"),
		notifications: scratchDatabase("codelearn_test_notifications")
	};
	let platform: Platform | undefined;
	let db: NotificationsDb | undefined;
	let producers: Pool[] = [];

	const harness = {
		namespace: `notifications-test-${randomBytes(4).toString("hex")}`,
		dbs,

		get platform(): Platform {
			assert.ok(platform, "platform started");
			return platform;
		},
		get api(): Api {
			return harness.platform.api;
		},
		get db(): NotificationsDb {
			assert.ok(db, "platform started");
			return db;
		},

		async start() {
			platform = await startPlatform({
				SERVICES: "gateway,users,groups,posts,notifications",
				NAMESPACE: harness.namespace,
				CACHER: TEST_SERVICES.redis,
				USERS_DATABASE_URL: dbs.users.url,
				GROUPS_DATABASE_URL: dbs.groups.url,
				POSTS_DATABASE_URL: dbs.posts.url,
				NOTIFICATIONS_DATABASE_URL: dbs.notifications.url,
				// Hundreds of requests from one address within a minute: not what these tests are about.
				RATE_LIMIT_MAX: "1000000",
				ACCESS_TOKEN_TTL_S: "3600",
				...extraEnv
			});
			db = new NotificationsDb(dbs.notifications.url);
			producers = [dbs.users, dbs.groups, dbs.posts].map(d => new Pool({ connectionString: d.url, max: 1 }));
		},

		async stop() {
			await platform?.stop();
			await Promise.all([db?.close(), ...producers.map(p => p.end())]);
			await Promise.all(Object.values(dbs).map(d => d.drop()));
		},

		/**
		 * Waits until every event written so far has been handled by the notifications service:
		 * no producer has an unsent outbox row (in one process "sent" means every local consumer
		 * committed its effect or a retry record) and the notifications inbox has no retry waiting.
		 */
		async settled(timeoutMs = 10_000) {
			await eventually(
				"every event so far handled (outboxes sent, no notification retries)",
				async () => {
					const unsent = await Promise.all(
						producers.map(async (pool, i) => {
							const schema = ["users", "groups", "posts"][i];
							const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE sent_at IS NULL`);
							return rows[0].n as number;
						})
					);
					const { rows } = await harness.db.pool.query(`SELECT count(*)::int AS n FROM notifications.event_retries`);
					return { unsent, retries: rows[0].n as number };
				},
				s => s.unsent.every(n => n === 0) && s.retries === 0,
				timeoutMs,
				20
			);
		},

		/** Runs `action`, waits until its events are handled, and returns the notifications it created. */
		async created(action: () => Promise<unknown>): Promise<StoredRow[]> {
			await harness.settled();
			const mark = await harness.db.mark();
			await action();
			await harness.settled();
			return harness.db.since(mark);
		},

		register: (prefix = "user") => register(harness.api, prefix),
		registerMany: (count: number, prefix = "user") => registerMany(harness.api, count, prefix)
	};
	return harness;
}

export type NotificationsHarness = ReturnType<typeof notificationsPlatform>;

export { registerMany } from "./accounts";

/** Notification, post, comment and group calls over one gateway; the `create*` ones assert their own success. */
export function socialClient(api: () => Api) {
	const c = {
		list: (as: TestUser, query = "") => api()("GET", `/api/notifications${query ? `?${query}` : ""}`, { token: as.token }),
		/** The caller's notifications (one page of up to 100), newest first. */
		async inbox(as: TestUser, query = "pageSize=100"): Promise<any[]> {
			return ok(await c.list(as, query)).rows as any[];
		},
		async unreadCount(as: TestUser): Promise<number> {
			const body = ok(await api()("GET", "/api/notifications/unread-count", { token: as.token }));
			assert.deepEqual(Object.keys(body), ["count"]);
			return body.count as number;
		},
		markRead: (as: TestUser, id: string) => api()("POST", `/api/notifications/${id}/read`, { token: as.token }),
		readAll: (as: TestUser, body: unknown = {}) => api()("POST", "/api/notifications/read-all", { token: as.token, body }),
		preferences: (as: TestUser) => api()("GET", "/api/notifications/preferences", { token: as.token }),
		setPreferences: (as: TestUser, body: unknown) => api()("PUT", "/api/notifications/preferences", { token: as.token, body }),
		mutes: (as: TestUser) => api()("GET", "/api/notifications/mutes", { token: as.token }),
		mute: (as: TestUser, groupId: string) => api()("PUT", `/api/notifications/mutes/groups/${groupId}`, { token: as.token }),
		unmute: (as: TestUser, groupId: string) => api()("DELETE", `/api/notifications/mutes/groups/${groupId}`, { token: as.token }),

		/** A published post by `author` (in `groupId` if given). */
		async post(author: TestUser, extra: Record<string, unknown> = {}): Promise<{ id: string; slug: string; title: string }> {
			const body = {
				title: `Notes on ${randomBytes(4).toString("hex")} loops`,
				content: "Some **markdown**.",
				category: "algorithms",
				status: "published",
				...extra
			};
			return ok(await api()("POST", "/api/posts", { token: author.token, body }), 201);
		},
		async comment(postId: string, as: TestUser, parentId?: string): Promise<{ id: string }> {
			const body = parentId ? { content: "A reply.", parentId } : { content: "A comment." };
			return ok(await api()("POST", `/api/posts/${postId}/comments`, { token: as.token, body }), 201);
		},
		async react(postId: string, as: TestUser, kind = "like") {
			return ok(await api()("PUT", `/api/posts/${postId}/reactions/${kind}`, { token: as.token }));
		},

		/** An open, public group of `owner`: `members` join, `admins` join and are promoted; then `joinPolicy`. */
		async group(
			owner: TestUser,
			options: { members?: TestUser[]; admins?: TestUser[]; joinPolicy?: "open" | "request" | "invite" } = {}
		) {
			const name = `notify ${process.pid} ${randomBytes(5).toString("hex")}`;
			const group = ok(
				await api()("POST", "/api/groups", { token: owner.token, body: { name, visibility: "public", joinPolicy: "open" } }),
				201
			);
			for (const user of [...(options.members ?? []), ...(options.admins ?? [])])
				ok(await api()("POST", `/api/groups/${group.id}/join`, { token: user.token }));
			for (const user of options.admins ?? []) {
				ok(await api()("PATCH", `/api/groups/${group.id}/members/${user.id}`, { token: owner.token, body: { role: "admin" } }));
			}
			if (options.joinPolicy && options.joinPolicy !== "open") {
				ok(await api()("PATCH", `/api/groups/${group.id}`, { token: owner.token, body: { joinPolicy: options.joinPolicy } }));
			}
			return group as { id: string; name: string };
		}
	};
	return c;
}

// --- Server-Sent Events ---

export interface SseFrame {
	id?: string;
	event?: string;
	data?: string;
	retry?: number;
	/** Comment lines (`: heartbeat` → "heartbeat"). */
	comments: string[];
	/** performance.now() when the frame was complete. */
	at: number;
}

function parseFrame(block: string): SseFrame {
	const frame: SseFrame = { comments: [], at: performance.now() };
	for (const line of block.split(/\r?\n/)) {
		if (line.startsWith(":")) {
			frame.comments.push(line.slice(1).trim());
			continue;
		}
		const colon = line.indexOf(":");
		const field = colon < 0 ? line : line.slice(0, colon);
		const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
		if (field === "id") frame.id = value;
		else if (field === "event") frame.event = value;
		else if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
		else if (field === "retry") frame.retry = Number(value);
	}
	return frame;
}

/** One open `text/event-stream` response, read as it arrives; `close()` it at the end of the test. */
export class SseStream {
	readonly frames: SseFrame[] = [];
	private readonly listeners = new Set<() => void>();
	private ended = false;
	private readonly pumping: Promise<void>;

	private constructor(
		readonly status: number,
		readonly headers: Headers,
		body: ReadableStream<Uint8Array>,
		private readonly controller: AbortController
	) {
		this.pumping = this.pump(body);
	}

	/** Opens the stream; a non-200 answer is returned as `{status, body}` (its JSON), with nothing left open. */
	static async open(
		url: string,
		headers: Record<string, string> = {}
	): Promise<SseStream | { status: number; headers: Headers; body: any }> {
		const controller = new AbortController();
		const connectTimeout = setTimeout(() => controller.abort(), 10_000);
		let res: Response;
		try {
			res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
		} finally {
			clearTimeout(connectTimeout);
		}
		if (res.status !== 200 || !res.body) {
			const text = await res.text();
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: the assertion will show the text
			}
			return { status: res.status, headers: res.headers, body };
		}
		return new SseStream(res.status, res.headers, res.body, controller);
	}

	/** Opens the stream and asserts it is one (200, text/event-stream). */
	static async connect(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
		const opened = await SseStream.open(url, headers);
		assert.ok(
			opened instanceof SseStream,
			`expected a stream, got ${opened.status} ${JSON.stringify((opened as { body: unknown }).body)}`
		);
		assert.match(opened.headers.get("content-type") ?? "", /^text\/event-stream/);
		return opened;
	}

	private async pump(body: ReadableStream<Uint8Array>) {
		const decoder = new TextDecoder();
		let buffer = "";
		try {
			for await (const chunk of body) {
				buffer += decoder.decode(chunk, { stream: true });
				for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
					this.frames.push(parseFrame(block));
					this.notify();
				}
			}
		} catch {
			// aborted by close(), or the server went away: `ended` says so
		} finally {
			this.ended = true;
			this.notify();
		}
	}

	private notify() {
		for (const listener of [...this.listeners]) listener();
	}

	/** The `notification` events so far, with their SSE id and parsed data. */
	notifications(): { id: string | undefined; at: number; data: any }[] {
		return this.frames.filter(f => f.event === "notification").map(f => ({ id: f.id, at: f.at, data: JSON.parse(f.data ?? "null") }));
	}

	/** Waits (until the deadline, not a fixed sleep) for a frame that matches. */
	async waitFor(what: string, match: (frame: SseFrame) => boolean, timeoutMs: number): Promise<SseFrame> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.frames.find(match);
			if (found) return found;
			const summary = () => JSON.stringify(this.frames.map(f => ({ id: f.id, event: f.event, comments: f.comments })));
			if (this.ended) assert.fail(`${what}: the stream ended first (frames: ${summary()})`);
			const remaining = deadline - Date.now();
			if (remaining <= 0) assert.fail(`${what}: not within ${timeoutMs} ms (frames: ${summary()})`);
			await new Promise<void>(resolve => {
				const done = () => {
					clearTimeout(timer);
					this.listeners.delete(done);
					resolve();
				};
				const timer = setTimeout(done, remaining);
				this.listeners.add(done);
			});
		}
	}

	/** Waits for the notification with this id. */
	async waitForNotification(id: string, timeoutMs: number): Promise<SseFrame> {
		return this.waitFor(`notification ${id} on the stream`, f => f.event === "notification" && f.id === id, timeoutMs);
	}

	get isEnded(): boolean {
		return this.ended;
	}

	async close(): Promise<void> {
		this.controller.abort();
		await this.pumping;
	}
}
