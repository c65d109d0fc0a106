import { ApiError } from "../../api/errors";
import { get } from "../../api/http";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";
import { RatingChart } from "./RatingChart";
import type { ContestResult, Standing } from "./types";

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function Summary({ standing }: { standing: Standing }) {
	return (
		<dl class="standing">
			<div>
				<dt>Rating</dt>
				<dd>{standing.rating ?? "unrated"}</dd>
			</div>
			<div>
				<dt>Rank</dt>
				<dd>{standing.rank ? <a href="/leaderboard">#{standing.rank}</a> : "—"}</dd>
			</div>
			<div>
				<dt>Problems solved</dt>
				<dd>{standing.solved}</dd>
			</div>
			<div>
				<dt>Rank by problems solved</dt>
				<dd>{standing.solvedRank ? <a href="/leaderboard?by=solved">#{standing.solvedRank}</a> : "—"}</dd>
			</div>
		</dl>
	);
}

function Contests({ contests }: { contests: ContestResult[] }) {
	if (!contests.length) return <p>No contest yet.</p>;
	return (
		<div class="table-wrap">
			<table>
				<thead>
					<tr>
						<th scope="col">Contest</th>
						<th scope="col">Ended</th>
						<th scope="col">Place</th>
						<th scope="col">Rating change</th>
					</tr>
				</thead>
				<tbody>
					{contests.map(c => (
						<tr key={c.contestId}>
							<th scope="row">
								<a href={`/contests/${c.contestId}`}>{c.title}</a>
							</th>
							<td>
								<Time iso={c.at} />
							</td>
							<td>{c.place}</td>
							<td>{c.rated && c.ratingChange !== null ? signed(c.ratingChange) : "unrated"}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

/** A person's rating, ranks, rating history and contests (GET /api/users/:username/rating). */
export function StandingSection({ username, mine }: { username: string; mine: boolean }) {
	const standing = useResource(signal => get<Standing>(`/users/${encodeURIComponent(username)}/rating`, undefined, signal), [username]);
	const hidden = standing.error instanceof ApiError && standing.error.status === 404;
	return (
		<>
			<section aria-labelledby="standing-heading">
				<h2 id="standing-heading">Standing</h2>
				{hidden && mine ? (
					<p>Your profile is private, so your standing is hidden too. You can make it public in your settings.</p>
				) : (
					standing.error !== undefined && <ErrorNotice error={standing.error} retry={standing.reload} />
				)}
				{standing.loading && !standing.data && <Loading what="Loading the standing" />}
				{standing.data && (
					<>
						<Summary standing={standing.data} />
						<h3>Rating history</h3>
						<RatingChart history={standing.data.history} />
					</>
				)}
			</section>
			{standing.data && (
				<section aria-labelledby="contests-heading">
					<h2 id="contests-heading">Contests</h2>
					<Contests contests={standing.data.contests} />
				</section>
			)}
		</>
	);
}
