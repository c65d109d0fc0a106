/**
 * The groups service's own shape (its `this`: variables and methods), apart from the service file
 * so that its mixin and lifecycle handlers import it without importing the service (no import circle).
 */
import type { Context } from "moleculer";
import type { ModelStatic, Transaction } from "sequelize";
import type { AuthUser, RequestMeta } from "../../lib/auth-types";
import type { DomainAction } from "../../lib/authorization";
import type { CacheCleanerMethods } from "../../mixins/cache-cleaner.mixin";
import type { DbMethods } from "../../mixins/db.mixin";
import type { EventTypeOf } from "../../lib/contracts";
import type { OutboxMethods } from "../../mixins/outbox/outbox.mixin";
import type { GroupEventBase, GroupsEvents } from "./groups.contract";
import type { GroupModel } from "./groups.model";
import type { GroupRole, GroupView } from "./groups.types";
import type { Memberships } from "./memberships";

type Ctx<P> = Context<P, RequestMeta>;

/** A group locked for a change, with the caller's standing in it. */
export interface LockedGroup {
	group: GroupModel;
	role: GroupRole | null;
	callerId: string;
	transaction: Transaction;
}

export interface GroupsVars extends DbMethods {
	model: ModelStatic<GroupModel>;
	memberships: Memberships;
}

/** What a `group.*` event carries beyond the fields every one has (the group's id, name and visibility). */
export type GroupEventDetails<K extends EventTypeOf<GroupsEvents>> = Omit<GroupsEvents[K], keyof GroupEventBase>;

export interface GroupsMethods extends OutboxMethods<GroupsEvents>, CacheCleanerMethods {
	view(group: GroupModel, myRole: GroupRole | null, ownerIds: string[]): GroupView;
	views(groups: GroupModel[], callerId: string | null): Promise<GroupView[]>;
	decideOn(group: GroupModel, caller: AuthUser | null, action: DomainAction, transaction?: Transaction): Promise<GroupRole | null>;
	readable(ctx: Ctx<unknown>, groupId: string, action: DomainAction): Promise<{ group: GroupModel; role: GroupRole | null }>;
	change<T>(ctx: Ctx<{ id: string }>, action: DomainAction, work: (locked: LockedGroup) => Promise<T>): Promise<T>;
	record<K extends EventTypeOf<GroupsEvents>>(
		locked: Pick<LockedGroup, "group" | "transaction">,
		type: K,
		actorId: string | null,
		payload: GroupEventDetails<K>
	): Promise<void>;
	forgetGroup(groupId: string): Promise<void>;
}
