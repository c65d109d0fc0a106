/**
 * The notifications service's contract: what other services may call and listen to. Other
 * services import this file, never the service's other files. It produces no domain events. The
 * parameter and response types are derived from the actions' schemas (notifications.types.ts,
 * docs/schemas.md).
 */
import type { ActionSpec } from "../../lib/contracts";
import type {
	GroupMuteParams,
	IdParams,
	ListParams,
	MutedGroups,
	NotificationCreatedEvent,
	NotificationPage,
	NotificationView,
	Preferences,
	PreferencesParams,
	ReadAllParams,
	ReadAllResult,
	SinceParams,
	StoredNotification,
	UnreadCount
} from "./notifications.types";

export type { NotificationCreatedEvent, NotificationView, SinceParams, StoredNotification } from "./notifications.types";

type NoParams = Record<string, never>;

export interface NotificationsActions {
	"notifications.list": ActionSpec<ListParams, NotificationPage>;
	"notifications.unreadCount": ActionSpec<NoParams, UnreadCount>;
	"notifications.markRead": ActionSpec<IdParams, NotificationView>;
	"notifications.markAllRead": ActionSpec<ReadAllParams, ReadAllResult>;
	"notifications.getPreferences": ActionSpec<NoParams, Preferences>;
	"notifications.updatePreferences": ActionSpec<PreferencesParams, Preferences>;
	"notifications.mutedGroups": ActionSpec<NoParams, MutedGroups>;
	"notifications.muteGroup": ActionSpec<GroupMuteParams, null>;
	"notifications.unmuteGroup": ActionSpec<GroupMuteParams, null>;
	/** For the gateways' streams: what a user missed after a notification (SSE resume). */
	"notifications.since": ActionSpec<SinceParams, StoredNotification[]>;
}

/** Moleculer events it broadcasts (not durable: the inbox is the record): name → params. */
export interface NotificationsBroadcasts {
	"notification.created": NotificationCreatedEvent;
}
