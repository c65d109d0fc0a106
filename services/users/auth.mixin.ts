import { setTimeout as delay } from "node:timers/promises";
import type { Context, Errors, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, UniqueConstraintError, type Transaction } from "sequelize";
import type { Config } from "../../config";
import { signAccessToken } from "../../lib/access-token";
import type { AuthUser, RequestMeta } from "../../lib/auth-types";
import { assertTimeLeft } from "../../lib/deadline";
import { fieldError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import type { Infer } from "../../lib/validation/infer";
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
import type { UsersMethods, UsersVars } from "./users.internals";
import {
	type AuthResult,
	authResultSchema,
	type ChangePasswordParams,
	changePasswordParams,
	type CreateAdminParams,
	createAdminParams,
	type LoginParams,
	loginParams,
	NO_CONTENT,
	type OwnProfile,
	ownProfileSchema,
	type RefreshParams,
	refreshParams,
	type RegisterParams,
	registerParams,
	RESERVED_USERNAMES,
	type SessionInfo,
	sessionInfoSchema,
	type SessionParams,
	sessionParams,
	tokensSchema
} from "./users.types";

type Ctx<P> = Context<P, RequestMeta>;

export interface AuthMethods {
	checkNewPassword(field: string, password: string): void;
	checkFree(username: string, email: string): Promise<void>;
	startSession(user: UserModel, transaction?: Transaction): Promise<AuthResult>;
}

/**
 * Actions that hash a password (scrypt, 128 MiB and ~0.3 s of a core each, by design):
 * - a longer deadline than the 3 s default;
 * - the hash itself runs in a lane (`hashing-lanes.ts`): logins have their own, so a burst of
 *   registrations queues behind registrations only; a full lane answers 429;
 * - overload timeouts don't open the breaker: it would lock every user out for its open period.
 */
const HASHES_PASSWORD = {
	timeout: 10_000,
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
			/**
			 * Creates an account and logs it in. Every cheap refusal comes before the hash: the
			 * client's throttle, reserved names, common passwords, then a name or e-mail taken.
			 */
			register: {
				http: "POST /auth/register",
				visibility: "published",
				params: registerParams,
				response: authResultSchema,
				...HASHES_PASSWORD,
				async handler(ctx: Ctx<RegisterParams>): Promise<AuthResult> {
					const { username, email, password } = ctx.params;
					await this.registrations.attempt(ctx.meta.clientIp ?? "unknown");
					if (RESERVED_USERNAMES.has(username.toLowerCase())) {
						throw fieldError("username", "usernameReserved", "This username is reserved");
					}
					this.checkNewPassword("password", password);
					await this.checkFree(username, email);
					const passwordHash = await this.hashing.account.run(() => {
						assertTimeLeft(ctx);
						return hashPassword(password, c.auth.passwordHashLogN);
					});
					// A registration racing this one for the same name still meets the unique index.
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
				http: "POST /auth/login",
				visibility: "published",
				params: loginParams,
				response: authResultSchema,
				...HASHES_PASSWORD,
				async handler(ctx: Ctx<LoginParams>): Promise<AuthResult> {
					const { login, password } = ctx.params;
					const client = ctx.meta.clientIp ?? "unknown";
					const { delayMs } = await this.throttle.check(login, client);
					if (delayMs > 0) await delay(delayMs);
					const field = login.includes("@") ? "email" : "username";
					const user = await this.model.findOne({
						where: this.sequelize.where(this.sequelize.fn("lower", this.sequelize.col(field)), login.toLowerCase())
					});
					// Verify against a decoy when nobody matches, so both failures take the same time.
					const valid = await this.hashing.login.run(async () => {
						assertTimeLeft(ctx);
						return verifyPassword(password, user?.passwordHash ?? (await decoyHash(c.auth.passwordHashLogN)));
					});
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
				http: "POST /auth/refresh",
				visibility: "published",
				params: refreshParams,
				response: tokensSchema,
				async handler(ctx: Ctx<RefreshParams>): Promise<Infer<typeof tokensSchema>> {
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
				http: "POST /auth/logout",
				visibility: "published",
				auth: "required",
				params: { $$strict: true },
				response: NO_CONTENT,
				async handler(ctx: Ctx<Record<string, never>>) {
					await this.forgetSessions(await this.sessions.revoke({ sessionId: ctx.meta.user!.sessionId }, "logout"));
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			/** Changes the password and ends every other session of the user. */
			changePassword: {
				http: "PUT /users/me/password",
				visibility: "published",
				auth: "required",
				params: changePasswordParams,
				response: NO_CONTENT,
				...HASHES_PASSWORD,
				async handler(ctx: Ctx<ChangePasswordParams>) {
					const user = await this.findOwn(ctx);
					const passwordHash = await this.hashing.account.run(async () => {
						assertTimeLeft(ctx);
						if (!(await verifyPassword(ctx.params.currentPassword, user.passwordHash))) {
							throw fieldError("currentPassword", "passwordMismatch", "The current password is not correct");
						}
						this.checkNewPassword("newPassword", ctx.params.newPassword);
						return hashPassword(ctx.params.newPassword, c.auth.passwordHashLogN);
					});
					await this.updateUser(user, { passwordHash }, ["password"], user.id);
					const ended = await this.sessions.revoke(
						{ userId: user.id, exceptSessionId: ctx.meta.user!.sessionId },
						"password_changed"
					);
					await this.forgetSessions([...ended, ctx.meta.user!.sessionId]); // this session stays, but its streams close too
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			/** For the gateway: is this session still active, and with which role? */
			session: {
				visibility: "public",
				params: sessionParams,
				response: sessionInfoSchema,
				cache: { keys: ["sessionId"], ttl: SESSION_CACHE_TTL_S },
				...READ,
				async handler(ctx: Ctx<SessionParams>): Promise<SessionInfo> {
					const session = await this.sessions.active(ctx.params.sessionId);
					if (!session) throw new SessionExpiredError();
					return session;
				}
			},

			/** For operators (`npm run create-admin`, the REPL): creates an admin, or promotes the user. */
			createAdmin: {
				visibility: "public",
				params: createAdminParams,
				response: ownProfileSchema,
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
					const passwordHash = await this.hashing.account.run(() => {
						assertTimeLeft(ctx);
						return hashPassword(password, c.auth.passwordHashLogN);
					});
					const user = await this.sequelize
						.transaction(async transaction => {
							const created = await this.model.create(
								{ username, email, displayName: username, passwordHash, role: "admin" },
								{ transaction }
							);
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

			/**
			 * 409 when the name or e-mail is taken (any case), before any hash is spent on it. The
			 * e-mail answer is kept on purpose: see "Registration" in the README.
			 */
			async checkFree(username: string, email: string) {
				const lower = (column: string, value: string) =>
					this.sequelize.where(this.sequelize.fn("lower", this.sequelize.col(column)), value.toLowerCase());
				const taken = await this.model.findAll({
					attributes: ["username"],
					where: { [Op.or]: [lower("username", username), lower("email", email)] },
					limit: 2
				});
				if (taken.some(user => user.username.toLowerCase() === username.toLowerCase())) throw new UsernameTakenError();
				if (taken.length) throw new EmailTakenError();
			},

			async startSession(user: UserModel, transaction?: Transaction): Promise<AuthResult> {
				const { sessionId, refreshToken } = await this.sessions.create(user.id, transaction);
				const accessToken = await signAccessToken(this.tokens, { id: user.id, role: user.role, sessionId });
				return { user: this.ownProfile(user), accessToken, refreshToken, expiresIn: this.tokens.ttlS };
			}
		}
	};
}
