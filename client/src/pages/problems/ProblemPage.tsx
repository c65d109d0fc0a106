import { useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { PersonLink } from "../../components/PersonLink";
import { useResource, useTitle } from "../../hooks";
import { AuthorTools } from "./AuthorTools";
import { limitsOf } from "./limits";
import CodeSubmitter from "./judge/CodeSubmitter";
import { MySubmissions } from "./MySubmissions";
import { Samples } from "./Samples";
import { RenderedMarkdown } from "../../components/RenderedMarkdown";
import type { Problem } from "./types";
import "./problems.css";

/** A practice problem: its statement and samples, an editor to solve it, the judging live, and one's submissions. */
export default function ProblemPage() {
	const { params } = useRoute();
	const [judged, setJudged] = useState(0);
	const loaded = useResource(
		async signal => {
			const found = await get<Problem>(`/problems/${encodeURIComponent(params.id)}`, undefined, signal);
			void learnNames([found.authorId]);
			return found;
		},
		[params.id, me.value?.id, judged]
	);
	const problem = loaded.data?.id === params.id ? loaded.data : undefined;
	useTitle(problem?.title);
	if (loaded.error !== undefined && !problem) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
	if (!problem) return <Loading what="Loading the problem" />;
	const p = problem;
	return (
		<article class="problem">
			<header>
				<h1>{p.title}</h1>
				<p class="meta">
					<a href={`/problems?difficulty=${p.difficulty}`} class={`tag difficulty-${p.difficulty}`}>
						{p.difficulty}
					</a>
					{p.tags.map(tag => (
						<a key={tag} href={`/problems?tag=${encodeURIComponent(tag)}`} class="tag">
							#{tag}
						</a>
					))}
					{p.status === "draft" && <span class="tag draft">draft</span>}
					{p.solved && <span class="tag solved">you solved it</span>}
				</p>
				<p class="meta">
					By <PersonLink id={p.authorId} /> · solved by {p.solvedCount} · {limitsOf(p)} · {p.testCount} tests
				</p>
			</header>
			{me.value?.id === p.authorId && <AuthorTools problem={p} changed={loaded.reload} />}
			<RenderedMarkdown class="prose statement" html={p.statementHtml} />
			<Samples samples={p.samples} />
			<section aria-labelledby="solve">
				<h2 id="solve">Solve it</h2>
				{me.value ? (
					<CodeSubmitter
						draftKey={`problem:${p.id}`}
						title={p.title}
						send={(body, idempotencyKey) =>
							api<{ id: string }>("POST", `/problems/${p.id}/submissions`, { body, idempotencyKey })
						}
						onJudged={() => setJudged(n => n + 1)}
					/>
				) : me.value === null ? (
					<p>
						<a href={`/login?next=${encodeURIComponent(`/problems/${p.id}`)}`}>Sign in</a> to submit a solution.
					</p>
				) : (
					<Loading />
				)}
			</section>
			{me.value && <MySubmissions problemId={p.id} version={judged} />}
		</article>
	);
}
