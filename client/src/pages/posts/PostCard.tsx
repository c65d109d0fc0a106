import type { PostSummary } from "../../api/types";
import { Highlight } from "../../components/Highlight";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";

export function PostCard({ post, terms }: { post: PostSummary; terms: string[] }) {
	const reactions = post.reactions.like + post.reactions.helpful + post.reactions.insightful;
	return (
		<article class="card">
			<h2>
				<a href={`/posts/${post.slug}`}>
					<Highlight text={post.title} terms={terms} />
				</a>
				{post.status === "draft" && <span class="tag draft">draft</span>}
			</h2>
			<p class="meta">
				<PersonLink id={post.authorId} /> · <Time iso={post.publishedAt ?? post.createdAt} /> · {post.readingTimeMinutes} min read
			</p>
			<p>
				<Highlight text={post.excerpt} terms={terms} />
			</p>
			<p class="meta">
				<a href={`/?category=${post.category}`} class="tag category">
					{post.category}
				</a>
				{post.tags.map(tag => (
					<a key={tag} href={`/?tag=${encodeURIComponent(tag)}`} class="tag">
						#{tag}
					</a>
				))}
				<span>
					{reactions} reactions · {post.commentCount} comments
				</span>
			</p>
		</article>
	);
}
