import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { ErrorNotice } from "../../components/ErrorNotice";
import { type Contest, type ContestProblem, type ContestStatus, letterOf } from "./types";
import { When } from "./When";

/** The organiser's part of the page: deleting before the start, releasing the code problems to the archive after the end. */
export function OrganiserTools({
	contest,
	status,
	problems,
	changed
}: {
	contest: Contest;
	status: ContestStatus;
	problems: ContestProblem[];
	changed: () => void;
}) {
	const { route } = useLocation();
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<unknown>();
	const codeProblems = problems.filter(p => p.code);
	const run = (work: () => Promise<unknown>) => {
		setBusy(true);
		setError(undefined);
		work()
			.catch(setError)
			.finally(() => setBusy(false));
	};

	return (
		<section class="organiser" aria-labelledby="organiser">
			<h2 id="organiser">You organise this contest</h2>
			{status === "upcoming" && (
				<>
					<p>Add its problems below until it starts; they are shown to participants from the start.</p>
					<button
						type="button"
						class="danger"
						disabled={busy}
						onClick={() =>
							confirm(`Delete the contest ${contest.title}? This cannot be undone.`) &&
							run(() => api("DELETE", `/contests/${contest.id}`).then(() => route("/contests?status=upcoming")))
						}
					>
						Delete the contest
					</button>
				</>
			)}
			{status === "running" && <p>You see the live standings, also during a freeze.</p>}
			{status === "ended" &&
				(contest.archivedAt ? (
					<>
						<p>
							Its code problems were released to the practice archive on <When iso={contest.archivedAt} />:
						</p>
						<ul>
							{codeProblems.map(p => (
								<li key={p.id}>
									<a href={`/problems/${p.code!.problemId}`}>
										{letterOf(p.position)}. {p.title}
									</a>
								</li>
							))}
						</ul>
					</>
				) : codeProblems.length ? (
					<>
						<p>
							Release its code problems ({codeProblems.map(p => letterOf(p.position)).join(", ")}) to the practice archive, so
							that anyone can solve them. Answer problems stay the contest's.
						</p>
						<button
							type="button"
							disabled={busy}
							onClick={() =>
								confirm("Release the code problems to the practice archive? They become public.") &&
								run(() => api("POST", `/contests/${contest.id}/archive`).then(changed))
							}
						>
							Release to the archive
						</button>
					</>
				) : null)}
			{error !== undefined && <ErrorNotice error={error} />}
		</section>
	);
}
