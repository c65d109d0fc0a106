import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Transaction } from "sequelize";
import type { Config } from "../../config";
import type { RequestMeta } from "../../lib/auth-types";
import { NotFoundError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { pageOf } from "../../lib/page";
import { CacheCleanerMixin, type CacheCleanerMethods } from "../../mixins/cache-cleaner.mixin";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin, type DbMethods } from "../../mixins/db.mixin";
import { call, EVENT_TOPOLOGY } from "../contracts";
import type { GroupRole } from "../groups/groups.contract";
import { migrations } from "./migrations";
import { NotificationStore, type StoredNotification } from "./notification-store";
import {
	type GroupMuteParams,
	groupMuteParams,
	type IdParams,
	idParams,
	type ListParams,
	listParams,
	type MutedGroups,
	mutedGroupsSchema,
	NO_CONTENT,
	type NotificationCreatedEvent,
	type NotificationPage,
	notificationPageSchema,
	type NotificationView,
	notificationViewSchema,
	type Preferences,
	type PreferencesParams,
	preferencesParams,
	preferencesSchema,
	type ReadAllParams,
	readAllParams,
	type ReadAllResult,
	readAllResultSchema,
	type SinceParams,
	sinceParams,
	storedNotificationsSchema,
	type UnreadCount,
	unreadCountSchema
} from "./notifications.types";
import { type HeardEvent, NOTIFICATIONS_SUBSCRIPTION } from "./notifications.subscription";
import { type Audience, audiencesOf } from "./recipients";

type Ctx<P> = Context<P, RequestMeta>;

interface NotificationsVars extends DbMethods {
	store: NotificationStore;
}

interface NotificationsMethods extends CacheCleanerMethods {
	recipientsOf(event: HeardEvent): Promise<Audience[]>;
	notify(event: HeardEvent, transaction: Transaction, audiences: Audience[]): Promise<void>;
	forgetUnreadCounts(userIds: string[]): Promise<void>;
}

const SERVICE = "notifications";

/** The inbox without the recipient (it is the caller). */
const own = ({ recipientId: _, ...view }: StoredNotification): NotificationView => view;

