/**
 * The users service's own shape (its `this`: variables and methods), apart from the service file
 * so that its mixins import it without importing the service (no import circle).
 */
import type { Context } from "moleculer";
import type { ModelStatic, Transaction } from "sequelize";
import type { AccessTokenKeys } from "../../lib/access-token";
import type { RequestMeta } from "../../lib/auth-types";
import type { CounterStore } from "../../lib/counter-store";
import type { HttpCacheMeta } from "../../lib/http-cache";
import type { CacheCleanerMethods } from "../../mixins/cache-cleaner.mixin";
import type { DbMethods } from "../../mixins/db.mixin";
import type { OutboxMethods } from "../../mixins/outbox/outbox.mixin";
import type { UsersEvents } from "./users.contract";
import type { HashingLanes } from "./hashing-lanes";
import type { LoginThrottle } from "./login-throttle";
import type { RegistrationThrottle } from "./registration-throttle";
import type { SessionStore } from "./sessions";
import type { UserModel } from "./users.model";
import type { OwnProfile, PublicProfile } from "./users.types";

type Ctx<P> = Context<P, RequestMeta>;

export interface UsersVars extends DbMethods {
	model: ModelStatic<UserModel>;
	tokens: AccessTokenKeys;
	counters: CounterStore;
	throttle: LoginThrottle;
	registrations: RegistrationThrottle;
	hashing: HashingLanes;
	sessions: SessionStore;
}

export interface UsersMethods extends OutboxMethods<UsersEvents>, CacheCleanerMethods {
	recordCreated(transaction: Transaction, user: UserModel, actorId: string | null): Promise<void>;
	recordUpdated(transaction: Transaction, user: UserModel, changed: string[], actorId: string | null): Promise<void>;
	updateUser(user: UserModel, values: Partial<UserModel>, changed: string[], actorId: string | null): Promise<void>;
	ownProfile(user: UserModel): OwnProfile;
	publicProfile(user: UserModel): PublicProfile;
	findOwn(ctx: Ctx<unknown>): Promise<UserModel>;
	forgetSessions(sessionIds: string[]): Promise<void>;
	forgetProfiles(userIds: string[], ctx?: Context<unknown, HttpCacheMeta>): Promise<void>;
}
