export type { Page } from "../../lib/page";

import {
	GROUP_ROLES,
	type GroupRole,
	type GroupStanding,
	type Permission,
	PERMISSIONS,
	VISIBILITIES,
	type Visibility
} from "../../lib/authorization";

// The roles, visibilities and what each role may (the permission matrix) are the platform's
// authorization contract, in lib/authorization; re-exported here as part of this service's.
export { GROUP_ROLES, type GroupRole, PERMISSIONS, type Permission, VISIBILITIES, type Visibility } from "../../lib/authorization";

export const JOIN_POLICIES = ["open", "request", "invite"] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

/** A group as the API shows it; `myRole` is the caller's (null: not a member). */
export interface GroupView {
	id: string;
	name: string;
	description: string;
	visibility: Visibility;
	joinPolicy: JoinPolicy;
	ownerIds: string[];
	memberCount: number;
	myRole: GroupRole | null;
	createdAt: string;
	updatedAt: string;
}

export interface MemberView {
	userId: string;
	role: GroupRole;
	joinedAt: string;
}

export interface PendingView {
	userId: string;
	createdAt: string;
	/** Invitations: who invited. */
	invitedBy?: string;
}

/** `POST /groups/:id/join`: a member now, or a request waiting for an admin. */
export type JoinResult = { status: "member"; membership: MemberView } | { status: "requested"; request: PendingView };

/** For other services: the user's standing in a group (null role: not a member). */
export interface Membership extends GroupStanding {
	groupId: string;
	userId: string | null;
}

// --- Action params, with their validator schemas side by side ---

const id = { type: "uuid" } as const;
const name = { type: "string", trim: true, min: 3, max: 80 } as const;
const description = { type: "string", trim: true, max: 2000 } as const;
const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

export interface CreateGroupParams {
	name: string;
	description?: string;
	visibility: Visibility;
	joinPolicy: JoinPolicy;
}
export const createGroupParams = {
	$$strict: true,
	name,
	description: { ...description, optional: true, default: "" },
	visibility: { type: "enum", values: VISIBILITIES, default: "public" },
	joinPolicy: { type: "enum", values: JOIN_POLICIES, default: "open" }
};

export interface UpdateGroupParams {
	id: string;
	name?: string;
	description?: string;
	visibility?: Visibility;
	joinPolicy?: JoinPolicy;
}
export const updateGroupParams = {
	$$strict: true,
	id,
	name: { ...name, optional: true },
	description: { ...description, optional: true },
	visibility: { type: "enum", values: VISIBILITIES, optional: true },
	joinPolicy: { type: "enum", values: JOIN_POLICIES, optional: true }
};

export interface ListGroupsParams {
	q?: string;
	mine?: boolean;
	page: number;
	pageSize: number;
}
export const listGroupsParams = {
	$$strict: true,
	q: { type: "string", trim: true, max: 100, optional: true },
	mine: { type: "boolean", convert: true, optional: true },
	page,
	pageSize
};

export interface GroupParams {
	id: string;
}
export const groupParams = { $$strict: true, id };

export interface GroupPageParams {
	id: string;
	page: number;
	pageSize: number;
}
export const groupPageParams = { $$strict: true, id, page, pageSize };

export interface MemberParams {
	id: string;
	userId: string;
}
export const memberParams = { $$strict: true, id, userId: id };

export interface ChangeRoleParams extends MemberParams {
	role: GroupRole;
}
export const changeRoleParams = { ...memberParams, role: { type: "enum", values: GROUP_ROLES } };

export interface CanParams {
	groupId: string;
	/** null: an anonymous caller. */
	userId: string | null;
	permission: Permission;
}
export const canParams = {
	$$strict: true,
	groupId: id,
	userId: { type: "uuid", nullable: true },
	permission: { type: "enum", values: PERMISSIONS }
};

export interface MembershipParams {
	groupId: string;
	userId: string | null;
}
export const membershipParams = { $$strict: true, groupId: id, userId: { type: "uuid", nullable: true } };

// --- Events (the ids the notification service needs to find recipients; no secrets) ---

export interface GroupEventBase {
	groupId: string;
	name: string;
	visibility: Visibility;
}
export interface GroupCreatedEvent extends GroupEventBase {
	ownerId: string;
	joinPolicy: JoinPolicy;
}
export interface GroupUpdatedEvent extends GroupEventBase {
	changed: string[];
}
export interface GroupDeletedEvent extends GroupEventBase {
	/** Everyone who was a member, so they can be told. */
	memberIds: string[];
	reason: "deleted" | "last_owner_deleted";
}
export interface MemberJoinedEvent extends GroupEventBase {
	userId: string;
	role: GroupRole;
	via: "open" | "invitation" | "request";
}
export interface MemberLeftEvent extends GroupEventBase {
	userId: string;
	reason: "left" | "account_deleted";
}
export interface MemberRemovedEvent extends GroupEventBase {
	userId: string;
	removedBy: string;
}
export interface MemberRoleChangedEvent extends GroupEventBase {
	userId: string;
	from: GroupRole;
	to: GroupRole;
	/** null: the platform (ownership passed on when the last owner's account was deleted). */
	changedBy: string | null;
}
export interface InvitationCreatedEvent extends GroupEventBase {
	userId: string;
	invitedBy: string;
}
export interface RequestCreatedEvent extends GroupEventBase {
	userId: string;
	/** The admins and owners who can decide on it. */
	moderatorIds: string[];
}
export interface RequestDecidedEvent extends GroupEventBase {
	userId: string;
	decidedBy: string;
}
