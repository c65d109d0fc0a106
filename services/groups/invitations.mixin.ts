import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import { READ } from "../../lib/fault-tolerance";
import { pageOf } from "../../lib/page";
import { call } from "../contracts";
import { AlreadyInvitedError, AlreadyMemberError, notFound } from "./groups.errors";
import type { GroupsMethods, GroupsVars } from "./groups.internals";
import {
	type GroupPageParams,
	groupPageParams,
	type MemberParams,
	memberParams,
	type MemberView,
	memberViewSchema,
	type MyInvitation,
	myInvitationPageSchema,
	NO_CONTENT,
	type Page,
	type PageParams,
	pageParams,
	pendingPageSchema,
	type PendingView,
	pendingViewSchema
} from "./groups.types";

type Ctx<P> = Context<P, RequestMeta>;

/** Owners and admins list a group's pending invitations or join requests. */
function pendingList(kind: "invitations" | "requests") {
	return {
		visibility: "published" as const,
		auth: "required" as const,
		params: groupPageParams,
		response: pendingPageSchema,
		...READ,
		async handler(this: GroupsMethods & GroupsVars, ctx: Ctx<GroupPageParams>): Promise<Page<PendingView>> {
			const { id, page, pageSize } = ctx.params;
			await this.readable(ctx, id, "group.readPending");
			const { rows, total } = await this.memberships.listPending(kind, id, page, pageSize);
			return pageOf(rows, total, page, pageSize);
		}
	};
}

/** Invitations and join requests: how people get into groups that are not open. Part of the groups service. */
export const InvitationsAndRequestsMixin: Partial<ServiceSchema<ServiceSettingSchema, GroupsMethods, GroupsVars>> = {
	actions: {
		/** Owners and admins: the pending invitations. */
		invitations: { http: "GET /groups/:id/invitations", ...pendingList("invitations") },

		/** Owners and admins invite a user, who may then join whatever the join policy. */
		invite: {
			http: "POST /groups/:id/invitations",
			visibility: "published",
			auth: "required",
			params: memberParams,
			response: pendingViewSchema,
			async handler(ctx: Ctx<MemberParams>): Promise<PendingView> {
				const { userId } = ctx.params;
				// Asked before the change: never a call to another service with the group locked.
				await this.readable(ctx, ctx.params.id, "group.invite");
				if (!(await call(ctx, "users.exists", { id: userId }))) throw notFound("User");
				const invitation = await this.change(ctx, "group.invite", async locked => {
					const { group, callerId, transaction } = locked;
					if (await this.memberships.roleOf(group.id, userId, transaction)) throw new AlreadyMemberError();
					if (await this.memberships.hasPending("invitations", group.id, userId, transaction)) throw new AlreadyInvitedError();
					const pending = await this.memberships.addPending("invitations", transaction, group.id, userId, callerId);
					await this.record(locked, "group.invitation.created", callerId, { userId, invitedBy: callerId });
					return pending;
				});
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/groups/${ctx.params.id}/invitations`;
				return invitation;
			}
		},

		/** Owners and admins revoke an invitation; the invitee may decline it. */
		revokeInvitation: {
			http: "DELETE /groups/:id/invitations/:userId",
			visibility: "published",
			auth: "required",
			params: memberParams,
			response: NO_CONTENT,
			async handler(ctx: Ctx<MemberParams>) {
				const { userId } = ctx.params;
				const declining = userId === ctx.meta.user!.id;
				await this.change(ctx, declining ? "group.declineInvitation" : "group.revokeInvitation", async locked => {
					if (!(await this.memberships.deletePending("invitations", locked.transaction, locked.group.id, userId)))
						throw notFound("Invitation");
					await this.record(locked, "group.invitation.revoked", locked.callerId, { userId, revokedBy: locked.callerId });
				});
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		/** The caller's pending invitations, with the groups they lead to. */
		myInvitations: {
			http: "GET /groups/invitations",
			visibility: "published",
			auth: "required",
			params: pageParams,
			response: myInvitationPageSchema,
			...READ,
			async handler(ctx: Ctx<PageParams>): Promise<Page<MyInvitation>> {
				const { page, pageSize } = ctx.params;
				const { rows, total } = await this.memberships.invitationsOf(ctx.meta.user!.id, page, pageSize);
				const groups = await this.model.findAll({ where: { id: rows.map(r => r.groupId) } });
				const views = new Map((await this.views(groups, null)).map(g => [g.id, g]));
				const invitations = rows
					.filter(r => views.has(r.groupId))
					.map(({ groupId, invitedBy, createdAt }) => ({ group: views.get(groupId)!, invitedBy, createdAt }));
				return pageOf(invitations, total, page, pageSize);
			}
		},

		/** Owners and admins: the pending join requests. */
		requests: { http: "GET /groups/:id/requests", ...pendingList("requests") },

		approveRequest: {
			http: "POST /groups/:id/requests/:userId/approve",
			visibility: "published",
			auth: "required",
			params: memberParams,
			response: memberViewSchema,
			async handler(ctx: Ctx<MemberParams>): Promise<MemberView> {
				const { userId } = ctx.params;
				return this.change(ctx, "group.decideRequest", async locked => {
					const { group, callerId, transaction } = locked;
					if (await this.memberships.roleOf(group.id, userId, transaction)) throw new AlreadyMemberError();
					if (!(await this.memberships.hasPending("requests", group.id, userId, transaction))) throw notFound("Request");
					const member = await this.memberships.add(transaction, group.id, userId, "member");
					await this.record(locked, "group.request.approved", callerId, { userId, decidedBy: callerId });
					await this.record(locked, "group.member.joined", callerId, { userId, role: "member", via: "request" });
					return member;
				});
			}
		},

		rejectRequest: {
			http: "POST /groups/:id/requests/:userId/reject",
			visibility: "published",
			auth: "required",
			params: memberParams,
			response: NO_CONTENT,
			async handler(ctx: Ctx<MemberParams>) {
				const { userId } = ctx.params;
				await this.change(ctx, "group.decideRequest", async locked => {
					if (!(await this.memberships.deletePending("requests", locked.transaction, locked.group.id, userId)))
						throw notFound("Request");
					await this.record(locked, "group.request.rejected", locked.callerId, { userId, decidedBy: locked.callerId });
				});
				ctx.meta.$statusCode = 204;
				return null;
			}
		}
	}
};
