import { useLocation, useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import type { Post } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { PersonLink } from "../../components/PersonLink";
import { RenderedMarkdown } from "../../components/RenderedMarkdown";
import { Time } from "../../components/Time";
import { useResource, useTitle } from "../../hooks";
import { Comments } from "./Comments";
import { Reactions } from "./Reactions";

export default function PostPage() {
	const { params } = useRoute();
	const { route } = useLocation();
	const [deleteError, setDeleteError] = useState<unknown>();
	const post = useResource(
		async signal => {
			const found = await get<Post>(`/posts/${encodeURIComponent(params.slug)}`, undefined, signal);
			void learnNames([found.authorId]);
			return found;
		},
		[params.slug, me.value?.id]
	);
	useTitle(post.data?.title);
	if (post.error !== undefined) return <ErrorNotice error={post.error} retry={post.reload} />;
	if (!post.data) return <Loading what="Loading the post" />;
	const p = post.data;
	const mine = me.value?.id === p.authorId;
	return (
		<article class="post">
			<header>
				<h1>{p.title}</h1>
				<p class="meta">
					<PersonLink id={p.authorId} /> · <Time iso={p.publishedAt ?? p.createdAt} /> · {p.readingTimeMinutes} min read ·{" "}
					{p.viewCount} views
					{p.status === "draft" && <span class="tag draft">draft</span>}
				</p>
				<p class="meta">
					<a href={`/?category=${p.category}`} class="tag category">
						{p.category}
					</a>
					{p.tags.map(tag => (
						<a key={tag} href={`/?tag=${encodeURIComponent(tag)}`} class="tag">
							#{tag}
						</a>
					))}
				</p>
				{mine && (
					<div class="actions">
						<a href={`/posts/${p.slug}/edit`} class="button">
							Edit
						</a>
						<button
							type="button"
							class="danger"
							onClick={() =>
								confirm("Delete this post? This cannot be undone.") &&
								void api("DELETE", `/posts/${p.id}`).then(() => route("/"), setDeleteError)
							}
						>
							Delete
						</button>
					</div>
				)}
				{deleteError !== undefined && <ErrorNotice error={deleteError} />}
			</header>
			<RenderedMarkdown html={p.html} />
			<Reactions key={p.id} post={p} />
			{p.status === "published" && <Comments postId={p.id} />}
		</article>
	);
}
