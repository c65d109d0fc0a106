import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import type { Relation } from "../../lib/authorization";
import { ForbiddenError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { renderMarkdown } from "../../lib/markdown";
import { pageOf } from "../../lib/page";
import { CommentNotFoundError, commentTooDeep } from "./posts.errors";
import type { PostsMethods, PostsVars } from "./posts.internals";
import {
	type CommentParams,
	commentPageSchema,
	commentParams,
	type CommentView,
	commentViewSchema,
	type CreateCommentParams,
	createCommentParams,
	type ListCommentsParams,
	listCommentsParams,
	MAX_COMMENT_DEPTH,
	NO_CONTENT,
	type Page,
	type ReactionParams,
	reactionParams,
	type ReactionResult,
	reactionResultSchema,
	type UpdateCommentParams,
	updateCommentParams
} from "./posts.types";

type Ctx<P> = Context<P, RequestMeta>;
type PostsThis = PostsMethods & PostsVars;

/** What readers do with a post: react and comment. Part of the posts service. */
export const PostInteractionsMixin: Partial<ServiceSchema<ServiceSettingSchema, PostsMethods, PostsVars>> = {
	actions: {
		/** Adds the caller's reaction of this kind; doing it again changes nothing. */
		react: {
			http: "PUT /posts/:id/reactions/:kind",
			visibility: "published",
			auth: "required",
			params: reactionParams,
			response: reactionResultSchema,
			async handler(ctx: Ctx<ReactionParams>) {
				return setReaction.call(this, ctx, true);
			}
		},

		/** Takes the caller's reaction of this kind back; doing it again changes nothing. */
		unreact: {
			http: "DELETE /posts/:id/reactions/:kind",
			visibility: "published",
			auth: "required",
			params: reactionParams,
			response: reactionResultSchema,
			async handler(ctx: Ctx<ReactionParams>) {
				return setReaction.call(this, ctx, false);
			}
		},

		comments: {
			http: "GET /posts/:id/comments",
			visibility: "published",
			auth: "optional",
			params: listCommentsParams,
			response: commentPageSchema,
			...READ,
			async handler(ctx: Ctx<ListCommentsParams>): Promise<Page<CommentView>> {
				const { id, page, pageSize } = ctx.params;
				await this.readable(ctx, id);
				const { rows, total } = await this.comments.page(id, page, pageSize);
				return pageOf(rows, total, page, pageSize);
			}
		},

		/** Comments on a published post, or replies to a comment (at most three levels deep). */
		comment: {
			http: "POST /posts/:id/comments",
			visibility: "published",
			auth: "required",
			params: createCommentParams,
			response: commentViewSchema,
			async handler(ctx: Ctx<CreateCommentParams>): Promise<CommentView> {
				const { id, content, parentId } = ctx.params;
				const post = await this.published(ctx, id);
				await this.decideOnPost(
					ctx,
					"post.comment",
					post,
					undefined,
					() => new ForbiddenError("Only the group's members comment on its posts")
				);
				const parent = parentId ? await this.comments.find(id, parentId) : undefined;
				if (parentId && !parent) throw new CommentNotFoundError();
				const depth = parent ? parent.depth + 1 : 1;
				if (depth > MAX_COMMENT_DEPTH) throw commentTooDeep(MAX_COMMENT_DEPTH);
				const commenterId = ctx.meta.user!.id;
				const comment = await this.sequelize.transaction(async transaction => {
					const added = await this.comments.add(transaction, {
						postId: id,
						parentId: parentId ?? null,
						depth,
						authorId: commenterId,
						content,
						html: renderMarkdown(content)
					});
					await this.record(transaction, post, "post.commented", commenterId, {
						commentId: added.id,
						commenterId,
						parentAuthorId: parent?.author_id ?? null
					});
					return added;
				});
				await this.forgetPost(post.id, post.slug, ctx);
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/posts/${id}/comments`;
				return comment;
			}
		},

		/** Its author edits a comment. */
		updateComment: {
			http: "PATCH /posts/:id/comments/:commentId",
			visibility: "published",
			auth: "required",
			params: updateCommentParams,
			response: commentViewSchema,
			async handler(ctx: Ctx<UpdateCommentParams>): Promise<CommentView> {
				const { id, commentId, content } = ctx.params;
				const post = await this.readable(ctx, id);
				const comment = await this.comments.find(id, commentId);
				if (!comment || comment.deleted_at) throw new CommentNotFoundError();
				await this.decideOnPost(ctx, "comment.edit", post, commentRelations(ctx, post, comment), () =>
					comment.author_id === ctx.meta.user!.id
						? new ForbiddenError("Only the group's members edit comments on its posts")
						: new ForbiddenError("Only its author may edit a comment")
				);
				return this.comments.edit(commentId, content, renderMarkdown(content));
			}
		},

		/** The comment's author, the post's author, a group moderator or an admin removes a comment. */
		removeComment: {
			http: "DELETE /posts/:id/comments/:commentId",
			visibility: "published",
			auth: "required",
			params: commentParams,
			response: NO_CONTENT,
			async handler(ctx: Ctx<CommentParams>) {
				const { id, commentId } = ctx.params;
				const post = await this.readable(ctx, id);
				const comment = await this.comments.find(id, commentId);
				if (!comment || comment.deleted_at) throw new CommentNotFoundError();
				await this.decideOnPost(ctx, "comment.delete", post, commentRelations(ctx, post, comment));
				await this.sequelize.transaction(transaction => this.comments.remove(transaction, id, commentId));
				await this.forgetPost(post.id, post.slug, ctx);
				ctx.meta.$statusCode = 204;
				return null;
			}
		}
	}
};

/** How the caller stands to a comment: its author, or the author of the post it is on. */
function commentRelations(ctx: Ctx<unknown>, post: { authorId: string }, comment: { author_id: string | null }): Relation[] {
	const callerId = ctx.meta.user?.id;
	const relations: Relation[] = [];
	if (comment.author_id === callerId) relations.push("author");
	if (post.authorId === callerId) relations.push("postAuthor");
	return relations;
}

/** PUT and DELETE of a reaction: the counts after it, and the caller's reactions. */
async function setReaction(this: PostsThis, ctx: Ctx<ReactionParams>, on: boolean): Promise<ReactionResult> {
	const { id, kind } = ctx.params;
	const userId = ctx.meta.user!.id;
	const post = await this.published(ctx, id);
	await this.decideOnPost(ctx, "post.react", post, undefined, () => new ForbiddenError("Only the group's members react to its posts"));
	const { changed, counts } = await this.sequelize.transaction(async transaction => {
		const result = await this.reactions.set(post.id, userId, kind, on, transaction);
		if (result.changed && on) await this.record(transaction, post, "post.reacted", userId, { userId, kind });
		return result;
	});
	if (changed) await this.forgetPost(post.id, post.slug, ctx);
	return { reactions: counts, myReactions: await this.reactions.mine(post.id, userId) };
}
