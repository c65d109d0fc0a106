import os from "node:os";
import type { Context, Errors, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, UniqueConstraintError, type ModelStatic, type Transaction } from "sequelize";
import type { Config } from "../../config";
import { accessTokenKeys, type AccessTokenKeys, signAccessToken } from "../../lib/access-token";
import type { AuthUser, RequestMeta } from "../../lib/auth-types";
import { createCounterStore, type CounterStore } from "../../lib/counter-store";
import { ConflictError, fieldError, NotFoundError } from "../../lib/errors";
import { assertTimeLeft } from "../../lib/deadline";
import { READ } from "../../lib/fault-tolerance";
import { pageOf } from "../../lib/page";
import { CacheCleanerMixin, type CacheCleanerMethods } from "../../mixins/cache-cleaner.mixin";
import { DbMixin, type DbMethods } from "../../mixins/db.mixin";
import { OutboxMixin, type OutboxMethods } from "../../mixins/outbox/outbox.mixin";
import { LoginThrottle } from "./login-throttle";
import { migrations } from "./migrations";
import { decoyHash, hashPassword, isCommonPassword, verifyPassword } from "./passwords";
import { SessionStore } from "./sessions";
import {
	EmailTakenError,
	InvalidCredentialsError,
	InvalidRefreshTokenError,
	RefreshTokenReusedError,
	SessionExpiredError,
	UsernameTakenError
} from "./users.errors";
import { defineUserModel, type UserModel } from "./users.model";
import {
	type AuthResult,
	type ChangePasswordParams,
	changePasswordParams,
	type CreateAdminParams,
	createAdminParams,
	DEFAULT_PREFERENCES,
	type ListParams,
	listParams,
	type LoginParams,
	loginParams,
	type OwnProfile,
	type Page,
	type Preferences,
	type PreferencesParams,
	preferencesParams,
	type ProfileParams,
	profileParams,
	type PublicProfile,
	type RefreshParams,
	refreshParams,
	type RegisterParams,
	registerParams,
	RESERVED_USERNAMES,
	type SessionParams,
	sessionParams,
	type SetRoleParams,
	setRoleParams,
	type UpdateProfileParams,
	updateProfileParams,
	type UserCreatedEvent,
	type UserDeletedEvent,
	type UserUpdatedEvent
} from "./users.types";

type Ctx<P> = Context<P, RequestMeta>;

interface UsersVars extends DbMethods {
	model: ModelStatic<UserModel>;
	tokens: AccessTokenKeys;
	counters: CounterStore;
	throttle: LoginThrottle;
	sessions: SessionStore;
}

interface UsersMethods extends OutboxMethods, CacheCleanerMethods {
	recordCreated(transaction: Transaction, user: UserModel, actorId: string | null): Promise<void>;
	recordUpdated(transaction: Transaction, user: UserModel, changed: string[], actorId: string | null): Promise<void>;
	updateUser(user: UserModel, values: Partial<UserModel>, changed: string[], actorId: string | null): Promise<void>;
	ownProfile(user: UserModel): OwnProfile;
	publicProfile(user: UserModel): PublicProfile;
	findOwn(ctx: Ctx<unknown>): Promise<UserModel>;
	checkNewPassword(field: string, password: string): void;
	startSession(user: UserModel, transaction?: Transaction): Promise<AuthResult>;
	forgetSessions(sessionIds: string[]): Promise<void>;
	forgetProfiles(): Promise<void>;
}

const SERVICE = "users";
/**
 * Actions that hash a password (scrypt, 128 MiB and ~0.3 s of a core each, by design):
 * - a longer deadline than the 3 s default;
 * - at most one hash per core (≤ 3) at a time, so a burst queues instead of starving the CPU, and
 *   leaves libuv threads for the rest (jose signs and verifies tokens on the same thread pool);
 * - a short queue (what can finish within the deadline); past it, 429;
 * - overload timeouts don't open the breaker: it would lock every user out for its open period.
 */
const HASHING_SLOTS = Math.max(1, Math.min(3, os.availableParallelism()));
const HASHES_PASSWORD = {
	timeout: 10_000,
	bulkhead: { enabled: true, concurrency: HASHING_SLOTS, maxQueueSize: HASHING_SLOTS * 10 },
	circuitBreaker: {
		check: (err: Error) => ((err as Errors.MoleculerError).code ?? 500) >= 500 && err.name !== "RequestTimeoutError"
	}
};

