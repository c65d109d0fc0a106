import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, UniqueConstraintError, type Transaction, type WhereOptions } from "sequelize";
import type { Config } from "../../config";
import type { AuthUser, RequestMeta } from "../../lib/auth-types";
import { allows, authorize, dependsOn, type DomainAction, type Facts } from "../../lib/authorization";
import { UnauthorizedError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { ownFields } from "../../lib/fields";
import type { EventTypeOf, NewCatalogueEvent } from "../../lib/contracts";
import { pageOf } from "../../lib/page";
import { CacheCleanerMixin } from "../../mixins/cache-cleaner.mixin";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin } from "../../mixins/db.mixin";
import { OutboxMixin } from "../../mixins/outbox/outbox.mixin";
import { call, EVENT_TOPOLOGY } from "../contracts";
import type { PostSummary } from "../posts/posts.contract";
import { GROUPS_SUBSCRIPTION } from "./groups.subscription";
import { GroupNameTakenError, GroupNotFoundError } from "./groups.errors";
import type { GroupEventBase, GroupsEvents } from "./groups.contract";
import type { GroupEventDetails, GroupsMethods, GroupsVars, LockedGroup } from "./groups.internals";
import { defineGroupModel, type GroupModel } from "./groups.model";
import {
	booleanResponse,
	type CanParams,
	GROUP_ROLES,
	canParams,
	type CreateGroupParams,
	createGroupParams,
	type GroupPageParams,
	groupPageParams,
	groupPageSchema,
	type GroupParams,
	groupParams,
	type GroupRole,
	type GroupView,
	groupViewSchema,
	idsResponse,
	type ListGroupsParams,
	listGroupsParams,
	type MemberIdsParams,
	memberIdsParams,
	type Membership,
	type MembershipParams,
	membershipParams,
	membershipSchema,
	NO_CONTENT,
	type Page,
	postPageSchema,
	type UpdateGroupParams,
	updateGroupParams
} from "./groups.types";
import { InvitationsAndRequestsMixin } from "./invitations.mixin";
import { forgetDeletedUser, type GroupsInternals } from "./lifecycle";
import { GroupMembersMixin } from "./members.mixin";
import { Memberships } from "./memberships";
import { migrations } from "./migrations";

type Ctx<P> = Context<P, RequestMeta>;

const SERVICE = "groups";

/** Group details and permission checks: hot reads, dropped from the cache on every change. */
const CACHED_READS = ["get", "can", "membership"];
const CACHE_TTL_S = 300;

function nameTaken(err: unknown): Error {
	if (err instanceof UniqueConstraintError && (err.parent as { constraint?: string }).constraint === "groups_name_key")
		return new GroupNameTakenError();
	return err as Error;
}

