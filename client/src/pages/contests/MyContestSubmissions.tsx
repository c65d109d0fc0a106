import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";
import { type Contest, type ContestProblem, type ContestSubmission, letterOf } from "./types";

/**
 * The caller's submissions in the contest (their team's, in a team contest), newest first. A program
 * shows here once judged; until then its judging shows under its problem.
 */
export function MyContestSubmissions({ contest, problems, version }: { contest: Contest; problems: ContestProblem[]; version: number }) {
	const submissions = useResource(
		async signal => {
			const rows = await get<ContestSubmission[]>(`/contests/${contest.id}/submissions/me`, undefined, signal);
			void learnNames(rows.map(s => s.submittedBy));
			return rows;
		},
		[contest.id, version]
	);
	const problemName = (id: string) => {
		const problem = problems.find(p => p.id === id);
		return problem ? `${letterOf(problem.position)}. ${problem.title}` : "a problem";
	};
	return (
		<section aria-labelledby="my-submissions">
			<h2 id="my-submissions">{contest.teams ? "Your team's submissions" : "Your submissions"}</h2>
			{submissions.error !== undefined && <ErrorNotice error={submissions.error} retry={submissions.reload} />}
			{submissions.loading && !submissions.data && <Loading what="Loading your submissions" />}
			{submissions.data?.length === 0 && <p>Nothing submitted yet.</p>}
			{!!submissions.data?.length && (
				<div class="table-wrap" aria-busy={submissions.loading}>
					<table>
						<thead>
							<tr>
								<th scope="col">Sent</th>
								<th scope="col">Problem</th>
								<th scope="col">Verdict</th>
								<th scope="col">Scored</th>
								{contest.teams && <th scope="col">By</th>}
							</tr>
						</thead>
						<tbody>
							{[...submissions.data].reverse().map(s => (
								<tr key={s.id}>
									<td>
										<Time iso={s.submittedAt} />
									</td>
									<td>{problemName(s.problemId)}</td>
									<td class={s.verdict === "accepted" ? "ok" : "bad"}>
										{s.verdict === "accepted" ? "Accepted" : "Wrong"}
									</td>
									<td>{s.scored ? "yes" : "no"}</td>
									{contest.teams && (
										<td>
											<PersonLink id={s.submittedBy ?? null} />
										</td>
									)}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	);
}
