import type { ModelStatic, Transaction } from "sequelize";
import type { CatalogueEvent } from "../../lib/contracts";
import type { UsersEvents } from "../users/users.contract";
import type { GroupModel } from "./groups.model";
import type { GroupsMethods } from "./groups.internals";
import type { Memberships } from "./memberships";

/** What the clean-up needs of the groups service. */
export interface GroupsInternals extends Pick<GroupsMethods, "record" | "forgetGroup"> {
	model: ModelStatic<GroupModel>;
	memberships: Memberships;
}

/**
 * On `user.deleted`: the user's memberships, requests and invitations go, in the consumer's
 * transaction (so once). A group that loses its last owner passes to its longest-standing
 * admin, else member; a group left empty is deleted.
 */
export async function forgetDeletedUser(
	groups: GroupsInternals,
	event: CatalogueEvent<UsersEvents, "user.deleted">,
	transaction: Transaction
): Promise<void> {
	const { userId } = event.payload;
	const touched = new Set(await groups.memberships.forgetPendingOf(transaction, userId));

	for (const groupId of await groups.memberships.groupsOf(transaction, userId)) {
		touched.add(groupId);
		const group = await groups.model.findByPk(groupId, { transaction, lock: transaction.LOCK.UPDATE });
		if (!group) continue;
		const locked = { group, transaction };
		const role = await groups.memberships.roleOf(groupId, userId, transaction);
		await groups.memberships.remove(transaction, groupId, userId);
		await groups.record(locked, "group.member.left", userId, { userId, reason: "account_deleted" });
		if (role !== "owner" || (await groups.memberships.ownerCount(transaction, groupId)) > 0) continue;

		const heir = await groups.memberships.successor(transaction, groupId);
		if (heir) {
			await groups.memberships.setRole(transaction, groupId, heir.userId, "owner");
			await groups.record(locked, "group.member.role_changed", null, {
				userId: heir.userId,
				from: heir.role,
				to: "owner",
				changedBy: null
			});
		} else {
			await groups.record(locked, "group.deleted", null, { memberIds: [], reason: "last_owner_deleted" });
			await group.destroy({ transaction });
		}
	}
	transaction.afterCommit(() => Promise.all([...touched].map(id => groups.forgetGroup(id))).then(() => {}));
}
