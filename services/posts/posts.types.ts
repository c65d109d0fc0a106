export type { Page } from "../../lib/page";

import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";

/** The fixed set of categories (`GET /api/categories` counts them). */
export const CATEGORIES = ["algorithms", "data-structures", "web", "databases", "devops", "languages", "career"] as const;
export type Category = (typeof CATEGORIES)[number];
export const STATUSES = ["draft", "published"] as const;
export type PostStatus = (typeof STATUSES)[number];
export const REACTION_KINDS = ["like", "helpful", "insightful"] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
export const SORTS = ["recent", "popular", "relevance"] as const;
export type Sort = (typeof SORTS)[number];

export const MAX_TAGS = 5;
export const MAX_CONTENT_CHARS = 100_000;
export const MAX_COMMENT_CHARS = 10_000;
/** Top-level comments are depth 1; replies may nest down to this depth. */
export const MAX_COMMENT_DEPTH = 3;

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

const id = { type: "uuid" } as const;
const count = { type: "number", integer: true, min: 0 } as const;
const category = { type: "enum", values: CATEGORIES } as const;
const status = { type: "enum", values: STATUSES } as const;
const reactionKind = { type: "enum", values: REACTION_KINDS } as const;

/** How many readers reacted with each kind. */
export const reactionCountsSchema = {
	$$strict: true,
	like: count,
	helpful: count,
	insightful: count
} as const satisfies Record<"$$strict" | ReactionKind, unknown>; // every kind, and only the kinds
export type ReactionCounts = Infer<typeof reactionCountsSchema>;

/** A post in lists: everything but the body. */
export const postSummarySchema = {
	$$strict: true,
	id,
	/** The title's slug, with a random suffix when another post had it (tags.ts). */
	slug: { type: "string", min: 1, max: 220 },
	title: { type: "string", min: 3, max: 200 },
	/** Plain text, at most 280 characters and an ellipsis (lib/markdown.ts). */
	excerpt: { type: "string", max: 281 },
	category,
	/** Lowercase slugs (tags.ts): slugify may lengthen what was sent, so no maximum here. */
	tags: { type: "array", max: MAX_TAGS, items: { type: "string", min: 1 } },
	status,
	groupId: { ...id, nullable: true },
	authorId: id,
	readingTimeMinutes: count,
	viewCount: count,
	reactions: { type: "object", props: reactionCountsSchema },
	commentCount: count,
	publishedAt: { ...isoDateTime, nullable: true },
	createdAt: isoDateTime,
	updatedAt: isoDateTime
} as const;
export type PostSummary = Infer<typeof postSummarySchema>;

/** One post: the markdown as written and its sanitised HTML. */
export const postViewSchema = {
	...postSummarySchema,
	content: { type: "string", min: 1, max: MAX_CONTENT_CHARS },
	html: { type: "string" },
	/** The caller's reactions (empty when anonymous). */
	myReactions: { type: "array", items: reactionKind }
} as const;
export type PostView = Infer<typeof postViewSchema>;
/** A post as cached: the same for every reader; who may read it is checked on each call. */
export type PostRecord = Omit<PostView, "myReactions"> & { groupPrivate: boolean };

export const commentViewSchema = {
	$$strict: true,
	id,
	postId: id,
	parentId: { ...id, nullable: true },
	depth: { type: "number", integer: true, min: 1, max: MAX_COMMENT_DEPTH },
	/** null: the comment was deleted (its replies stay) or its author deleted their account. */
	authorId: { ...id, nullable: true },
	content: { type: "string", max: MAX_COMMENT_CHARS },
	html: { type: "string" },
	deleted: { type: "boolean" },
	createdAt: isoDateTime,
	updatedAt: isoDateTime
} as const;
export type CommentView = Infer<typeof commentViewSchema>;

/** A category or a tag, with its number of public posts. */
export const countedNameSchema = { $$strict: true, name: { type: "string", min: 1 }, count } as const;
export type CountedName = Infer<typeof countedNameSchema>;

/** A reaction set or taken back: the counts after it, and the caller's reactions. */
export const reactionResultSchema = {
	$$strict: true,
	reactions: { type: "object", props: reactionCountsSchema },
	myReactions: { type: "array", items: reactionKind }
} as const;
export type ReactionResult = Infer<typeof reactionResultSchema>;

