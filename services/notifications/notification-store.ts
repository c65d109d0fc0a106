import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { DomainEvent } from "../../lib/events/envelope";
import { selectPage } from "../../lib/select-page";
import {
	DEFAULT_IN_APP,
	NOTIFICATION_TYPES,
	type NotificationType,
	type NotificationView,
	type Preferences,
	type StoredNotification
} from "./notifications.types";
import type { Audience } from "./recipients";

/** Rows per INSERT when a notification goes to many people (a 1,000-member group: 2 statements). */
const FAN_OUT_BATCH = 500;

interface Row {
	id: string;
	recipient_id: string;
	type: NotificationType;
	reason: string;
	actor_id: string | null;
	subject_kind: NotificationView["subject"]["kind"];
	subject_id: string;
	group_id: string | null;
	title: string;
	body: string;
	link: string;
	read_at: Date | null;
	created_at: Date;
}

export type { StoredNotification };

const toView = (r: Row): StoredNotification => ({
	id: r.id,
	recipientId: r.recipient_id,
	type: r.type,
	reason: r.reason,
	actorId: r.actor_id,
	subject: { kind: r.subject_kind, id: r.subject_id },
	groupId: r.group_id,
	title: r.title,
	body: r.body,
	link: r.link,
	read: r.read_at !== null,
	createdAt: new Date(r.created_at).toISOString()
});

/** Notifications, preferences and group mutes of users, in SQL. */
export class NotificationStore {
	private readonly notifications: string;
	private readonly preferences: string;
	private readonly mutes: string;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.notifications = `"${schema}".notifications`;
		this.preferences = `"${schema}".preferences`;
		this.mutes = `"${schema}".group_mutes`;
	}

	private select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	/**
	 * Stores one audience's notifications, a batch of recipients per statement. Recipients who
	 * turned the type off or muted the group get none; a redelivered event adds nothing.
	 */
	async fanOut(transaction: Transaction, event: DomainEvent<object>, { recipientIds, draft }: Audience): Promise<StoredNotification[]> {
		const created: StoredNotification[] = [];
		for (let i = 0; i < recipientIds.length; i += FAN_OUT_BATCH) {
			const rows = await this.select<Row>(
				`INSERT INTO ${this.notifications}
					(recipient_id, event_id, type, reason, actor_id, subject_kind, subject_id, group_id, title, body, link, created_at)
				 SELECT r.id, $2::uuid, $3::text, $4::text, $5::uuid, $6::text, $7::uuid, $8::uuid, $9::text, $10::text, $11::text, $12::timestamptz
				 FROM unnest($1::uuid[]) AS r(id)
				 WHERE NOT EXISTS (SELECT 1 FROM ${this.preferences} p WHERE p.user_id = r.id AND p.type = $3::text AND NOT p.in_app)
				   AND ($8::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM ${this.mutes} m WHERE m.user_id = r.id AND m.group_id = $8))
				 ON CONFLICT DO NOTHING
				 RETURNING *`,
				[
					recipientIds.slice(i, i + FAN_OUT_BATCH),
					event.id,
					draft.type,
					draft.reason,
					event.actorId,
					draft.subject.kind,
					draft.subject.id,
					draft.groupId,
					draft.title.slice(0, 300),
					draft.body.slice(0, 500),
					draft.link,
					event.occurredAt
				],
				transaction
			);
			created.push(...rows.map(toView));
		}
		return created;
	}

	async page(
		userId: string,
		unreadOnly: boolean,
		page: number,
		pageSize: number
	): Promise<{ rows: StoredNotification[]; total: number }> {
		const { rows, total } = await selectPage<Row>(this.sequelize, {
			from: `FROM ${this.notifications} WHERE recipient_id = $1${unreadOnly ? " AND read_at IS NULL" : ""}`,
			orderBy: "seq DESC",
			bind: [userId],
			page,
			pageSize
		});
		return { rows: rows.map(toView), total };
	}

	async unreadCount(userId: string): Promise<number> {
		const [{ count }] = await this.select<{ count: string }>(
			`SELECT count(*) AS count FROM ${this.notifications} WHERE recipient_id = $1 AND read_at IS NULL`,
			[userId]
		);
		return Number(count);
	}

	/** Marks one of the user's notifications read; undefined if they have no such notification. */
	async markRead(userId: string, id: string): Promise<StoredNotification | undefined> {
		const [row] = await this.select<Row>(
			`UPDATE ${this.notifications} SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_id = $2 RETURNING *`,
			[id, userId]
		);
		return row && toView(row);
	}

	/** Marks read what the user had by `before` (newer ones stay unread); how many changed. */
	async markAllRead(userId: string, before: Date): Promise<number> {
		const rows = await this.select(
			`UPDATE ${this.notifications} SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL AND created_at <= $2 RETURNING id`,
			[userId, before]
		);
		return rows.length;
	}

	/** What came after the given notification of the user's (an SSE resume), oldest first. */
	async since(userId: string, afterId: string, limit = 500): Promise<StoredNotification[]> {
		const rows = await this.select<Row>(
			`SELECT * FROM ${this.notifications}
			 WHERE recipient_id = $1 AND seq > (SELECT seq FROM ${this.notifications} WHERE id = $2 AND recipient_id = $1)
			 ORDER BY seq LIMIT $3`,
			[userId, afterId, limit]
		);
		return rows.map(toView);
	}

	async preferencesOf(userId: string): Promise<Preferences> {
		const rows = await this.select<{ type: string; in_app: boolean }>(
			`SELECT type, in_app FROM ${this.preferences} WHERE user_id = $1`,
			[userId]
		);
		const set = new Map(rows.map(r => [r.type, r.in_app]));
		return Object.fromEntries(NOTIFICATION_TYPES.map(type => [type, { inApp: set.get(type) ?? DEFAULT_IN_APP }])) as Preferences;
	}

	async setPreferences(userId: string, preferences: Partial<Preferences>): Promise<void> {
		// The declared types only, own keys only: nothing else in the params reaches the table.
		const entries = NOTIFICATION_TYPES.filter(type => Object.hasOwn(preferences, type)).map(type => [type, preferences[type]] as const);
		if (!entries.length) return;
		await this.sequelize.query(
			`INSERT INTO ${this.preferences} (user_id, type, in_app)
			 SELECT $1, t.type, t.in_app FROM unnest($2::text[], $3::boolean[]) AS t(type, in_app)
			 ON CONFLICT (user_id, type) DO UPDATE SET in_app = excluded.in_app`,
			{ bind: [userId, entries.map(([type]) => type), entries.map(([, p]) => p!.inApp)] }
		);
	}

	async mutedGroups(userId: string): Promise<string[]> {
		const rows = await this.select<{ group_id: string }>(`SELECT group_id FROM ${this.mutes} WHERE user_id = $1 ORDER BY created_at`, [
			userId
		]);
		return rows.map(r => r.group_id);
	}

	async setGroupMute(userId: string, groupId: string, muted: boolean): Promise<void> {
		await this.sequelize.query(
			muted
				? `INSERT INTO ${this.mutes} (user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`
				: `DELETE FROM ${this.mutes} WHERE user_id = $1 AND group_id = $2`,
			{ bind: [userId, groupId] }
		);
	}

	/** The user's account is gone: so are their notifications, preferences and mutes. */
	async forgetUser(transaction: Transaction, userId: string): Promise<void> {
		for (const table of [this.notifications, this.preferences, this.mutes]) {
			const column = table === this.notifications ? "recipient_id" : "user_id";
			await this.sequelize.query(`DELETE FROM ${table} WHERE ${column} = $1`, { bind: [userId], transaction });
		}
	}
}
