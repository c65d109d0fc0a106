import { useState } from "preact/hooks";
import { get } from "../../api/http";
import type { Page, PostSummary } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";

const PAGE_SIZE = 10;

/** The published posts of one author that the caller may see, newest first. */
export function AuthoredPosts({ authorId }: { authorId: string }) {
	const [page, setPage] = useState(1);
	const posts = useResource(
		signal => get<Page<PostSummary>>("/posts", { author: authorId, sort: "recent", page, pageSize: PAGE_SIZE }, signal),
		[authorId, page]
	);
	return (
		<section aria-labelledby="posts-heading">
			<h2 id="posts-heading">Posts{posts.data ? ` (${posts.data.total})` : ""}</h2>
			{posts.error !== undefined && <ErrorNotice error={posts.error} retry={posts.reload} />}
			{posts.loading && !posts.data && <Loading what="Loading the posts" />}
			{posts.data && (
				<>
					{posts.data.rows.length === 0 && <p>No posts yet.</p>}
					<ul class="authored" aria-busy={posts.loading}>
						{posts.data.rows.map(post => (
							<li key={post.id}>
								<a href={`/posts/${post.slug}`}>{post.title}</a>
								<p class="meta">
									<Time iso={post.publishedAt ?? post.createdAt} /> · {post.category} · {post.commentCount} comments
								</p>
							</li>
						))}
					</ul>
					<Pager page={page} totalPages={Math.ceil(posts.data.total / posts.data.pageSize)} go={setPage} />
				</>
			)}
		</section>
	);
}
