import { ConflictError, fieldError, NotFoundError } from "../../lib/errors";

export class PostNotFoundError extends NotFoundError {
	constructor() {
		super("Post", "NOT_FOUND");
	}
}

/** A group to post into that does not exist, or that the caller may not know exists. */
export class GroupNotFoundError extends NotFoundError {
	constructor() {
		super("Group");
	}
}

export class CommentNotFoundError extends NotFoundError {
	constructor() {
		super("Comment", "COMMENT_NOT_FOUND");
	}
}

/** Drafts take no reactions or comments until they are published. */
export class PostNotPublishedError extends ConflictError {
	constructor() {
		super("The post is not published", "POST_NOT_PUBLISHED");
	}
}

export const commentTooDeep = (maxDepth: number) =>
	fieldError("parentId", "commentTooDeep", `Replies nest at most ${maxDepth} levels deep`, "COMMENT_TOO_DEEP");