/** Turns domain events into the right people's notifications; the inbox, preferences and mutes. */
export function notificationsService(c: Config): ServiceSchema<ServiceSettingSchema, NotificationsMethods, NotificationsVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			CacheCleanerMixin(SERVICE),
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: NOTIFICATIONS_SUBSCRIPTION,
				handlers: {
					"#": {
						prepare(this: NotificationsMethods, event) {
							return this.recipientsOf(event);
						},
						handle(this: NotificationsMethods, event, transaction, audiences) {
							return this.notify(event, transaction, audiences as Audience[]);
						}
					}
				}
			}),
			DbMixin({ service: SERVICE, config: c, migrations })
		],

		actions: {
			/** The caller's notifications, newest first; `unread` for the unread ones only. */
			list: {
				http: "GET /notifications",
				visibility: "published",
				auth: "required",
				params: listParams,
				response: notificationPageSchema,
				...READ,
				async handler(ctx: Ctx<ListParams>): Promise<NotificationPage> {
					const { unread, page, pageSize } = ctx.params;
					const { rows, total } = await this.store.page(ctx.meta.user!.id, Boolean(unread), page, pageSize);
					return pageOf(rows.map(own), total, page, pageSize);
				}
			},

			unreadCount: {
				http: "GET /notifications/unread-count",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: unreadCountSchema,
				cache: { keys: ["#user.id"] },
				...READ,
				async handler(ctx: Ctx<Record<string, never>>): Promise<UnreadCount> {
					return { count: await this.store.unreadCount(ctx.meta.user!.id) };
				}
			},

			/** Marks one of the caller's notifications read (someone else's is 404). */
			markRead: {
				http: "POST /notifications/:id/read",
				visibility: "published",
				auth: "required",
				params: idParams,
				response: notificationViewSchema,
				async handler(ctx: Ctx<IdParams>): Promise<NotificationView> {
					const userId = ctx.meta.user!.id;
					const notification = await this.store.markRead(userId, ctx.params.id);
					if (!notification) throw new NotFoundError("Notification");
					await this.forgetUnreadCounts([userId]);
					return own(notification);
				}
			},

			/** Marks read what the caller had up to `before` (default: now); newer ones stay unread. */
			markAllRead: {
				http: "POST /notifications/read-all",
				visibility: "published",
				auth: "required",
				params: readAllParams,
				response: readAllResultSchema,
				async handler(ctx: Ctx<ReadAllParams>): Promise<ReadAllResult> {
					const userId = ctx.meta.user!.id;
					const updated = await this.store.markAllRead(userId, ctx.params.before ?? new Date());
					await this.forgetUnreadCounts([userId]);
					return { updated };
				}
			},

			getPreferences: {
				http: "GET /notifications/preferences",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: preferencesSchema,
				...READ,
				async handler(ctx: Ctx<Record<string, never>>): Promise<Preferences> {
					return this.store.preferencesOf(ctx.meta.user!.id);
				}
			},

			/** Changes the listed types only; a type turned off creates nothing for the caller. */
			updatePreferences: {
				http: "PUT /notifications/preferences",
				visibility: "published",
				auth: "required",
				params: preferencesParams,
				response: preferencesSchema,
				async handler(ctx: Ctx<PreferencesParams>): Promise<Preferences> {
					await this.store.setPreferences(ctx.meta.user!.id, ctx.params);
					return this.store.preferencesOf(ctx.meta.user!.id);
				}
			},

			mutedGroups: {
				http: "GET /notifications/mutes",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: mutedGroupsSchema,
				...READ,
				async handler(ctx: Ctx<Record<string, never>>): Promise<MutedGroups> {
					return { groupIds: await this.store.mutedGroups(ctx.meta.user!.id) };
				}
			},

			/** Nothing from this group's activity reaches the caller until unmuted. */
			muteGroup: {
				http: "PUT /notifications/mutes/groups/:groupId",
				visibility: "published",
				auth: "required",
				params: groupMuteParams,
				response: NO_CONTENT,
				async handler(ctx: Ctx<GroupMuteParams>) {
					await this.store.setGroupMute(ctx.meta.user!.id, ctx.params.groupId, true);
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			unmuteGroup: {
				http: "DELETE /notifications/mutes/groups/:groupId",
				visibility: "published",
				auth: "required",
				params: groupMuteParams,
				response: NO_CONTENT,
				async handler(ctx: Ctx<GroupMuteParams>) {
					await this.store.setGroupMute(ctx.meta.user!.id, ctx.params.groupId, false);
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			/** For the gateways' streams: what a user missed after a notification (SSE resume). */
			since: {
				visibility: "public",
				params: sinceParams,
				response: storedNotificationsSchema,
				...READ,
				async handler(ctx: Ctx<SinceParams>): Promise<StoredNotification[]> {
					return this.store.since(ctx.params.userId, ctx.params.afterId);
				}
			}
		},

		methods: {
			/** Who hears of the event, asked of the owning services before the transaction (a failure retries the event). */
			recipientsOf(event: HeardEvent): Promise<Audience[]> {
				return audiencesOf(event, {
					groupMembers: (groupId: string, roles?: GroupRole[]) => call(this.broker, "groups.memberIds", { groupId, roles }),
					contestRanks: (contestId: string) => call(this.broker, "contests.ranks", { id: contestId })
				});
			},

			/**
			 * One event, in the consumer's transaction: its notifications (once, whatever the
			 * redeliveries), then, after commit, a broadcast for the live streams.
			 */
			async notify(event: HeardEvent, transaction: Transaction, audiences: Audience[]) {
				if (event.type === "user.deleted") {
					await this.store.forgetUser(transaction, event.payload.userId);
					return;
				}
				const created: StoredNotification[] = [];
				for (const audience of audiences) created.push(...(await this.store.fanOut(transaction, event, audience)));
				if (!created.length) return;
				transaction.afterCommit(async () => {
					await this.forgetUnreadCounts([...new Set(created.map(n => n.recipientId))]);
					await this.broker.broadcast("notification.created", { notifications: created } satisfies NotificationCreatedEvent);
				});
			},

			async forgetUnreadCounts(userIds: string[]) {
				if (!this.broker.cacher) return;
				await this.cleanCache(
					userIds.map(id => this.cacheKey("unreadCount", ["#user.id"], {}, { user: { id } })),
					[]
				);
			}
		},

		async started() {
			this.store = new NotificationStore(this.sequelize, SERVICE);
		}
	};
}
