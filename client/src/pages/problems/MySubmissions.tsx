import { useState } from "preact/hooks";
import { get } from "../../api/http";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";
import { verdictName } from "./judge/verdicts";
import type { Submission } from "./types";

/** The caller's submissions of a problem, newest first; `version` moves when one was just judged. */
export function MySubmissions({ problemId, version }: { problemId: string; version: number }) {
	const [page, setPage] = useState(1);
	const submissions = useResource(
		signal => get<Page<Submission>>(`/problems/${problemId}/submissions`, { page, pageSize: 10 }, signal),
		[problemId, page, version]
	);
	return (
		<section aria-labelledby="my-submissions">
			<h2 id="my-submissions">Your submissions</h2>
			{submissions.error !== undefined && <ErrorNotice error={submissions.error} retry={submissions.reload} />}
			{submissions.loading && !submissions.data && <Loading what="Loading your submissions" />}
			{submissions.data?.rows.length === 0 && <p>You have not submitted a solution yet.</p>}
			{!!submissions.data?.rows.length && (
				<>
					<div class="table-wrap" aria-busy={submissions.loading}>
						<table>
							<thead>
								<tr>
									<th scope="col">Sent</th>
									<th scope="col">Language</th>
									<th scope="col">Verdict</th>
									<th scope="col">Score</th>
								</tr>
							</thead>
							<tbody>
								{submissions.data.rows.map(s => (
									<tr key={s.id}>
										<td>
											<a href={`/submissions/${s.id}`}>
												<Time iso={s.createdAt} />
											</a>
										</td>
										<td>{s.language}</td>
										<td class={s.verdict === "AC" ? "ok" : s.verdict ? "bad" : undefined}>
											{s.status === "done" ? verdictName(s.verdict) : `${s.status}…`}
										</td>
										<td>{s.score ?? "–"}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
					<Pager page={page} totalPages={submissions.data.totalPages ?? 0} go={setPage} />
				</>
			)}
		</section>
	);
}