/** Study groups: membership, roles, join policies, and the permissions other services ask about. */
export function groupsService(c: Config): ServiceSchema<ServiceSettingSchema, GroupsMethods, GroupsVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			GroupMembersMixin as Partial<ServiceSchema>,
			InvitationsAndRequestsMixin as Partial<ServiceSchema>,
			CacheCleanerMixin(SERVICE),
			OutboxMixin({ service: SERVICE, config: c, topology: EVENT_TOPOLOGY }),
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: GROUPS_SUBSCRIPTION,
				handlers: {
					"user.deleted"(this: GroupsInternals, event, transaction) {
						return forgetDeletedUser(this, event, transaction);
					}
				}
			}),
			DbMixin({ service: SERVICE, config: c, migrations, defineModel: defineGroupModel })
		],

		actions: {
			/** Creates a group; its creator is its owner. */
			create: {
				http: "POST /groups",
				visibility: "published",
				auth: "required",
				params: createGroupParams,
				response: groupViewSchema,
				async handler(ctx: Ctx<CreateGroupParams>): Promise<GroupView> {
					const ownerId = ctx.meta.user!.id;
					const { name, description, visibility, joinPolicy } = ctx.params;
					const group = await this.sequelize
						.transaction(async transaction => {
							const created = await this.model.create(
								{ name, description, visibility, joinPolicy, createdBy: ownerId },
								{ transaction }
							);
							await this.memberships.add(transaction, created.id, ownerId, "owner");
							await this.record({ group: created, transaction }, "group.created", ownerId, {
								ownerId,
								joinPolicy: created.joinPolicy
							});
							return created.reload({ transaction });
						})
						.catch(err => Promise.reject(nameTaken(err)));
					ctx.meta.$statusCode = 201;
					ctx.meta.$location = `/api/groups/${group.id}`;
					return this.view(group, "owner", [ownerId]);
				}
			},

			/** Public groups and the caller's own; searchable; `mine` for only the caller's. */
			list: {
				http: "GET /groups",
				visibility: "published",
				auth: "optional",
				params: listGroupsParams,
				response: groupPageSchema,
				...READ,
				async handler(ctx: Ctx<ListGroupsParams>): Promise<Page<GroupView>> {
					const { q, mine, page, pageSize } = ctx.params;
					const callerId = ctx.meta.user?.id ?? null;
					if (mine && !callerId) throw new UnauthorizedError();
					const myGroups = callerId
						? {
								id: {
									[Op.in]: this.sequelize.literal(
										`(SELECT group_id FROM "${SERVICE}".memberships WHERE user_id = ${this.sequelize.escape(callerId)})`
									)
								}
							}
						: undefined;
					const visible: WhereOptions = mine
						? myGroups!
						: myGroups
							? { [Op.or]: [{ visibility: "public" }, myGroups] }
							: { visibility: "public" };
					const pattern = q ? `%${q.replace(/[\\%_]/g, ch => `\\${ch}`)}%` : undefined;
					const matches = pattern
						? { [Op.or]: [{ name: { [Op.iLike]: pattern } }, { description: { [Op.iLike]: pattern } }] }
						: {};
					const { rows, count } = await this.model.findAndCountAll({
						where: { [Op.and]: [visible, matches] },
						order: [
							["memberCount", "DESC"],
							["createdAt", "DESC"],
							["id", "ASC"]
						],
						limit: pageSize,
						offset: (page - 1) * pageSize
					});
					return pageOf(await this.views(rows, callerId), count, page, pageSize);
				}
			},

			/** One group with the caller's role; private groups only to members and invitees. */
			get: {
				http: "GET /groups/:id",
				visibility: "published",
				auth: "optional",
				params: groupParams,
				response: groupViewSchema,
				cache: { keys: ["id", "#user.id"], ttl: CACHE_TTL_S },
				...READ,
				async handler(ctx: Ctx<GroupParams>): Promise<GroupView> {
					const { group, role } = await this.readable(ctx, ctx.params.id, "group.view");
					return this.view(group, role, (await this.memberships.ownersOf([group.id])).get(group.id)!);
				}
			},

			/** Owners and admins edit name, description, visibility and join policy. */
			update: {
				http: "PATCH /groups/:id",
				visibility: "published",
				auth: "required",
				params: updateGroupParams,
				response: groupViewSchema,
				async handler(ctx: Ctx<UpdateGroupParams>): Promise<GroupView> {
					const { id } = ctx.params;
					const values = ownFields(ctx.params, ["name", "description", "visibility", "joinPolicy"]);
					const group = await this.change(ctx, "group.edit", async locked => {
						const changed = (Object.keys(values) as (keyof typeof values)[]).filter(k => values[k] !== locked.group[k]);
						if (!changed.length) return locked.group;
						await locked.group.update(values, { transaction: locked.transaction });
						await this.record(locked, "group.updated", locked.callerId, { changed });
						return locked.group;
					}).catch(err => Promise.reject(nameTaken(err)));
					const role = await this.memberships.roleOf(id, ctx.meta.user!.id);
					return this.view(group, role, (await this.memberships.ownersOf([id])).get(id)!);
				}
			},

			/** Owners delete the group; the posts service handles its posts on `group.deleted`. */
			remove: {
				http: "DELETE /groups/:id",
				visibility: "published",
				auth: "required",
				params: groupParams,
				response: NO_CONTENT,
				async handler(ctx: Ctx<GroupParams>) {
					await this.change(ctx, "group.delete", async locked => {
						const memberIds = await this.memberships.memberIds(locked.group.id, undefined, locked.transaction);
						await this.record(locked, "group.deleted", locked.callerId, { memberIds, reason: "deleted" });
						await locked.group.destroy({ transaction: locked.transaction });
					});
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			/** The group's discussion feed: its published posts, from the posts service. */
			posts: {
				http: "GET /groups/:id/posts",
				visibility: "published",
				auth: "optional",
				params: groupPageParams,
				response: postPageSchema,
				...READ,
				async handler(ctx: Ctx<GroupPageParams>): Promise<Page<PostSummary>> {
					const { id, page, pageSize } = ctx.params;
					await this.readable(ctx, id, "group.readContent");
					return call(ctx, "posts.list", { group: id, page, pageSize });
				}
			},

			/** For other services: may this user (null: anonymous) do this in the group? */
			can: {
				visibility: "public",
				params: canParams,
				response: booleanResponse,
				cache: { keys: ["groupId", "userId", "permission"], ttl: CACHE_TTL_S },
				...READ,
				async handler(ctx: Ctx<CanParams>): Promise<boolean> {
					const { groupId, userId, permission } = ctx.params;
					const group = await this.model.findByPk(groupId);
					return Boolean(group) && allows(permission, group!.visibility, await this.memberships.roleOf(groupId, userId));
				}
			},

			/** For other services (notifications): who is in the group, optionally only these roles. */
			memberIds: {
				visibility: "public",
				params: memberIdsParams,
				response: idsResponse,
				...READ,
				async handler(ctx: Ctx<MemberIdsParams>): Promise<string[]> {
					return this.memberships.memberIds(ctx.params.groupId, ctx.params.roles ?? [...GROUP_ROLES]);
				}
			},

			/** For other services: the user's role in the group (404 if the group does not exist). */
			membership: {
				visibility: "public",
				params: membershipParams,
				response: membershipSchema,
				cache: { keys: ["groupId", "userId"], ttl: CACHE_TTL_S },
				...READ,
				async handler(ctx: Ctx<MembershipParams>): Promise<Membership> {
					const { groupId, userId } = ctx.params;
					const group = await this.model.findByPk(groupId);
					if (!group) throw new GroupNotFoundError();
					return { groupId, userId, role: await this.memberships.roleOf(groupId, userId), visibility: group.visibility };
				}
			}
		},

		methods: {
			view(group: GroupModel, myRole: GroupRole | null, ownerIds: string[]): GroupView {
				return {
					id: group.id,
					name: group.name,
					description: group.description,
					visibility: group.visibility,
					joinPolicy: group.joinPolicy,
					ownerIds,
					memberCount: group.memberCount,
					myRole,
					createdAt: group.createdAt.toISOString(),
					updatedAt: group.updatedAt.toISOString()
				};
			},

			async views(groups: GroupModel[], callerId: string | null): Promise<GroupView[]> {
				const ids = groups.map(g => g.id);
				const [roles, owners] = await Promise.all([this.memberships.rolesOf(callerId, ids), this.memberships.ownersOf(ids)]);
				return groups.map(g => this.view(g, roles.get(g.id) ?? null, owners.get(g.id)!));
			},

			/**
			 * Decides the action on the group by the authorization table, with the caller's role read
			 * (in the transaction, if given) and, only where the rule needs it, their invitation; throws
			 * the refusal (404 to whoever may not know the group exists, else 403). The caller's role.
			 */
			async decideOn(
				group: GroupModel,
				caller: AuthUser | null,
				action: DomainAction,
				transaction?: Transaction
			): Promise<GroupRole | null> {
				const role = await this.memberships.roleOf(group.id, caller?.id ?? null, transaction);
				const invited =
					!role &&
					caller !== null &&
					dependsOn(action, "invitee") &&
					(await this.memberships.hasPending("invitations", group.id, caller.id, transaction));
				const facts: Facts = { caller, relations: invited ? ["invitee"] : [], group: { visibility: group.visibility, role } };
				authorize(action, facts, { hidden: () => new GroupNotFoundError() });
				return role;
			},

			/** The group and the caller's role, if the caller may do the action (a read). */
			async readable(ctx: Ctx<unknown>, groupId: string, action: DomainAction) {
				const group = await this.model.findByPk(groupId);
				if (!group) throw new GroupNotFoundError();
				return { group, role: await this.decideOn(group, ctx.meta.user ?? null, action) };
			},

			/**
			 * Runs a change with the group row locked (`FOR UPDATE`): changes to one group run one
			 * at a time, so every check inside sees the state the change commits on. The caller's
			 * role is read and the action decided under the lock too. Cached reads of the group are
			 * dropped after commit.
			 */
			async change<T>(ctx: Ctx<{ id: string }>, action: DomainAction, work: (locked: LockedGroup) => Promise<T>): Promise<T> {
				const caller = ctx.meta.user!;
				const result = await this.sequelize.transaction(async transaction => {
					const group = await this.model.findByPk(ctx.params.id, { transaction, lock: transaction.LOCK.UPDATE });
					if (!group) throw new GroupNotFoundError();
					const role = await this.decideOn(group, caller, action, transaction);
					return work({ group, role, callerId: caller.id, transaction });
				});
				await this.forgetGroup(ctx.params.id);
				return result;
			},

			/** Records a `group.*` event in the change's transaction, with the fields every one carries. */
			async record<K extends EventTypeOf<GroupsEvents>>(
				{ group, transaction }: Pick<LockedGroup, "group" | "transaction">,
				type: K,
				actorId: string | null,
				payload: GroupEventDetails<K>
			) {
				const base: GroupEventBase = { groupId: group.id, name: group.name, visibility: group.visibility };
				await this.recordEvent<K>(transaction, {
					type,
					aggregateId: group.id,
					actorId,
					payload: { ...base, ...payload } as GroupsEvents[K]
				} as NewCatalogueEvent<GroupsEvents, K>);
			},

			async forgetGroup(groupId: string) {
				if (!this.broker.cacher) return;
				const prefixes = CACHED_READS.map(action =>
					this.cacheKey(action, action === "get" ? ["id"] : ["groupId"], { id: groupId, groupId })
				);
				await this.cleanCache(
					[],
					prefixes.map(p => `${p}**`)
				);
			}
		},

		async started() {
			this.memberships = new Memberships(this.sequelize, SERVICE);
		}
	};
}
