import { useLocation, useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { me } from "../../api/session";
import { CATEGORIES, type Category, type Post } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import CodeEditor from "../../editor/CodeEditor";
import { renderMarkdown } from "../../editor/render-markdown";
import { useIntentKey, useResource, useStoredState, useTitle } from "../../hooks";

interface Draft {
	title: string;
	content: string;
	category: Category;
	tags: string;
}

const EMPTY: Draft = { title: "", content: "", category: "algorithms", tags: "" };

const tagsOf = (text: string) =>
	text
		.split(",")
		.map(t => t.trim())
		.filter(Boolean);

/** Writing a post (or editing one at /posts/:slug/edit): markdown with a preview, the draft kept in this browser until saved. */
function Editor({ post, groupId }: { post?: Post; groupId?: string }) {
	const { route } = useLocation();
	const initial = post ? { title: post.title, content: post.content, category: post.category, tags: post.tags.join(", ") } : EMPTY;
	const [draft, setDraft, forgetDraft] = useStoredState<Draft>(`code-learn:draft:${post?.id ?? `new:${groupId ?? ""}`}`, initial);
	const [tab, setTab] = useState<"write" | "preview">("write");
	// One key per post as sent: a retry after a lost answer does not publish it twice.
	const intent = useIntentKey();
	const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });

	const save = async (status: "draft" | "published") => {
		const fields = { title: draft.title, content: draft.content, category: draft.category, tags: tagsOf(draft.tags), status };
		const saved = post
			? await api<Post>("PATCH", `/posts/${post.id}`, { body: fields })
			: await api<Post>("POST", "/posts", {
					body: { ...fields, ...(groupId ? { groupId } : {}) },
					idempotencyKey: intent.keyFor({ ...fields, groupId })
				});
		forgetDraft();
		route(`/posts/${saved.slug}`);
	};
	const [publishing, setPublishing] = useState<"draft" | "published">("published");

	return (
		<Form
			label={post ? "Edit the post" : "Write a post"}
			submit={publishing === "published" ? "Publish" : "Save draft"}
			onSubmit={() => save(publishing)}
		>
			<Field label="Title">
				{id => (
					<input
						id={id}
						name="title"
						required
						minLength={3}
						maxLength={200}
						value={draft.title}
						onInput={e => set({ title: e.currentTarget.value })}
					/>
				)}
			</Field>
			<div class="row">
				<Field label="Category">
					{id => (
						<select id={id} value={draft.category} onChange={e => set({ category: e.currentTarget.value as Category })}>
							{CATEGORIES.map(c => (
								<option key={c} value={c}>
									{c}
								</option>
							))}
						</select>
					)}
				</Field>
				<Field label="Tags" hint="Up to 5, separated by commas.">
					{(id, hint) => (
						<input
							id={id}
							name="tags"
							aria-describedby={hint}
							value={draft.tags}
							onInput={e => set({ tags: e.currentTarget.value })}
						/>
					)}
				</Field>
			</div>
			<div class="tabs" role="tablist" aria-label="Editor">
				{(["write", "preview"] as const).map(t => (
					<button
						key={t}
						type="button"
						role="tab"
						id={`tab-${t}`}
						aria-selected={tab === t}
						aria-controls="editor-panel"
						onClick={() => setTab(t)}
					>
						{t === "write" ? "Write" : "Preview"}
					</button>
				))}
			</div>
			<div id="editor-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
				{tab === "write" ? (
					<CodeEditor
						label="Content (markdown)"
						language="markdown"
						initialValue={draft.content}
						maxLength={100_000}
						onChange={content => set({ content })}
					/>
				) : (
					<div class="prose preview" dangerouslySetInnerHTML={{ __html: renderMarkdown(draft.content) }} />
				)}
			</div>
			<p class="hint">Your draft is kept in this browser until you save it.</p>
			<fieldset class="row">
				<legend>When saved</legend>
				<label>
					<input type="radio" name="status" checked={publishing === "published"} onChange={() => setPublishing("published")} />{" "}
					publish it
				</label>
				<label>
					<input type="radio" name="status" checked={publishing === "draft"} onChange={() => setPublishing("draft")} /> keep it as
					a draft
				</label>
			</fieldset>
		</Form>
	);
}

export default function WritePage() {
	const { params } = useRoute();
	const { query, route } = useLocation();
	useTitle(params.slug ? "Edit the post" : "Write a post");
	const post = useResource(
		signal => (params.slug ? get<Post>(`/posts/${encodeURIComponent(params.slug)}`, undefined, signal) : Promise.resolve(undefined)),
		[params.slug]
	);
	useEffect(() => {
		if (me.value === null) route(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
	}, [me.value]);
	if (!me.value) return <Loading />;
	if (post.error !== undefined) return <ErrorNotice error={post.error} retry={post.reload} />;
	if (params.slug && !post.data) return <Loading what="Loading the post" />;
	return (
		<section>
			<h1>{params.slug ? "Edit the post" : "Write a post"}</h1>
			<Editor key={post.data?.id ?? "new"} post={post.data} groupId={query.group} />
		</section>
	);
}