export const postPageSchema = pageSchema(postSummarySchema);
export const commentPageSchema = pageSchema(commentViewSchema);
/** `GET /categories` and `GET /tags`. */
export const countedNamesResponse = { $$root: true, type: "array", items: { type: "object", props: countedNameSchema } } as const;
/** No body at all (204). */
export const NO_CONTENT = null;

// --- Action params ---

const title = { type: "string", trim: true, min: 3, max: 200 } as const;
const content = { type: "string", min: 1, max: MAX_CONTENT_CHARS } as const;
/** Tags are normalised to lowercase slugs before they are stored (see tags.ts). */
const tags = { type: "array", max: MAX_TAGS, items: { type: "string", trim: true, min: 1, max: 32 } } as const;
const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

export const createPostParams = {
	$$strict: true,
	title,
	content,
	category,
	tags: { ...tags, default: [] },
	groupId: { ...id, optional: true },
	status: { ...status, default: "draft" }
} as const;
export type CreatePostParams = Infer<typeof createPostParams>;

export const updatePostParams = {
	$$strict: true,
	id,
	title: { ...title, optional: true },
	content: { ...content, optional: true },
	category: { ...category, optional: true },
	tags: { ...tags, optional: true },
	status: { ...status, optional: true }
} as const;
export type UpdatePostParams = Infer<typeof updatePostParams>;

export const listPostsParams = {
	$$strict: true,
	q: { type: "string", trim: true, min: 1, max: 200, optional: true },
	tag: { type: "string", trim: true, min: 1, max: 32, optional: true },
	category: { ...category, optional: true },
	author: { ...id, optional: true },
	group: { ...id, optional: true },
	/** The caller's own posts, drafts included. */
	mine: { type: "boolean", convert: true, optional: true },
	sort: { type: "enum", values: SORTS, optional: true },
	page,
	pageSize
} as const;
export type ListPostsParams = Infer<typeof listPostsParams>;

export const postParams = { $$strict: true, id } as const;
export type PostParams = Infer<typeof postParams>;

export const getPostParams = { $$strict: true, idOrSlug: { type: "string", min: 1, max: 220, pattern: /^[a-z0-9-]+$/i } } as const;
export type GetPostParams = Infer<typeof getPostParams>;

export const reactionParams = { $$strict: true, id, kind: reactionKind } as const;
export type ReactionParams = Infer<typeof reactionParams>;

export const listCommentsParams = { $$strict: true, id, page, pageSize } as const;
export type ListCommentsParams = Infer<typeof listCommentsParams>;

const commentContent = { type: "string", min: 1, max: MAX_COMMENT_CHARS } as const;

export const createCommentParams = { $$strict: true, id, content: commentContent, parentId: { ...id, optional: true } } as const;
export type CreateCommentParams = Infer<typeof createCommentParams>;

export const commentParams = { $$strict: true, id, commentId: id } as const;
export type CommentParams = Infer<typeof commentParams>;

export const updateCommentParams = { ...commentParams, content: commentContent } as const;
export type UpdateCommentParams = Infer<typeof updateCommentParams>;

export const tagsParams = { $$strict: true, q: { type: "string", trim: true, min: 1, max: 32, optional: true } } as const;
export type TagsParams = Infer<typeof tagsParams>;

// --- Events (the ids the notification service needs; no secrets) ---

export interface PostEventBase {
	postId: string;
	slug: string;
	title: string;
	authorId: string;
	groupId: string | null;
}
export interface PostCreatedEvent extends PostEventBase {
	status: PostStatus;
}
export interface PostUpdatedEvent extends PostEventBase {
	changed: string[];
}
export interface PostDeletedEvent extends PostEventBase {
	deletedBy: string | null;
	reason: "deleted" | "author_deleted" | "group_deleted";
}
export type PostPublishedEvent = PostEventBase;
export interface PostCommentedEvent extends PostEventBase {
	commentId: string;
	commenterId: string;
	/** The author of the comment replied to, if any: they are told of the reply. */
	parentAuthorId: string | null;
}
export interface PostReactedEvent extends PostEventBase {
	userId: string;
	kind: ReactionKind;
}
