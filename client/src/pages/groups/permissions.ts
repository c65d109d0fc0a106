import type { Group, Member, Role } from "./types";

/**
 * What the caller's role lets them do, mirroring the API's table (README, "Groups: roles and
 * permissions"): the page shows only these actions, and still shows the API's answer if it refuses.
 */

/** Admins and owners: requests, invitations, plain members, the group's details. */
export const canModerate = (role: Role | null) => role === "owner" || role === "admin";

/** Owners alone: roles and deleting the group. */
export const canAdminister = (role: Role | null) => role === "owner";

/** A group always keeps one owner: the last one can be neither demoted nor removed. */
export const isLastOwner = (group: Group, member: Member) => member.role === "owner" && group.ownerIds.length <= 1;

/** Owners change anyone's role but the last owner's; their own when another owner remains. */
export const canChangeRole = (group: Group, member: Member) => canAdminister(group.myRole) && !isLastOwner(group, member);

/** Owners remove anyone but the last owner; admins remove plain members. Oneself: leave instead. */
export function canRemove(group: Group, member: Member, myId: string | undefined) {
	if (member.userId === myId) return false;
	if (group.myRole === "owner") return !isLastOwner(group, member);
	return group.myRole === "admin" && member.role === "member";
}

/** Reads of members and posts: anyone for a public group, members for a private one. */
export const canReadContent = (group: Group) => group.visibility === "public" || group.myRole !== null;
