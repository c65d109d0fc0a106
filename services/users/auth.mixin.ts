import os from "node:os";
import type { Context, Errors, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { UniqueConstraintError, type Transaction } from "sequelize";
import type { Config } from "../../config";
import { signAccessToken } from "../../lib/access-token";
import type { AuthUser, RequestMeta } from "../../lib/auth-types";
import { assertTimeLeft } from "../../lib/deadline";
import { fieldError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { decoyHash, hashPassword, isCommonPassword, verifyPassword } from "./passwords";
import {
	EmailTakenError,
	InvalidCredentialsError,
	InvalidRefreshTokenError,
	RefreshTokenReusedError,
	SessionExpiredError,
	UsernameTakenError
} from "./users.errors";
import type { UserModel } from "./users.model";
import type { UsersMethods, UsersVars } from "./users.service";
import {
	type AuthResult,
	type ChangePasswordParams,
	changePasswordParams,
	type CreateAdminParams,
	createAdminParams,
	type LoginParams,
	loginParams,
	type OwnProfile,
	type RefreshParams,
	refreshParams,
	type RegisterParams,
	registerParams,
	RESERVED_USERNAMES,
	type SessionParams,
	sessionParams
} from "./users.types";

type Ctx<P> = Context<P, RequestMeta>;

export interface AuthMethods {
	checkNewPassword(field: string, password: string): void;
	startSession(user: UserModel, transaction?: Transaction): Promise<AuthResult>;
}

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

/**
 * Every action that hashes a password or issues, rotates, ends or checks a session. Part of the
 * users service; a factory because the hashing cost comes from the config.
 */
export function AuthMixin(c: Config): Partial<ServiceSchema<ServiceSettingSchema, UsersMethods & AuthMethods, UsersVars>> {
	return {
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
			checkNewPassword(field: string, password: string) {
				if (isCommonPassword(password)) {
					throw fieldError(field, "passwordCommon", "This password is too common; choose another");
				}
			},

			async startSession(user: UserModel, transaction?: Transaction): Promise<AuthResult> {
				const { sessionId, refreshToken } = await this.sessions.create(user.id, transaction);
				const accessToken = await signAccessToken(this.tokens, { id: user.id, role: user.role, sessionId });
				return { user: this.ownProfile(user), accessToken, refreshToken, expiresIn: this.tokens.ttlS };
			}
		}
	};
}