/** Cached session checks live this long at most; revocations drop them at once. */
const SESSION_CACHE_TTL_S = 60;

function uniqueViolation(err: unknown): Error {
	if (err instanceof UniqueConstraintError) {
		const constraint = (err.parent as { constraint?: string }).constraint;
		if (constraint === "users_username_key") return new UsernameTakenError();
		if (constraint === "users_email_key") return new EmailTakenError();
	}
	return err as Error;
}

/** Accounts, sessions and profiles; the only service that knows passwords (as hashes). */
export function usersService(c: Config): ServiceSchema<ServiceSettingSchema, UsersMethods, UsersVars> {
	return {
	name: SERVICE,
	// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
	mixins: [
		CacheCleanerMixin(SERVICE),
		OutboxMixin({ service: SERVICE, config: c }),
		DbMixin({ service: SERVICE, config: c, migrations, defineModel: defineUserModel })
	],

	actions: {
		/** Creates an account and logs it in. */
		register: {
			visibility: "published",
			params: registerParams,
			...HASHES_PASSWORD,
			async handler(ctx: Ctx<RegisterParams>): Promise<AuthResult> {
				const { username, email, password } = ctx.params;
				if (RESERVED_USERNAMES.has(username.toLowerCase())) {
					throw fieldError("username", "usernameReserved", "This username is reserved");
				}
				this.checkNewPassword("password", password);
				assertTimeLeft(ctx);
				const passwordHash = await hashPassword(password, c.auth.passwordHashLogN);
				const result = await this.sequelize
					.transaction(async transaction => {
						const user = await this.model.create(
							{ username, email, displayName: ctx.params.displayName ?? username, passwordHash },
							{ transaction }
						);
						await this.recordCreated(transaction, user, user.id);
						return this.startSession(user, transaction);
					})
					.catch(err => Promise.reject(uniqueViolation(err)));
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/users/${encodeURIComponent(result.user.username)}`;
				return result;
			}
		},

		/** Logs in by username or email. Unknown login and wrong password look the same. */
		login: {
			visibility: "published",
			params: loginParams,
			...HASHES_PASSWORD,
			async handler(ctx: Ctx<LoginParams>): Promise<AuthResult> {
				const { login, password } = ctx.params;
				const client = ctx.meta.clientIp ?? "unknown";
				await this.throttle.check(login, client);
				assertTimeLeft(ctx);
				const field = login.includes("@") ? "email" : "username";
				const user = await this.model.findOne({
					where: this.sequelize.where(this.sequelize.fn("lower", this.sequelize.col(field)), login.toLowerCase())
				});
				// Verify against a decoy when nobody matches, so both failures take the same time.
				const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash(c.auth.passwordHashLogN)));
				if (!user || !valid) {
					await this.throttle.failed(login, client);
					throw new InvalidCredentialsError();
				}
				await this.throttle.succeeded(login, client);
				return this.startSession(user);
			}
		},

		/** Trades a refresh token for a new pair; each refresh token works once. */
		refresh: {
			visibility: "published",
			params: refreshParams,
			async handler(ctx: Ctx<RefreshParams>) {
				const rotation = await this.sessions.rotate(ctx.params.refreshToken);
				if (rotation.outcome === "reused") {
					await this.forgetSessions(await this.sessions.revoke({ sessionId: rotation.sessionId }, "refresh_reuse"));
					this.logger.warn("A spent refresh token was presented; session revoked", { sessionId: rotation.sessionId });
					throw new RefreshTokenReusedError();
				}
				if (rotation.outcome === "invalid") throw new InvalidRefreshTokenError();
				const auth: AuthUser = { id: rotation.userId, role: rotation.role, sessionId: rotation.sessionId };
				return {
					accessToken: await signAccessToken(this.tokens, auth),
					refreshToken: rotation.refreshToken,
					expiresIn: this.tokens.ttlS
				};
			}
		},

		/** Ends the caller's session: its refresh tokens and access tokens stop working. */
		logout: {
			visibility: "published",
			auth: "required",
			params: { $$strict: true },
			async handler(ctx: Ctx<Record<string, never>>) {
				await this.forgetSessions(await this.sessions.revoke({ sessionId: ctx.meta.user!.sessionId }, "logout"));
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		me: {
			visibility: "published",
			auth: "required",
			params: { $$strict: true },
			...READ,
			async handler(ctx: Ctx<Record<string, never>>): Promise<OwnProfile> {
				return this.ownProfile(await this.findOwn(ctx));
			}
		},

		updateMe: {
			visibility: "published",
			auth: "required",
			params: updateProfileParams,
			async handler(ctx: Ctx<UpdateProfileParams>): Promise<OwnProfile> {
				const user = await this.findOwn(ctx);
				const changed = Object.keys(ctx.params) as (keyof UpdateProfileParams)[];
				if (changed.length) {
					await this.updateUser(user, ctx.params, changed, user.id);
					await this.forgetProfiles();
				}
				return this.ownProfile(user);
			}
		},

		/** Changes the password and ends every other session of the user. */
		changePassword: {
			visibility: "published",
			auth: "required",
			params: changePasswordParams,
			...HASHES_PASSWORD,
			async handler(ctx: Ctx<ChangePasswordParams>) {
				const user = await this.findOwn(ctx);
				assertTimeLeft(ctx);
				if (!(await verifyPassword(ctx.params.currentPassword, user.passwordHash))) {
					throw fieldError("currentPassword", "passwordMismatch", "The current password is not correct");
				}
				this.checkNewPassword("newPassword", ctx.params.newPassword);
				await this.updateUser(user, { passwordHash: await hashPassword(ctx.params.newPassword, c.auth.passwordHashLogN) }, ["password"], user.id);
				const ended = await this.sessions.revoke(
					{ userId: user.id, exceptSessionId: ctx.meta.user!.sessionId },
					"password_changed"
				);
				await this.forgetSessions(ended);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		getPreferences: {
			visibility: "published",
			auth: "required",
			params: { $$strict: true },
			...READ,
			async handler(ctx: Ctx<Record<string, never>>): Promise<Preferences> {
				return this.ownProfile(await this.findOwn(ctx)).preferences;
			}
		},

		/** Replaces the preferences; fields left out return to their defaults. */
		updatePreferences: {
			visibility: "published",
			auth: "required",
			params: preferencesParams,
			async handler(ctx: Ctx<PreferencesParams>): Promise<Preferences> {
				const user = await this.findOwn(ctx);
				await this.updateUser(user, { preferences: { ...DEFAULT_PREFERENCES, ...ctx.params } }, ["preferences"], user.id);
				await this.forgetProfiles();
				return this.ownProfile(user).preferences;
			}
		},

		/** Deletes the account; other services forget the user on `user.deleted`. */
		deleteMe: {
			visibility: "published",
			auth: "required",
			params: { $$strict: true },
			async handler(ctx: Ctx<Record<string, never>>) {
				const user = await this.findOwn(ctx);
				const sessionIds = await this.sessions.idsOfUser(user.id);
				await this.sequelize.transaction(async transaction => {
					await user.destroy({ transaction });
					await this.recordEvent<UserDeletedEvent>(transaction, {
						type: "user.deleted",
						aggregateId: user.id,
						actorId: user.id,
						payload: { userId: user.id, username: user.username }
					});
				});
				await Promise.all([this.forgetSessions(sessionIds), this.forgetProfiles()]);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		/** A public profile by username; private profiles are 404 like unknown ones. */
		profile: {
			visibility: "published",
			params: profileParams,
			cache: { keys: ["username"] },
			...READ,
			async handler(ctx: Ctx<ProfileParams>): Promise<PublicProfile> {
				const user = await this.model.findOne({
					where: this.sequelize.where(this.sequelize.fn("lower", this.sequelize.col("username")), ctx.params.username.toLowerCase())
				});
				const visibility = { ...DEFAULT_PREFERENCES, ...user?.preferences }.profileVisibility;
				if (!user || visibility === "private") throw new NotFoundError("User");
				return this.publicProfile(user);
			}
		},

		/** Admins: every account, searchable by username, email or display name. */
		list: {
			visibility: "published",
			roles: ["admin"],
			params: listParams,
			...READ,
			async handler(ctx: Ctx<ListParams>): Promise<Page<OwnProfile>> {
				const { q, page, pageSize } = ctx.params;
				const pattern = q ? `%${q.replace(/[\\%_]/g, c => `\\${c}`)}%` : undefined;
				const where = pattern
					? { [Op.or]: ["username", "email", "displayName"].map(f => ({ [f]: { [Op.iLike]: pattern } })) }
					: {};
				const { rows, count } = await this.model.findAndCountAll({
					where,
					order: [["createdAt", "DESC"], ["id", "ASC"]],
					limit: pageSize,
					offset: (page - 1) * pageSize
				});
				return pageOf(rows.map(u => this.ownProfile(u)), count, page, pageSize);
			}
		},

		/** Admins: promote or demote. The last admin cannot be demoted. */
		setRole: {
			visibility: "published",
			roles: ["admin"],
			params: setRoleParams,
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
			params: { $$strict: true, id: { type: "uuid" } },
			...READ,
			async handler(ctx: Ctx<{ id: string }>): Promise<boolean> {
				return (await this.model.count({ where: { id: ctx.params.id } })) > 0;
			}
		},

		/** For the gateway: is this session still active, and with which role? */
		session: {
			visibility: "public",
			params: sessionParams,
			cache: { keys: ["sessionId"], ttl: SESSION_CACHE_TTL_S },
			...READ,
			async handler(ctx: Ctx<SessionParams>): Promise<{ userId: string; role: string }> {
				const session = await this.sessions.active(ctx.params.sessionId);
				if (!session) throw new SessionExpiredError();
				return session;
			}
		},

		/** For operators (`npm run create-admin`, the REPL): creates an admin, or promotes the user. */
		createAdmin: {
			visibility: "public",
			params: createAdminParams,
			...HASHES_PASSWORD,
			async handler(ctx: Ctx<CreateAdminParams>): Promise<OwnProfile> {
				const { username, email, password } = ctx.params;
				const existing = await this.model.findOne({
					where: this.sequelize.where(this.sequelize.fn("lower", this.sequelize.col("username")), username.toLowerCase())
				});
				if (existing) {
					await this.updateUser(existing, { role: "admin" }, ["role"], null);
					await this.forgetSessions(await this.sessions.idsOfUser(existing.id));
					return this.ownProfile(existing);
				}
				this.checkNewPassword("password", password);
				assertTimeLeft(ctx);
				const passwordHash = await hashPassword(password, c.auth.passwordHashLogN);
				const user = await this.sequelize
					.transaction(async transaction => {
						const created = await this.model.create({ username, email, displayName: username, passwordHash, role: "admin" }, { transaction });
						await this.recordCreated(transaction, created, null);
						return created;
					})
					.catch(err => Promise.reject(uniqueViolation(err)));
				return this.ownProfile(user);
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
			await this.recordEvent<UserCreatedEvent>(transaction, {
				type: "user.created",
				aggregateId: user.id,
				actorId,
				payload: { userId: user.id, username: user.username, displayName: user.displayName }
			});
		},

		async recordUpdated(transaction: Transaction, user: UserModel, changed: string[], actorId: string | null) {
			await this.recordEvent<UserUpdatedEvent>(transaction, {
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

		checkNewPassword(field: string, password: string) {
			if (isCommonPassword(password)) {
				throw fieldError(field, "passwordCommon", "This password is too common; choose another");
			}
		},

		async startSession(user: UserModel, transaction?: Transaction): Promise<AuthResult> {
			const { sessionId, refreshToken } = await this.sessions.create(user.id, transaction);
			const accessToken = await signAccessToken(this.tokens, { id: user.id, role: user.role, sessionId });
			return { user: this.ownProfile(user), accessToken, refreshToken, expiresIn: this.tokens.ttlS };
		},

		async forgetSessions(sessionIds: string[]) {
			if (!this.broker.cacher || !sessionIds.length) return;
			await this.cleanCache(sessionIds.map(sessionId => this.cacheKey("session", ["sessionId"], { sessionId })), []);
		},

		/** Profiles are cached under the username as asked (any case), so drop them all. */
		async forgetProfiles() {
			await this.cleanCache([], [`${SERVICE}.profile:*`]);
		}
	},

	created() {
		this.tokens = accessTokenKeys(c.auth.jwtSecret, c.auth.accessTokenTtlS);
		this.counters = createCounterStore(c.cacher, `${c.namespace}:`);
		this.throttle = new LoginThrottle(this.counters, c.auth.loginThrottle);
	},

	async started() {
		this.sessions = new SessionStore(this.sequelize, SERVICE, c.auth.refreshTokenTtlS);
	},

	async stopped() {
		await this.counters.close();
	}
	};
}
