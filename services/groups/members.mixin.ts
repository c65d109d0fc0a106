import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import { ForbiddenError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { pageOf } from "../../lib/page";
import { AlreadyMemberError, LastOwnerError, NotAMemberError, notFound, NotInvitedError, RequestPendingError } from "./groups.errors";
import type { GroupsMethods, GroupsVars } from "./groups.internals";
import {
	type ChangeRoleParams,
	changeRoleParams,
	type GroupPageParams,
	groupPageParams,
	type GroupParams,
	groupParams,
	type JoinResult,
	joinResultSchema,
	memberPageSchema,
	type MemberParams,
	memberParams,
	type MemberView,
	memberViewSchema,
	NO_CONTENT,
	type Page
} from "./groups.types";

type Ctx<P> = Context<P, RequestMeta>;

/**
 * A group's members: joining and leaving, the member list, and owners' and admins' changes to
 * roles and members. Part of the groups service (invitations and join requests: invitations.mixin.ts).
 */
export const GroupMembersMixin: Partial<ServiceSchema<ServiceSettingSchema, GroupsMethods, GroupsVars>> = {
	actions: {
		/** Open groups and invitees: a member now. Request groups: a request for the admins. */
		join: {
			http: "POST /groups/:id/join",
			visibility: "published",
			auth: "required",
			params: groupParams,
			response: joinResultSchema,
			async handler(ctx: Ctx<GroupParams>): Promise<JoinResult> {
				const result = await this.change(ctx, "group.join", async (locked): Promise<JoinResult> => {
					const { group, role, callerId, transaction } = locked;
					if (role) throw new AlreadyMemberError();
					const invited = await this.memberships.hasPending("invitations", group.id, callerId, transaction);
					if (invited || group.joinPolicy === "open") {
						const membership = await this.memberships.add(transaction, group.id, callerId, "member");
						await this.record(locked, "group.member.joined", callerId, {
							userId: callerId,
							role: "member",
							via: invited ? "invitation" : "open"
						});
						return { status: "member", membership };
					}
					if (group.joinPolicy === "invite") throw new NotInvitedError();
					if (await this.memberships.hasPending("requests", group.id, callerId, transaction)) throw new RequestPendingError();
					const request = await this.memberships.addPending("requests", transaction, group.id, callerId);
					const moderatorIds = await this.memberships.memberIds(group.id, ["owner", "admin"], transaction);
					await this.record(locked, "group.request.created", callerId, { userId: callerId, moderatorIds });
					return { status: "requested", request };
				});
				ctx.meta.$statusCode = result.status === "member" ? 200 : 202;
				return result;
			}
		},

		/** Leaves the group; a group's last owner must hand over first. */
		leave: {
			http: "POST /groups/:id/leave",
			visibility: "published",
			auth: "required",
			params: groupParams,
			response: NO_CONTENT,
			async handler(ctx: Ctx<GroupParams>) {
				await this.change(ctx, "group.leave", async locked => {
					const { group, role, callerId, transaction } = locked;
					if (!role) throw new NotAMemberError();
					if (role === "owner" && (await this.memberships.ownerCount(transaction, group.id)) === 1) throw new LastOwnerError();
					await this.memberships.remove(transaction, group.id, callerId);
					await this.record(locked, "group.member.left", callerId, { userId: callerId, reason: "left" });
				});
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		members: {
			http: "GET /groups/:id/members",
			visibility: "published",
			auth: "optional",
			params: groupPageParams,
			response: memberPageSchema,
			...READ,
			async handler(ctx: Ctx<GroupPageParams>): Promise<Page<MemberView>> {
				const { id, page, pageSize } = ctx.params;
				await this.readable(ctx, id, "group.readContent");
				const { rows, total } = await this.memberships.listMembers(id, page, pageSize);
				return pageOf(rows, total, page, pageSize);
			}
		},

		/** Owners set roles: admin, member, or owner (several owners may share a group). */
		changeRole: {
			http: "PATCH /groups/:id/members/:userId",
			visibility: "published",
			auth: "required",
			params: changeRoleParams,
			response: memberViewSchema,
			async handler(ctx: Ctx<ChangeRoleParams>): Promise<MemberView> {
				const { userId, role } = ctx.params;
				return this.change(ctx, "group.changeRole", async locked => {
					const { group, callerId, transaction } = locked;
					const from = await this.memberships.roleOf(group.id, userId, transaction);
					if (!from) throw notFound("Member");
					if (from === "owner" && role !== "owner" && (await this.memberships.ownerCount(transaction, group.id)) === 1)
						throw new LastOwnerError();
					const member = await this.memberships.setRole(transaction, group.id, userId, role);
					if (from !== role)
						await this.record(locked, "group.member.role_changed", callerId, {
							userId,
							from,
							to: role,
							changedBy: callerId
						});
					return member;
				});
			}
		},

		/** Owners remove anyone but the last owner; admins remove plain members only. */
		removeMember: {
			http: "DELETE /groups/:id/members/:userId",
			visibility: "published",
			auth: "required",
			params: memberParams,
			response: NO_CONTENT,
			async handler(ctx: Ctx<MemberParams>) {
				const { userId } = ctx.params;
				await this.change(ctx, "group.removeMember", async locked => {
					const { group, role, callerId, transaction } = locked;
					const target = await this.memberships.roleOf(group.id, userId, transaction);
					if (!target) throw notFound("Member");
					if (role === "admin" && target !== "member" && userId !== callerId)
						throw new ForbiddenError("Admins may remove plain members only");
					if (target === "owner" && (await this.memberships.ownerCount(transaction, group.id)) === 1) throw new LastOwnerError();
					await this.memberships.remove(transaction, group.id, userId);
					await this.record(locked, "group.member.removed", callerId, { userId, removedBy: callerId });
				});
				ctx.meta.$statusCode = 204;
				return null;
			}
		}
	}
};
