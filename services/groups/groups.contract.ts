/**
 * The groups service's contract: what other services may call, catch and consume. Other services
 * import this file, never the service's other files. The parameter and response types are derived
 * from the actions' schemas (groups.types.ts, docs/schemas.md).
 */
import type { ActionSpec, ErrorSpec } from "../../lib/contracts";
import { eventTypes } from "../../lib/contracts";
import type { Page, PostSummary } from "../posts/posts.contract";
import type {
	CanParams,
	ChangeRoleParams,
	CreateGroupParams,
	GroupCreatedEvent,
	GroupDeletedEvent,
	GroupEventBase,
	GroupPageParams,
	GroupParams,
	GroupUpdatedEvent,
	GroupView,
	InvitationCreatedEvent,
	JoinResult,
	ListGroupsParams,
	MemberIdsParams,
	MemberJoinedEvent,
	MemberLeftEvent,
	MemberParams,
	MemberRemovedEvent,
	MemberRoleChangedEvent,
	Membership,
	MembershipParams,
	MemberView,
	MyInvitation,
	PageParams,
	PendingView,
	RequestCreatedEvent,
	RequestDecidedEvent,
	UpdateGroupParams
} from "./groups.types";

export type {
	GroupCreatedEvent,
	GroupDeletedEvent,
	GroupEventBase,
	GroupRole,
	GroupUpdatedEvent,
	GroupView,
	InvitationCreatedEvent,
	MemberIdsParams,
	MemberJoinedEvent,
	MemberLeftEvent,
	MemberRemovedEvent,
	MemberRoleChangedEvent,
	Membership,
	MembershipParams,
	MyInvitation,
	PageParams,
	RequestCreatedEvent,
	RequestDecidedEvent
} from "./groups.types";

export interface GroupsActions {
	"groups.create": ActionSpec<CreateGroupParams, GroupView>;
	"groups.list": ActionSpec<ListGroupsParams, Page<GroupView>>;
	"groups.get": ActionSpec<GroupParams, GroupView>;
	"groups.update": ActionSpec<UpdateGroupParams, GroupView>;
	"groups.remove": ActionSpec<GroupParams, null>;
	"groups.join": ActionSpec<GroupParams, JoinResult>;
	"groups.leave": ActionSpec<GroupParams, null>;
	"groups.members": ActionSpec<GroupPageParams, Page<MemberView>>;
	"groups.changeRole": ActionSpec<ChangeRoleParams, MemberView>;
	"groups.removeMember": ActionSpec<MemberParams, null>;
	"groups.posts": ActionSpec<GroupPageParams, Page<PostSummary>>;
	"groups.invitations": ActionSpec<GroupPageParams, Page<PendingView>>;
	"groups.invite": ActionSpec<MemberParams, PendingView>;
	"groups.revokeInvitation": ActionSpec<MemberParams, null>;
	"groups.myInvitations": ActionSpec<PageParams, Page<MyInvitation>>;
	"groups.requests": ActionSpec<GroupPageParams, Page<PendingView>>;
	"groups.approveRequest": ActionSpec<MemberParams, MemberView>;
	"groups.rejectRequest": ActionSpec<MemberParams, null>;
	/** For other services: may this user (null: anonymous) do this in the group? */
	"groups.can": ActionSpec<CanParams, boolean>;
	/** For other services (notifications): who is in the group, optionally only these roles. */
	"groups.memberIds": ActionSpec<MemberIdsParams, string[]>;
	/** For other services: the user's role in the group and its visibility (GROUP_NOT_FOUND if it does not exist). */
	"groups.membership": ActionSpec<MembershipParams, Membership>;
}

/** The errors callers of the internal actions may see. */
export const GROUPS_ERRORS = {
	/** `groups.membership`: no such group (or it was just deleted). */
	GROUP_NOT_FOUND: { code: 404, type: "NOT_FOUND" }
} as const satisfies Record<string, ErrorSpec>;

export interface InvitationRevokedEvent extends GroupEventBase {
	userId: string;
	revokedBy: string;
}

/** The domain events groups produces: event type → payload. Every payload carries the group's id, name and visibility. */
export interface GroupsEvents {
	"group.created": GroupCreatedEvent;
	"group.updated": GroupUpdatedEvent;
	"group.deleted": GroupDeletedEvent;
	"group.member.joined": MemberJoinedEvent;
	"group.member.left": MemberLeftEvent;
	"group.member.removed": MemberRemovedEvent;
	"group.member.role_changed": MemberRoleChangedEvent;
	"group.invitation.created": InvitationCreatedEvent;
	"group.invitation.revoked": InvitationRevokedEvent;
	"group.request.created": RequestCreatedEvent;
	"group.request.approved": RequestDecidedEvent;
	"group.request.rejected": RequestDecidedEvent;
}

export const GROUPS_EVENT_TYPES = eventTypes<GroupsEvents>({
	"group.created": true,
	"group.updated": true,
	"group.deleted": true,
	"group.member.joined": true,
	"group.member.left": true,
	"group.member.removed": true,
	"group.member.role_changed": true,
	"group.invitation.created": true,
	"group.invitation.revoked": true,
	"group.request.created": true,
	"group.request.approved": true,
	"group.request.rejected": true
});
