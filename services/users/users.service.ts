import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, type Transaction } from "sequelize";
import type { Config } from "../../config";
import { accessTokenKeys } from "../../lib/access-token";
import type { RequestMeta } from "../../lib/auth-types";
import { createCounterStore } from "../../lib/counter-store";
import { ConflictError, NotFoundError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { ownFields } from "../../lib/fields";
import { pageOf } from "../../lib/page";
import { purgeResponses, shareResponse } from "../../lib/http-cache";
import { fieldsOf } from "../../lib/validation/infer";
import { CacheCleanerMixin } from "../../mixins/cache-cleaner.mixin";
import { DbMixin } from "../../mixins/db.mixin";
import { OutboxMixin } from "../../mixins/outbox/outbox.mixin";
import { EVENT_TOPOLOGY } from "../contracts";
import { AuthMixin } from "./auth.mixin";
import { hashingLanes } from "./hashing-lanes";
import { LoginThrottle } from "./login-throttle";
import { migrations } from "./migrations";
import { RegistrationThrottle } from "./registration-throttle";
import { SessionStore } from "./sessions";
import { SessionExpiredError } from "./users.errors";
import type { UsersMethods, UsersVars } from "./users.internals";
import { defineUserModel, type UserModel } from "./users.model";
import {
	booleanResponse,
	DEFAULT_PREFERENCES,
	type ExistsParams,
	existsParams,
	type ListParams,
	listParams,
	type LookupParams,
	lookupParams,
	NO_CONTENT,
	type OwnProfile,
	ownProfilePageSchema,
	ownProfileSchema,
	type Page,
	type People,
	peopleSchema,
	type Preferences,
	type PreferencesParams,
	preferencesParams,
	preferencesSchema,
	type ProfileParams,
	profileParams,
	type PublicProfile,
	publicProfileSchema,
	type SetRoleParams,
	setRoleParams,
	type UpdateProfileParams,
	updateProfileParams
} from "./users.types";

type Ctx<P> = Context<P, RequestMeta>;

const SERVICE = "users";
/** As long as the cacher keeps an entry (moleculer.config.ts): a gateway's copy outlives no cached profile. */
const PROFILE_TTL_S = 300;
const profileTag = (userId: string) => `profile:${userId}`;

/**
 * The only fields a user may write on their profile and preferences, the fields of their
 * parameter schemas: copied by name, never params whole.
 */
const PROFILE_FIELDS = fieldsOf(updateProfileParams);
const PREFERENCE_FIELDS = fieldsOf(preferencesParams);

/** A private profile is hidden from everyone: 404 on the profile route, absent from lookups. */
const isPrivate = (user: UserModel) => ({ ...DEFAULT_PREFERENCES, ...user.preferences }).profileVisibility === "private";

/** Accounts, sessions and profiles; the only service that knows passwords (as hashes). */
export function usersService(c: Config): ServiceSchema<ServiceSettingSchema, UsersMethods, UsersVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			AuthMixin(c) as Partial<ServiceSchema>,
			CacheCleanerMixin(SERVICE),
			OutboxMixin({ service: SERVICE, config: c, topology: EVENT_TOPOLOGY }),
			DbMixin({ service: SERVICE, config: c, migrations, defineModel: defineUserModel })
		],

		actions: {
			me: {
				http: "GET /users/me",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: ownProfileSchema,
				...READ,
				async handler(ctx: Ctx<Record<string, never>>): Promise<OwnProfile> {
					return this.ownProfile(await this.findOwn(ctx));
				}
			},

			updateMe: {
				http: "PATCH /users/me",
				visibility: "published",
				auth: "required",
				params: updateProfileParams,
				response: ownProfileSchema,
				async handler(ctx: Ctx<UpdateProfileParams>): Promise<OwnProfile> {
					const user = await this.findOwn(ctx);
					const values = ownFields(ctx.params, PROFILE_FIELDS);
					const changed = Object.keys(values);
					if (changed.length) {
						await this.updateUser(user, values, changed, user.id);
						await this.forgetProfiles([user.id], ctx);
					}
					return this.ownProfile(user);
				}
			},

			getPreferences: {
				http: "GET /users/me/preferences",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: preferencesSchema,
				...READ,
				async handler(ctx: Ctx<Record<string, never>>): Promise<Preferences> {
					return this.ownProfile(await this.findOwn(ctx)).preferences;
				}
			},

			/** Replaces the preferences; fields left out return to their defaults. */
			updatePreferences: {
				http: "PUT /users/me/preferences",
				visibility: "published",
				auth: "required",
				params: preferencesParams,
				response: preferencesSchema,
				async handler(ctx: Ctx<PreferencesParams>): Promise<Preferences> {
					const user = await this.findOwn(ctx);
					await this.updateUser(
						user,
						{ preferences: { ...DEFAULT_PREFERENCES, ...ownFields(ctx.params, PREFERENCE_FIELDS) } },
						["preferences"],
						user.id
					);
					await this.forgetProfiles([user.id], ctx);
					return this.ownProfile(user).preferences;
				}
			},

			/** Deletes the account; other services forget the user on `user.deleted`. */
			deleteMe: {
				http: "DELETE /users/me",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: NO_CONTENT,
				async handler(ctx: Ctx<Record<string, never>>) {
					const user = await this.findOwn(ctx);
					const sessionIds = await this.sessions.idsOfUser(user.id);
					await this.sequelize.transaction(async transaction => {
						await user.destroy({ transaction });
						await this.recordEvent(transaction, {
							type: "user.deleted",
							aggregateId: user.id,
							actorId: user.id,
							payload: { userId: user.id, username: user.username }
						});
					});
					await Promise.all([this.forgetSessions(sessionIds), this.forgetProfiles([user.id], ctx)]);
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			/** A public profile by username; private profiles are 404 like unknown ones. */
			profile: {
				http: "GET /users/:username",
				visibility: "published",
				params: profileParams,
				response: publicProfileSchema,
				cache: { keys: ["username"] },
				...READ,
				async handler(ctx: Ctx<ProfileParams>): Promise<PublicProfile> {
					const user = await this.model.findOne({
						where: this.sequelize.where(
							this.sequelize.fn("lower", this.sequelize.col("username")),
							ctx.params.username.toLowerCase()
						)
					});
					if (!user || isPrivate(user)) throw new NotFoundError("User");
					// The same for every caller: the gateways keep it for anonymous readers, as long as this action's cache would.
					shareResponse(ctx, { tags: [profileTag(user.id)], ttlS: PROFILE_TTL_S });
					return this.publicProfile(user);
				}
			},

			/**
			 * Names and avatars of up to 100 people by id, for clients showing who wrote a post or a
			 * comment: what the profile route shows of them, so unknown, deleted and private ones are absent.
			 */
			lookup: {
				http: "GET /people",
				visibility: "published",
				params: lookupParams,
				response: peopleSchema,
				cache: { keys: ["ids"] },
				...READ,
				async handler(ctx: Ctx<LookupParams>): Promise<People> {
					const ids = [...new Set(ctx.params.ids.toLowerCase().split(","))];
					const users = await this.model.findAll({
						attributes: ["id", "username", "displayName", "avatarUrl", "preferences"],
						where: { id: ids }
					});
					return {
						rows: users
							.filter(user => !isPrivate(user))
							.map(user => ({
								id: user.id,
								username: user.username,
								displayName: user.displayName,
								avatarUrl: user.avatarUrl ?? null
							}))
					};
				}
			},

			/** Admins: every account, searchable by username, email or display name. */
			list: {
				http: "GET /users",
				visibility: "published",
				roles: ["admin"],
				params: listParams,
				response: ownProfilePageSchema,
				...READ,
				async handler(ctx: Ctx<ListParams>): Promise<Page<OwnProfile>> {
					const { q, page, pageSize } = ctx.params;
					const pattern = q ? `%${q.replace(/[\\%_]/g, c => `\\${c}`)}%` : undefined;
					const where = pattern
						? { [Op.or]: ["username", "email", "displayName"].map(f => ({ [f]: { [Op.iLike]: pattern } })) }
						: {};
					const { rows, count } = await this.model.findAndCountAll({
						where,
						order: [
							["createdAt", "DESC"],
							["id", "ASC"]
						],
						limit: pageSize,
						offset: (page - 1) * pageSize
					});
					return pageOf(
						rows.map(u => this.ownProfile(u)),
						count,
						page,
						pageSize
					);
				}
			},

			/** Admins: promote or demote. The last admin cannot be demoted. */
			setRole: {
				http: "PATCH /users/:id/role",
				visibility: "published",
				roles: ["admin"],
				params: setRoleParams,
				response: ownProfileSchema,
				async handler(ctx: Ctx<SetRoleParams>): Promise<OwnProfile> {
					const { id, role } = ctx.params;
					const user = await this.sequelize.transaction(async transaction => {
						// Lock the admins so two concurrent demotions cannot both pass the last-admin check.
						const admins = await this.model.findAll({ where: { role: "admin" }, lock: true, transaction });
						const target = await this.model.findByPk(id, { transaction, lock: true });
						if (!target) throw new NotFoundError("User");
						if (target.role === "admin" && role !== "admin" && admins.length <= 1) {
							throw new ConflictError("The last admin cannot be demoted", "LAST_ADMIN");
						}
						await target.update({ role }, { transaction });
						await this.recordUpdated(transaction, target, ["role"], ctx.meta.user!.id);
						return target;
					});
					await this.forgetSessions(await this.sessions.idsOfUser(user.id));
					return this.ownProfile(user);
				}
			},

			/** For other services (e.g. groups inviting someone): does this account exist? */
			exists: {
				visibility: "public",
				params: existsParams,
				response: booleanResponse,
				...READ,
				async handler(ctx: Ctx<ExistsParams>): Promise<boolean> {
					return (await this.model.count({ where: { id: ctx.params.id } })) > 0;
				}
			}
		},

		methods: {
			ownProfile(user: UserModel): OwnProfile {
				return {
					...this.publicProfile(user),
					email: user.email,
					role: user.role,
					preferences: { ...DEFAULT_PREFERENCES, ...user.preferences },
					updatedAt: user.updatedAt.toISOString()
				};
			},

			publicProfile(user: UserModel): PublicProfile {
				return {
					id: user.id,
					username: user.username,
					displayName: user.displayName,
					bio: user.bio,
					avatarUrl: user.avatarUrl ?? null,
					createdAt: user.createdAt.toISOString()
				};
			},

			async findOwn(ctx: Ctx<unknown>): Promise<UserModel> {
				const user = await this.model.findByPk(ctx.meta.user!.id);
				if (!user) throw new SessionExpiredError();
				return user;
			},

			async recordCreated(transaction: Transaction, user: UserModel, actorId: string | null) {
				await this.recordEvent(transaction, {
					type: "user.created",
					aggregateId: user.id,
					actorId,
					payload: { userId: user.id, username: user.username, displayName: user.displayName }
				});
			},

			async recordUpdated(transaction: Transaction, user: UserModel, changed: string[], actorId: string | null) {
				await this.recordEvent(transaction, {
					type: "user.updated",
					aggregateId: user.id,
					actorId,
					payload: { userId: user.id, username: user.username, changed }
				});
			},

			/** Applies a change and its `user.updated` event in one transaction. */
			async updateUser(user: UserModel, values: Partial<UserModel>, changed: string[], actorId: string | null) {
				await this.sequelize.transaction(async transaction => {
					await user.update(values, { transaction });
					await this.recordUpdated(transaction, user, changed, actorId);
				});
			},

			async forgetSessions(sessionIds: string[]) {
				if (!this.broker.cacher || !sessionIds.length) return;
				await this.cleanCache(
					sessionIds.map(sessionId => this.cacheKey("session", ["sessionId"], { sessionId })),
					[]
				);
				await this.broker.broadcast("session.changed", { sessionIds }); // every gateway closes these sessions' notification streams
			},

			/**
			 * Profiles are cached under the username as asked (any case), and lookups under their id
			 * lists (any order), so drop them all; and the gateways' copies of these users' profiles.
			 */
			async forgetProfiles(userIds: string[], ctx?: Ctx<unknown>) {
				await this.cleanCache([], [`${SERVICE}.profile:*`, `${SERVICE}.lookup:*`]);
				await purgeResponses(this.broker, userIds.map(profileTag), ctx);
			}
		},

		created() {
			this.tokens = accessTokenKeys(c.auth.jwtSecret, c.auth.accessTokenTtlS);
			this.counters = createCounterStore(c.cacher, `${c.namespace}:`);
			this.throttle = new LoginThrottle(this.counters, c.auth.loginThrottle);
			this.registrations = new RegistrationThrottle(this.counters, c.auth.registrationThrottle);
			this.hashing = hashingLanes();
		},

		async started() {
			this.sessions = new SessionStore(this.sequelize, SERVICE, c.auth.refreshTokenTtlS);
		},

		async stopped() {
			await this.counters.close();
		}
	};
}
