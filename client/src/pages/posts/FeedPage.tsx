import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import { CATEGORIES, type Page, type PostSummary } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { searchTerms } from "../../components/Highlight";
import { Pager } from "../../components/Pager";
import { useResource, useTitle } from "../../hooks";
import { PostCard } from "./PostCard";

type Sort = "recent" | "popular" | "relevance";

/** The home feed: recent or popular posts, a search, and filters by category and tag, all in the address. */
export default function FeedPage() {
	const { query, route } = useLocation();
	const q = query.q?.trim() || undefined;
	const sort: Sort = q ? "relevance" : query.sort === "popular" ? "popular" : "recent";
	const page = Math.max(1, Number(query.page) || 1);
	const [draft, setDraft] = useState(q ?? "");
	useTitle(q ? `Search: ${q}` : undefined);

	const go = (changes: Record<string, string | number | undefined>) => {
		const next = new URLSearchParams();
		for (const [key, value] of Object.entries({ q, sort: query.sort, category: query.category, tag: query.tag, ...changes }))
			if (value !== undefined && value !== "" && !(key === "page" && Number(value) === 1)) next.set(key, String(value));
		const search = next.toString();
		route(search ? `/?${search}` : "/");
	};

	const posts = useResource(
		async signal => {
			const result = await get<Page<PostSummary>>(
				"/posts",
				{ q, sort, category: query.category, tag: query.tag, page, pageSize: 20 },
				signal
			);
			void learnNames(result.rows.map(p => p.authorId));
			return result;
		},
		[q, sort, query.category, query.tag, page]
	);

	return (
		<section>
			<h1>{q ? `Posts matching “${q}”` : query.tag ? `Posts tagged #${query.tag}` : "Posts"}</h1>
			<form
				role="search"
				class="toolbar"
				onSubmit={event => {
					event.preventDefault();
					go({ q: draft.trim() || undefined, page: undefined });
				}}
			>
				<label for="search">Search posts</label>
				<input id="search" type="search" maxLength={200} value={draft} onInput={e => setDraft(e.currentTarget.value)} />
				<button type="submit">Search</button>
				<label for="category">Category</label>
				<select
					id="category"
					value={query.category ?? ""}
					onChange={e => go({ category: e.currentTarget.value || undefined, page: undefined })}
				>
					<option value="">All</option>
					{CATEGORIES.map(c => (
						<option key={c} value={c}>
							{c}
						</option>
					))}
				</select>
			</form>
			{!q && (
				<nav class="tabs" aria-label="Order">
					<a href={query.category ? `/?category=${query.category}` : "/"} aria-current={sort === "recent" ? "page" : undefined}>
						Recent
					</a>
					<a
						href={`/?sort=popular${query.category ? `&category=${query.category}` : ""}`}
						aria-current={sort === "popular" ? "page" : undefined}
					>
						Popular
					</a>
				</nav>
			)}
			{query.tag && (
				<p>
					<a href="/">Clear the tag filter</a>
				</p>
			)}
			{posts.error !== undefined && <ErrorNotice error={posts.error} retry={posts.reload} />}
			{posts.loading && !posts.data && <Loading what="Loading posts" />}
			{posts.data && (
				<>
					{posts.data.rows.length === 0 && <p>No posts here yet.</p>}
					<div class="cards" aria-busy={posts.loading}>
						{posts.data.rows.map(post => (
							<PostCard key={post.id} post={post} terms={searchTerms(q)} />
						))}
					</div>
					<Pager page={page} totalPages={Math.ceil(posts.data.total / posts.data.pageSize)} go={p => go({ page: p })} />
				</>
			)}
		</section>
	);
}
