import type { ModelStatic } from "sequelize";
import type { PostModel } from "./posts.model";
import type { PostRecord, PostSummary } from "./posts.types";

/** A summary is the post without its body: these attributes are the only ones it leaves out. */
const BODY: ReadonlySet<string> = new Set<keyof PostRecord>(["content", "html", "groupPrivate"]);

/** The columns a list reads, derived from the model so that a new column reaches summaries by itself. */
export function summaryColumns(model: ModelStatic<PostModel>): string {
	return Object.entries(model.getAttributes())
		.filter(([name]) => !BODY.has(name))
		.map(([name, attribute]) => `"${attribute.field ?? name}"`)
		.join(", ");
}

/** The one mapping of a post row to what the API shows of it: list pages use it as is. */
export function summaryOf(post: PostModel): PostSummary {
	return {
		id: post.id,
		slug: post.slug,
		title: post.title,
		excerpt: post.excerpt,
		category: post.category,
		tags: post.tags,
		status: post.status,
		groupId: post.groupId,
		authorId: post.authorId,
		readingTimeMinutes: post.readingTimeMinutes,
		viewCount: post.viewCount,
		reactions: { like: post.likeCount, helpful: post.helpfulCount, insightful: post.insightfulCount },
		commentCount: post.commentCount,
		publishedAt: post.publishedAt?.toISOString() ?? null,
		createdAt: post.createdAt.toISOString(),
		updatedAt: post.updatedAt.toISOString()
	};
}

/** The post as cached for every reader: its summary with the body. */
export function recordOf(post: PostModel): PostRecord {
	return { ...summaryOf(post), content: post.content, html: post.html, groupPrivate: post.groupPrivate };
}
