import { useState } from "preact/hooks";
import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import type { Page, PostSummary } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";
import type { Group } from "./types";

/** The group's discussion: its posts, newest first, and for members a way to write one. */
export function GroupPosts({ group, version }: { group: Group; version: number }) {
	const [page, setPage] = useState(1);
	const posts = useResource(
		async signal => {
			const result = await get<Page<PostSummary>>(`/groups/${group.id}/posts`, { page, pageSize: 20 }, signal);
			void learnNames(result.rows.map(p => p.authorId));
			return result;
		},
		[group.id, page, version]
	);
	return (
		<section aria-labelledby="posts-heading">
			<div class="section-head">
				<h2 id="posts-heading">Posts</h2>
				{group.myRole && (
					<a href={`/write?group=${group.id}`} class="button">
						Write in this group
					</a>
				)}
			</div>
			{posts.error !== undefined && <ErrorNotice error={posts.error} retry={posts.reload} />}
			{posts.loading && !posts.data && <Loading what="Loading posts" />}
			{posts.data && (
				<>
					{posts.data.rows.length === 0 && <p>No posts in this group yet.</p>}
					<ul class="group-posts" aria-busy={posts.loading}>
						{posts.data.rows.map(post => (
							<li key={post.id}>
								<h3>
									<a href={`/posts/${post.slug}`}>{post.title}</a>
								</h3>
								<p class="meta">
									<PersonLink id={post.authorId} /> · <Time iso={post.publishedAt ?? post.createdAt} /> ·{" "}
									{post.commentCount} {post.commentCount === 1 ? "comment" : "comments"}
								</p>
								{post.excerpt && <p>{post.excerpt}</p>}
							</li>
						))}
					</ul>
					<Pager page={page} totalPages={posts.data.totalPages ?? 1} go={setPage} />
				</>
			)}
		</section>
	);
}
