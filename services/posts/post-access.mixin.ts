import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize, decide, type DomainAction, type Facts, type GroupStanding, type Relation } from "../../lib/authorization";
import { isContractError } from "../../lib/contracts";
import { call } from "../contracts";
import { GROUPS_ERRORS } from "../groups/groups.contract";
import { PostNotFoundError, PostNotPublishedError } from "./posts.errors";
import type { PostFacts, PostRecord, PostsMethods, PostsVars } from "./posts.internals";

type Ctx<P> = Context<P, RequestMeta>;

/** Who may do what to a post: the authorization table, with the caller's standing in its group when it matters. Part of the posts service. */
export const PostAccessMixin: Partial<ServiceSchema<ServiceSettingSchema, PostsMethods, PostsVars>> = {
	methods: {
		/** The post if the caller may read it (`post.read`: drafts only to their author, a private group's posts only to its members). */
		async readable(ctx: Ctx<unknown>, idOrSlug: string): Promise<PostRecord> {
			const post = await this.load(idOrSlug);
			if (!post) throw new PostNotFoundError();
			await this.decideOnPost(ctx, "post.read", post);
			return post;
		},

		/** Readable and published: reactions and comments wait for publication. */
		async published(ctx: Ctx<unknown>, idOrSlug: string): Promise<PostRecord> {
			const post = await this.readable(ctx, idOrSlug);
			if (post.status !== "published") throw new PostNotPublishedError();
			return post;
		},

		/**
		 * The caller's role in a group and its visibility, from the groups service; `"gone"` if the
		 * group no longer exists (its posts are being deleted: nothing in it is allowed any more).
		 */
		async groupStanding(ctx: Ctx<unknown>, groupId: string): Promise<GroupStanding | "gone"> {
			return call(ctx, "groups.membership", { groupId, userId: ctx.meta.user?.id ?? null }).catch(err =>
				isContractError(err, GROUPS_ERRORS.GROUP_NOT_FOUND) ? ("gone" as const) : Promise.reject(err)
			);
		},

		/**
		 * Decides an action on a post by the authorization table; throws the refusal (404 to whoever
		 * may not read the post). `relations` default to the caller's authorship of the post. The
		 * caller's role in the post's group is asked of the groups service only if the decision
		 * without it (the visibility the post keeps of its group) refuses: a role only adds grants.
		 */
		async decideOnPost(ctx: Ctx<unknown>, action: DomainAction, post: PostFacts, relations?: Relation[], forbidden?: () => Error) {
			const caller = ctx.meta.user ?? null;
			const facts: Facts = {
				caller,
				relations: relations ?? (caller && post.authorId === caller.id ? ["author"] : []),
				state: post.status,
				group: null
			};
			if (post.groupId) {
				facts.group = { visibility: post.groupPrivate ? "private" : "public", role: null };
				if (decide(action, facts).allowed) return;
				facts.group = await this.groupStanding(ctx, post.groupId);
			}
			authorize(action, facts, { hidden: () => new PostNotFoundError(), forbidden });
		}
	}
};
