import { useId, useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import type { Comment, Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Form } from "../../components/Form";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";

/** Replies may nest this deep (the API's limit). */
const MAX_DEPTH = 3;

function CommentBox({
	label,
	initial = "",
	submit,
	onSave
}: {
	label: string;
	initial?: string;
	submit: string;
	onSave: (text: string) => Promise<unknown>;
}) {
	const [text, setText] = useState(initial);
	const id = useId();
	return (
		<Form label={label} submit={submit} onSubmit={() => onSave(text).then(() => setText(""))}>
			<label class="visually-hidden" for={id}>
				{label}
			</label>
			<textarea id={id} required maxLength={10000} rows={3} value={text} onInput={e => setText(e.currentTarget.value)} />
		</Form>
	);
}

function CommentItem({
	comment,
	replies,
	postId,
	reload
}: {
	comment: Comment;
	replies: Map<string | null, Comment[]>;
	postId: string;
	reload: () => void;
}) {
	const [mode, setMode] = useState<"read" | "reply" | "edit">("read");
	const [error, setError] = useState<unknown>();
	const mine = !!me.value && me.value.id === comment.authorId && !comment.deleted;
	const remove = () => api("DELETE", `/posts/${postId}/comments/${comment.id}`).then(reload, setError);
	return (
		<li>
			<article class="comment" aria-label={`Comment ${comment.id.slice(0, 8)}`}>
				<p class="meta">
					<PersonLink id={comment.authorId} /> · <Time iso={comment.createdAt} />
					{comment.updatedAt !== comment.createdAt && !comment.deleted && " · edited"}
				</p>
				{comment.deleted ? (
					<p class="muted">This comment was deleted.</p>
				) : mode === "edit" ? (
					<CommentBox
						label={`Edit comment ${comment.id.slice(0, 8)}`}
						initial={comment.content}
						submit="Save"
						onSave={content =>
							api("PATCH", `/posts/${postId}/comments/${comment.id}`, { body: { content } }).then(
								() => (setMode("read"), reload())
							)
						}
					/>
				) : (
					<div class="prose" dangerouslySetInnerHTML={{ __html: comment.html }} />
				)}
				<div class="actions">
					{me.value && comment.depth < MAX_DEPTH && !comment.deleted && (
						<button type="button" class="link" onClick={() => setMode(mode === "reply" ? "read" : "reply")}>
							Reply
						</button>
					)}
					{mine && (
						<>
							<button type="button" class="link" onClick={() => setMode(mode === "edit" ? "read" : "edit")}>
								Edit
							</button>
							<button type="button" class="link danger" onClick={() => confirm("Delete this comment?") && void remove()}>
								Delete
							</button>
						</>
					)}
				</div>
				{error !== undefined && <ErrorNotice error={error} />}
				{mode === "reply" && (
					<CommentBox
						label={`Reply to comment ${comment.id.slice(0, 8)}`}
						submit="Reply"
						onSave={content =>
							api("POST", `/posts/${postId}/comments`, { body: { content, parentId: comment.id } }).then(
								() => (setMode("read"), reload())
							)
						}
					/>
				)}
			</article>
			<Thread parentId={comment.id} replies={replies} postId={postId} reload={reload} />
		</li>
	);
}

function Thread({
	parentId,
	replies,
	postId,
	reload
}: {
	parentId: string | null;
	replies: Map<string | null, Comment[]>;
	postId: string;
	reload: () => void;
}) {
	const children = replies.get(parentId);
	if (!children?.length) return null;
	return (
		<ol class="thread">
			{children.map(c => (
				<CommentItem key={c.id} comment={c} replies={replies} postId={postId} reload={reload} />
			))}
		</ol>
	);
}

/** The post's comments as a thread (oldest first, the first 100), and a box to add one. */
export function Comments({ postId }: { postId: string }) {
	const comments = useResource(
		async signal => {
			const page = await get<Page<Comment>>(`/posts/${postId}/comments`, { pageSize: 100 }, signal);
			void learnNames(page.rows.map(c => c.authorId));
			return page;
		},
		[postId]
	);
	const replies = new Map<string | null, Comment[]>();
	for (const c of comments.data?.rows ?? []) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c]);
	return (
		<section aria-labelledby="comments-heading">
			<h2 id="comments-heading">Comments{comments.data ? ` (${comments.data.total})` : ""}</h2>
			{comments.error !== undefined && <ErrorNotice error={comments.error} retry={comments.reload} />}
			{comments.loading && !comments.data && <Loading what="Loading comments" />}
			<Thread parentId={null} replies={replies} postId={postId} reload={comments.reload} />
			{me.value ? (
				<CommentBox
					label="Add a comment"
					submit="Comment"
					onSave={content => api("POST", `/posts/${postId}/comments`, { body: { content } }).then(comments.reload)}
				/>
			) : (
				<p>
					<a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Sign in</a> to comment.
				</p>
			)}
		</section>
	);
}
