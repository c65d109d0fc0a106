import { useMemo, useState } from "preact/hooks";
import { api } from "../../api/http";
import { me } from "../../api/session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { TeamRegistration } from "./TeamRegistration";
import type { Contest, ContestStatus } from "./types";

/** Taking part: registering (alone, or a team in a team contest), or why one cannot. */
export function Participation({ contest, status, changed }: { contest: Contest; status: ContestStatus; changed: () => void }) {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<unknown>();
	// One registration meant: a retry after a lost answer gets the first answer, not a 409.
	const idempotencyKey = useMemo(() => crypto.randomUUID(), [contest.id]);
	const user = me.value;
	if (user === undefined) return null;
	let body;
	if (!user)
		body =
			status === "ended" ? null : (
				<p>
					<a href={`/login?next=${encodeURIComponent(`/contests/${contest.id}`)}`}>Sign in</a> to take part.
				</p>
			);
	else if (contest.teams) body = <TeamRegistration contest={contest} status={status} changed={changed} />;
	else if (contest.registered)
		body = (
			<p>
				{status === "upcoming"
					? "You are registered: the problems appear here when it starts."
					: status === "running"
						? "You take part."
						: "You took part."}
			</p>
		);
	else if (status === "ended") body = <p>The contest has ended.</p>;
	else
		body = (
			<>
				<p>{status === "running" ? "The contest is running: you can still join." : "Register to take part."}</p>
				<button
					type="button"
					disabled={busy}
					onClick={() => {
						setBusy(true);
						setError(undefined);
						api("POST", `/contests/${contest.id}/register`, { idempotencyKey })
							.then(changed, setError)
							.finally(() => setBusy(false));
					}}
				>
					Register
				</button>
				{error !== undefined && <ErrorNotice error={error} />}
			</>
		);
	if (!body) return null;
	return (
		<section class="participation" aria-labelledby="participation">
			<h2 id="participation">Taking part</h2>
			{body}
		</section>
	);
}
