import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { get } from "../../api/http";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { useResource, useTitle } from "../../hooks";
import { DIFFICULTIES, type Difficulty, type Problem } from "./types";
import "./problems.css";

function ProblemCard({ problem }: { problem: Problem }) {
	return (
		<article class="card">
			<h2>
				<a href={`/problems/${problem.id}`}>{problem.title}</a>
			</h2>
			<p class="meta">
				<a href={`/problems?difficulty=${problem.difficulty}`} class={`tag difficulty-${problem.difficulty}`}>
					{problem.difficulty}
				</a>
				{problem.tags.map(tag => (
					<a key={tag} href={`/problems?tag=${encodeURIComponent(tag)}`} class="tag">
						#{tag}
					</a>
				))}
				<span>
					solved by {problem.solvedCount} {problem.solvedCount === 1 ? "person" : "people"}
				</span>
				{problem.solved && <span class="tag solved">you solved it</span>}
			</p>
		</article>
	);
}

/** The practice archive: published problems, newest first, filtered by tag and difficulty (all in the address). */
export default function ProblemsPage() {
	const { query, route } = useLocation();
	const page = Math.max(1, Number(query.page) || 1);
	const tag = query.tag?.trim() || undefined;
	const difficulty = DIFFICULTIES.find(d => d === query.difficulty);
	const [draft, setDraft] = useState(tag ?? "");
	useTitle("Practice problems");

	const go = (changes: { tag?: string; difficulty?: Difficulty; page?: number }) => {
		const next = new URLSearchParams();
		for (const [key, value] of Object.entries({ tag, difficulty, ...changes }))
			if (value !== undefined && value !== "" && !(key === "page" && value === 1)) next.set(key, String(value));
		const search = next.toString();
		route(search ? `/problems?${search}` : "/problems");
	};

	const problems = useResource(
		signal => get<Page<Problem>>("/problems", { tag, difficulty, page, pageSize: 20 }, signal),
		[tag, difficulty, page, me.value?.id]
	);

	return (
		<section>
			<h1>Practice problems</h1>
			{me.value && (
				<p>
					<a href="/problems/new" class="button">
						Write a problem
					</a>
				</p>
			)}
			<form
				role="search"
				aria-label="Filter the problems"
				class="toolbar"
				onSubmit={event => {
					event.preventDefault();
					go({ tag: draft.trim() || undefined, page: undefined });
				}}
			>
				<label for="problem-tag">Tag</label>
				<input id="problem-tag" type="search" maxLength={32} value={draft} onInput={e => setDraft(e.currentTarget.value)} />
				<button type="submit">Filter</button>
				<label for="problem-difficulty">Difficulty</label>
				<select
					id="problem-difficulty"
					value={difficulty ?? ""}
					onChange={e => go({ difficulty: (e.currentTarget.value || undefined) as Difficulty | undefined, page: undefined })}
				>
					<option value="">Any</option>
					{DIFFICULTIES.map(d => (
						<option key={d} value={d}>
							{d}
						</option>
					))}
				</select>
			</form>
			{(tag || difficulty) && (
				<p>
					<a href="/problems" onClick={() => setDraft("")}>
						Show every problem
					</a>
				</p>
			)}
			{problems.error !== undefined && <ErrorNotice error={problems.error} retry={problems.reload} />}
			{problems.loading && !problems.data && <Loading what="Loading the problems" />}
			{problems.data && (
				<>
					{problems.data.rows.length === 0 && <p>No problems here yet.</p>}
					<div class="cards" aria-busy={problems.loading}>
						{problems.data.rows.map(problem => (
							<ProblemCard key={problem.id} problem={problem} />
						))}
					</div>
					<Pager page={page} totalPages={problems.data.totalPages ?? 0} go={p => go({ page: p })} />
				</>
			)}
		</section>
	);
}
