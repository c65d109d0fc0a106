export type { Page } from "../../lib/page";

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

export type ReactionCounts = Record<ReactionKind, number>;

/** A post in lists: everything but the body. */
export interface PostSummary {
	id: string;
	slug: string;
	title: string;
	excerpt: string;
	category: Category;
	tags: string[];
	status: PostStatus;
	groupId: string | null;
	authorId: string;
	readingTimeMinutes: number;
	viewCount: number;
	reactions: ReactionCounts;
	commentCount: number;
	publishedAt: string | null;
	createdAt: string;
	updatedAt: string;
}

/** One post: the markdown as written and its sanitised HTML. */
export interface PostView extends PostSummary {
	content: string;
	html: string;
	/** The caller's reactions (empty when anonymous). */
	myReactions: ReactionKind[];
}

export interface CommentView {
	id: string;
	postId: string;
	parentId: string | null;
	depth: number;
	/** null: the comment was deleted (its replies stay) or its author deleted their account. */
	authorId: string | null;
	content: string;
	html: string;
	deleted: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface CountedName {
	name: string;
	count: number;
}

// --- Action params, with their validator schemas side by side ---

const id = { type: "uuid" } as const;
const title = { type: "string", trim: true, min: 3, max: 200 } as const;
const content = { type: "string", min: 1, max: MAX_CONTENT_CHARS } as const;
/** Tags are normalised to lowercase slugs before they are stored (see tags.ts). */
const tags = { type: "array", max: MAX_TAGS, items: { type: "string", trim: true, min: 1, max: 32 } } as const;
const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

export interface CreatePostParams {
	title: string;
	content: string;
	category: Category;
	tags: string[];
	groupId?: string;
	status: PostStatus;
}
export const createPostParams = {
	$$strict: true,
	title,
	content,
	category: { type: "enum", values: CATEGORIES },
	tags: { ...tags, default: [] },
	groupId: { ...id, optional: true },
	status: { type: "enum", values: STATUSES, default: "draft" }
};

export interface UpdatePostParams {
	id: string;
	title?: string;
	content?: string;
	category?: Category;
	tags?: string[];
	status?: PostStatus;
}
export const updatePostParams = {
	$$strict: true,
	id,
	title: { ...title, optional: true },
	content: { ...content, optional: true },
	category: { type: "enum", values: CATEGORIES, optional: true },
	tags: { ...tags, optional: true },
	status: { type: "enum", values: STATUSES, optional: true }
};

export interface ListPostsParams {
	q?: string;
	tag?: string;
	category?: Category;
	author?: string;
	group?: string;
	/** The caller's own posts, drafts included. */
	mine?: boolean;
	sort?: Sort;
	page: number;
	pageSize: number;
}
export const listPostsParams = {
	$$strict: true,
	q: { type: "string", trim: true, min: 1, max: 200, optional: true },
	tag: { type: "string", trim: true, min: 1, max: 32, optional: true },
	category: { type: "enum", values: CATEGORIES, optional: true },
	author: { ...id, optional: true },
	group: { ...id, optional: true },
	mine: { type: "boolean", convert: true, optional: true },
	sort: { type: "enum", values: SORTS, optional: true },
	page,
	pageSize
};

export interface PostParams {
	id: string;
}
export const postParams = { $$strict: true, id };

export interface GetPostParams {
	idOrSlug: string;
}
export const getPostParams = { $$strict: true, idOrSlug: { type: "string", min: 1, max: 220, pattern: /^[a-z0-9-]+$/i } };

export interface ReactionParams {
	id: string;
	kind: ReactionKind;
}
export const reactionParams = { $$strict: true, id, kind: { type: "enum", values: REACTION_KINDS } };

export interface ListCommentsParams {
	id: string;
	page: number;
	pageSize: number;
}
export const listCommentsParams = { $$strict: true, id, page, pageSize };

export interface CreateCommentParams {
	id: string;
	content: string;
	parentId?: string;
}
export const createCommentParams = {
	$$strict: true,
	id,
	content: { type: "string", min: 1, max: MAX_COMMENT_CHARS },
	parentId: { ...id, optional: true }
};

export interface CommentParams {
	id: string;
	commentId: string;
}
export const commentParams = { $$strict: true, id, commentId: id };

export interface UpdateCommentParams extends CommentParams {
	content: string;
}
export const updateCommentParams = { ...commentParams, content: { type: "string", min: 1, max: MAX_COMMENT_CHARS } };

export interface TagsParams {
	q?: string;
}
export const tagsParams = { $$strict: true, q: { type: "string", trim: true, min: 1, max: 32, optional: true } };

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
