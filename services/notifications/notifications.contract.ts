/**
 * The notifications service's contract: what other services may call and listen to. Other
 * services import this file, never the service's other files. It produces no domain events.
 */
import type { ActionSpec } from "../../lib/contracts";
import type {
	GroupMuteParams,
	IdParams,
	ListParams,
	NotificationCreatedEvent,
	NotificationView,
	Page,
	Preferences,
	PreferencesParams,
	ReadAllParams,
	SinceParams
} from "./notifications.types";

export type { NotificationCreatedEvent, NotificationView, SinceParams } from "./notifications.types";

/** A notification with its recipient, as the gateways' streams get it. */
export type StoredNotification = NotificationView & { recipientId: string };

type NoParams = Record<string, never>;

export interface NotificationsActions {
	"notifications.list": ActionSpec<ListParams, Page<NotificationView>>;
	"notifications.unreadCount": ActionSpec<NoParams, { count: number }>;
	"notifications.markRead": ActionSpec<IdParams, NotificationView>;
	"notifications.markAllRead": ActionSpec<ReadAllParams, { updated: number }>;
	"notifications.getPreferences": ActionSpec<NoParams, Preferences>;
	"notifications.updatePreferences": ActionSpec<PreferencesParams, Preferences>;
	"notifications.mutedGroups": ActionSpec<NoParams, { groupIds: string[] }>;
	"notifications.muteGroup": ActionSpec<GroupMuteParams, null>;
	"notifications.unmuteGroup": ActionSpec<GroupMuteParams, null>;
	/** For the gateways' streams: what a user missed after a notification (SSE resume). */
	"notifications.since": ActionSpec<SinceParams, StoredNotification[]>;
}

/** Moleculer events it broadcasts (not durable: the inbox is the record): name → params. */
export interface NotificationsBroadcasts {
	"notification.created": NotificationCreatedEvent;
}
