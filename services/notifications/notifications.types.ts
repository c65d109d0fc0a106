import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";

export type { Page } from "../../lib/page";

/** Every kind of notification (named after the event that causes it); each can be muted. */
export const NOTIFICATION_TYPES = [
	"user.created",
	"group.invitation.created",
	"group.request.created",
	"group.request.approved",
	"group.request.rejected",
	"group.member.joined",
	"group.member.left",
	"group.member.removed",
	"group.member.role_changed",
	"group.deleted",
	"post.published",
	"post.commented",
	"post.reacted",
	"contest.created",
	"contest.started",
	"contest.ended"
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Every type is on (in the app) until the user turns it off. */
export const DEFAULT_IN_APP = true;

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

/** One rule per notification type, each its own object (a shared one would vanish from an INFO packet). */
type PerType<R> = { readonly [T in NotificationType]: R };
function perType<R>(rule: () => R): PerType<R> {
	return Object.fromEntries(NOTIFICATION_TYPES.map(type => [type, rule()])) as PerType<R>;
}

/** Every notification type with whether it reaches the user in the app. */
export const preferencesSchema = {
	$$strict: true,
	...perType(() => ({ type: "object", strict: true, props: { inApp: { type: "boolean" } } }) as const)
} as const;
export type Preferences = Infer<typeof preferencesSchema>;

export const SUBJECT_KINDS = ["user", "group", "post", "contest"] as const;

/** One notification in its recipient's inbox (the columns of `notifications.notifications`). */
export const notificationViewSchema = {
	$$strict: true,
	id: { type: "uuid" },
	type: { type: "enum", values: NOTIFICATION_TYPES },
	/** Why the recipient gets it, e.g. "you moderate this group". */
	reason: { type: "string", max: 200 },
	actorId: { type: "uuid", nullable: true },
	subject: { type: "object", strict: true, props: { kind: { type: "enum", values: SUBJECT_KINDS }, id: { type: "uuid" } } },
	groupId: { type: "uuid", nullable: true },
	title: { type: "string", max: 300 },
	body: { type: "string", max: 500 },
	/** Where the client takes the user, a path of the web app. */
	link: { type: "string", max: 300 },
	read: { type: "boolean" },
	createdAt: isoDateTime
} as const;
export type NotificationView = Infer<typeof notificationViewSchema>;

export const notificationPageSchema = pageSchema(notificationViewSchema);
export type NotificationPage = Infer<typeof notificationPageSchema>;

/** A notification with its recipient, as the gateways' streams get it. */
export const storedNotificationSchema = { ...notificationViewSchema, recipientId: { type: "uuid" } } as const;
export type StoredNotification = Infer<typeof storedNotificationSchema>;

/** `notifications.since`: the notifications after one, oldest first. */
export const storedNotificationsSchema = {
	$$root: true,
	type: "array",
	items: { type: "object", props: storedNotificationSchema }
} as const;

const count = { type: "number", integer: true, min: 0 } as const;

export const unreadCountSchema = { $$strict: true, count } as const;
export type UnreadCount = Infer<typeof unreadCountSchema>;

export const readAllResultSchema = { $$strict: true, updated: count } as const;
export type ReadAllResult = Infer<typeof readAllResultSchema>;

export const mutedGroupsSchema = { $$strict: true, groupIds: { type: "array", items: { type: "uuid" } } } as const;
export type MutedGroups = Infer<typeof mutedGroupsSchema>;

/** No body at all (204). */
export const NO_CONTENT = null;

// --- Action params: one schema each; the params types are derived from them ---

const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

export const listParams = { $$strict: true, unread: { type: "boolean", convert: true, optional: true }, page, pageSize } as const;
export type ListParams = Infer<typeof listParams>;

export const idParams = { $$strict: true, id: { type: "uuid" } } as const;
export type IdParams = Infer<typeof idParams>;

export const readAllParams = { $$strict: true, before: { type: "date", convert: true, optional: true } } as const;
export type ReadAllParams = Infer<typeof readAllParams>;

/** The types to change, and only those. */
export const preferencesParams = {
	$$strict: true,
	...perType(() => ({ type: "object", strict: true, optional: true, props: { inApp: { type: "boolean" } } }) as const)
} as const;
export type PreferencesParams = Infer<typeof preferencesParams>;

export const groupMuteParams = { $$strict: true, groupId: { type: "uuid" } } as const;
export type GroupMuteParams = Infer<typeof groupMuteParams>;

export const sinceParams = {
	$$strict: true,
	userId: { type: "uuid" },
	/** The last notification the client saw (SSE Last-Event-ID). */
	afterId: { type: "uuid" }
} as const;
export type SinceParams = Infer<typeof sinceParams>;

/** Broadcast after commit for the gateways' streams (not durable: the inbox is the record). */
export interface NotificationCreatedEvent {
	notifications: StoredNotification[];
}
