export type { Page } from "../../lib/page";

import { GROUP_ROLES, type GroupRole, PERMISSIONS, VISIBILITIES, type Visibility } from "../../lib/authorization";
import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";
import { postSummarySchema } from "../posts/posts.contract";

// The roles, visibilities and what each role may (the permission matrix) are the platform's
// authorization contract, in lib/authorization; re-exported here as part of this service's.
export { GROUP_ROLES, type GroupRole, PERMISSIONS, type Permission, VISIBILITIES, type Visibility } from "../../lib/authorization";

export const JOIN_POLICIES = ["open", "request", "invite"] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

const id = { type: "uuid" } as const;
const name = { type: "string", min: 3, max: 80 } as const;
const description = { type: "string", max: 2000 } as const;
const visibility = { type: "enum", values: VISIBILITIES } as const;
const joinPolicy = { type: "enum", values: JOIN_POLICIES } as const;
const groupRole = { type: "enum", values: GROUP_ROLES } as const;

/** A group as the API shows it; `myRole` is the caller's (null: not a member). */
export const groupViewSchema = {
	$$strict: true,
	id,
	name,
	description,
	visibility,
	joinPolicy,
	ownerIds: { type: "array", items: id },
	memberCount: { type: "number", integer: true, min: 0 },
	myRole: { ...groupRole, nullable: true },
	createdAt: isoDateTime,
	updatedAt: isoDateTime
} as const;
export type GroupView = Infer<typeof groupViewSchema>;

export const memberViewSchema = { $$strict: true, userId: id, role: groupRole, joinedAt: isoDateTime } as const;
export type MemberView = Infer<typeof memberViewSchema>;

/** A pending invitation or join request. */
export const pendingViewSchema = {
	$$strict: true,
	userId: id,
	createdAt: isoDateTime,
	/** Invitations: who invited. */
	invitedBy: { ...id, optional: true }
} as const;
export type PendingView = Infer<typeof pendingViewSchema>;

/** `POST /groups/:id/join`: a member now (200), or a request waiting for an admin (202). */
export const joinResultSchema = {
	$$root: true,
	type: "multi",
	rules: [
		{
			type: "object",
			props: {
				$$strict: true,
				status: { type: "equal", value: "member", strict: true },
				membership: { type: "object", props: memberViewSchema }
			}
		},
		{
			type: "object",
			props: {
				$$strict: true,
				status: { type: "equal", value: "requested", strict: true },
				request: { type: "object", props: pendingViewSchema }
			}
		}
	]
} as const;
export type JoinResult = Infer<typeof joinResultSchema>;

/** `GET /groups/invitations`: one of the caller's invitations, with its group. */
export const myInvitationSchema = {
	$$strict: true,
	group: { type: "object", props: groupViewSchema },
	invitedBy: id,
	createdAt: isoDateTime
} as const;
export type MyInvitation = Infer<typeof myInvitationSchema>;

/** For other services: the user's standing in a group (null role: not a member). */
export const membershipSchema = {
	$$strict: true,
	groupId: id,
	userId: { ...id, nullable: true },
	role: { ...groupRole, nullable: true },
	visibility
} as const;
export type Membership = Infer<typeof membershipSchema>;

export const groupPageSchema = pageSchema(groupViewSchema);
export const memberPageSchema = pageSchema(memberViewSchema);
export const pendingPageSchema = pageSchema(pendingViewSchema);
export const myInvitationPageSchema = pageSchema(myInvitationSchema);
/** `GET /groups/:id/posts`: a page of the posts service's `PostSummary` rows, as that service describes them. */
export const postPageSchema = pageSchema(postSummarySchema);

/** Responses that are one value, or no body at all (204). */
export const booleanResponse = { $$root: true, type: "boolean" } as const;
export const idsResponse = { $$root: true, type: "array", items: id } as const;
export const NO_CONTENT = null;

// --- Action params ---

const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

export const createGroupParams = {
	$$strict: true,
	name: { ...name, trim: true },
	description: { ...description, trim: true, optional: true, default: "" },
	visibility: { ...visibility, default: "public" },
	joinPolicy: { ...joinPolicy, default: "open" }
} as const;
export type CreateGroupParams = Infer<typeof createGroupParams>;

export const updateGroupParams = {
	$$strict: true,
	id,
	name: { ...name, trim: true, optional: true },
	description: { ...description, trim: true, optional: true },
	visibility: { ...visibility, optional: true },
	joinPolicy: { ...joinPolicy, optional: true }
} as const;
export type UpdateGroupParams = Infer<typeof updateGroupParams>;

export const listGroupsParams = {
	$$strict: true,
	q: { type: "string", trim: true, max: 100, optional: true },
	mine: { type: "boolean", convert: true, optional: true },
	page,
	pageSize
} as const;
export type ListGroupsParams = Infer<typeof listGroupsParams>;

export const groupParams = { $$strict: true, id } as const;
export type GroupParams = Infer<typeof groupParams>;

export const groupPageParams = { $$strict: true, id, page, pageSize } as const;
export type GroupPageParams = Infer<typeof groupPageParams>;

export const pageParams = { $$strict: true, page, pageSize } as const;
export type PageParams = Infer<typeof pageParams>;

export const memberParams = { $$strict: true, id, userId: id } as const;
export type MemberParams = Infer<typeof memberParams>;

export const changeRoleParams = { ...memberParams, role: groupRole } as const;
export type ChangeRoleParams = Infer<typeof changeRoleParams>;

export const canParams = {
	$$strict: true,
	groupId: id,
	/** null: an anonymous caller. */
	userId: { ...id, nullable: true },
	permission: { type: "enum", values: PERMISSIONS }
} as const;
export type CanParams = Infer<typeof canParams>;

export const memberIdsParams = {
	$$strict: true,
	groupId: id,
	/** Only members with these roles (all by default). */
	roles: { type: "array", items: groupRole, optional: true }
} as const;
export type MemberIdsParams = Infer<typeof memberIdsParams>;

export const membershipParams = { $$strict: true, groupId: id, userId: { ...id, nullable: true } } as const;
export type MembershipParams = Infer<typeof membershipParams>;

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
