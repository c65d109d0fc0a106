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

export type Preferences = Record<NotificationType, { inApp: boolean }>;

export interface NotificationView {
	id: string;
	type: NotificationType;
	/** Why the recipient gets it, e.g. "you moderate this group". */
	reason: string;
	actorId: string | null;
	subject: { kind: "user" | "group" | "post" | "contest"; id: string };
	groupId: string | null;
	title: string;
	body: string;
	/** Where the client takes the user, a path of the web app. */
	link: string;
	read: boolean;
	createdAt: string;
}

// --- Action params ---

const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

export interface ListParams {
	unread?: boolean;
	page: number;
	pageSize: number;
}
export const listParams = { $$strict: true, unread: { type: "boolean", convert: true, optional: true }, page, pageSize };

export interface IdParams {
	id: string;
}
export const idParams = { $$strict: true, id: { type: "uuid" } };

export interface ReadAllParams {
	before?: Date;
}
export const readAllParams = { $$strict: true, before: { type: "date", convert: true, optional: true } };

export type PreferencesParams = Partial<Preferences>;
export const preferencesParams = {
	$$strict: true,
	...Object.fromEntries(
		NOTIFICATION_TYPES.map(type => [type, { type: "object", strict: true, optional: true, props: { inApp: { type: "boolean" } } }])
	)
};

export interface GroupMuteParams {
	groupId: string;
}
export const groupMuteParams = { $$strict: true, groupId: { type: "uuid" } };

export interface SinceParams {
	userId: string;
	/** The last notification the client saw (SSE Last-Event-ID). */
	afterId: string;
}
export const sinceParams = { $$strict: true, userId: { type: "uuid" }, afterId: { type: "uuid" } };

/** Broadcast after commit for the gateways' streams (not durable: the inbox is the record). */
export interface NotificationCreatedEvent {
	notifications: (NotificationView & { recipientId: string })[];
}
