/**
 * The posts service's contract: what other services may call, catch and consume. Other services
 * import this file, never the service's other files. The parameter and response types are derived
 * from the actions' schemas (posts.types.ts, docs/schemas.md).
 */
import type { ActionSpec } from "../../lib/contracts";
import { eventTypes } from "../../lib/contracts";
import type {
	CommentParams,
	CommentView,
	CountedName,
	CreateCommentParams,
	CreatePostParams,
	GetPostParams,
	ListCommentsParams,
	ListPostsParams,
	Page,
	PostCommentedEvent,
	PostCreatedEvent,
	PostDeletedEvent,
	PostParams,
	PostPublishedEvent,
	PostReactedEvent,
	PostSummary,
	PostUpdatedEvent,
	PostView,
	ReactionParams,
	ReactionResult,
	TagsParams,
	UpdateCommentParams,
	UpdatePostParams
} from "./posts.types";

export type {
	ListPostsParams,
	Page,
	PostCommentedEvent,
	PostCreatedEvent,
	PostDeletedEvent,
	PostEventBase,
	PostPublishedEvent,
	PostReactedEvent,
	PostSummary,
	PostUpdatedEvent,
	PostView,
	ReactionResult
} from "./posts.types";

/** A post in lists, as a response schema: the groups service's feed of a group answers a page of them. */
export { postSummarySchema } from "./posts.types";

export interface PostsActions {
	"posts.create": ActionSpec<CreatePostParams, PostView>;
	/** Also the groups service's feed of a group (`group`). */
	"posts.list": ActionSpec<ListPostsParams, Page<PostSummary>>;
	"posts.get": ActionSpec<GetPostParams, PostView>;
	"posts.update": ActionSpec<UpdatePostParams, PostView>;
	"posts.remove": ActionSpec<PostParams, null>;
	"posts.categories": ActionSpec<Record<string, never>, CountedName[]>;
	"posts.tags": ActionSpec<TagsParams, CountedName[]>;
	"posts.react": ActionSpec<ReactionParams, ReactionResult>;
	"posts.unreact": ActionSpec<ReactionParams, ReactionResult>;
	"posts.comments": ActionSpec<ListCommentsParams, Page<CommentView>>;
	"posts.comment": ActionSpec<CreateCommentParams, CommentView>;
	"posts.updateComment": ActionSpec<UpdateCommentParams, CommentView>;
	"posts.removeComment": ActionSpec<CommentParams, null>;
}

/** The domain events posts produces: event type → payload. Every payload carries the post's ids, slug, title and author. */
export interface PostsEvents {
	"post.created": PostCreatedEvent;
	"post.updated": PostUpdatedEvent;
	"post.deleted": PostDeletedEvent;
	"post.published": PostPublishedEvent;
	"post.commented": PostCommentedEvent;
	"post.reacted": PostReactedEvent;
}

export const POSTS_EVENT_TYPES = eventTypes<PostsEvents>({
	"post.created": true,
	"post.updated": true,
	"post.deleted": true,
	"post.published": true,
	"post.commented": true,
	"post.reacted": true
});
