import { PersonLink } from "../../components/PersonLink";
import type { Contest, ContestStatus } from "./types";
import { Countdown, When } from "./When";

export const SCORING_NAMES = {
	icpc: "ICPC rules: most problems solved, then least penalty time",
	points: "points: the most points from solved problems, then the earliest last solve"
} as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** How many take part and how many problems, in words. */
export const counted = (contest: Contest) =>
	`${contest.teams ? plural(contest.participantCount, "team", "teams") : plural(contest.participantCount, "participant", "participants")} · ${plural(contest.problemCount, "problem", "problems")}`;

const STATUS_NAMES: Record<ContestStatus, string> = { upcoming: "upcoming", running: "running now", ended: "ended" };

export function StatusBadge({ status }: { status: ContestStatus }) {
	return <span class={`tag status-${status}`}>{STATUS_NAMES[status]}</span>;
}

/** When the contest runs, said as its status asks: the start to come, the end to come, or the end passed. */
export function Schedule({ contest, status }: { contest: Contest; status: ContestStatus }) {
	if (status === "upcoming")
		return (
			<>
				Starts <When iso={contest.startsAt} /> (in <Countdown to={contest.startsAt} />
				), ends <When iso={contest.endsAt} />
			</>
		);
	if (status === "running")
		return (
			<>
				Started <When iso={contest.startsAt} />, ends <When iso={contest.endsAt} /> (in <Countdown to={contest.endsAt} />)
			</>
		);
	return (
		<>
			Ran from <When iso={contest.startsAt} /> to <When iso={contest.endsAt} />
		</>
	);
}

/** The contest's title and facts, and the links between its problems and its leaderboard. */
export function ContestHeader({
	contest,
	status,
	current,
	title = contest.title
}: {
	contest: Contest;
	status: ContestStatus;
	current: "contest" | "leaderboard";
	title?: string;
}) {
	return (
		<header class="contest-header">
			<h1>{title}</h1>
			<p class="meta">
				<StatusBadge status={status} /> <Schedule contest={contest} status={status} />
			</p>
			<ul class="facts">
				<li>Scoring: {SCORING_NAMES[contest.scoring]}</li>
				{contest.freezeMinutes && <li>The standings freeze {contest.freezeMinutes} minutes before the end</li>}
				{contest.teams && <li>For teams of up to {contest.teams.maxSize}</li>}
				{contest.rated && <li>Rated: it changes the participants' ratings</li>}
				{contest.groupId && (
					<li>
						For the members of <a href={`/groups/${contest.groupId}`}>its group</a>
					</li>
				)}
				<li>
					Organised by <PersonLink id={contest.organiserId} /> · {counted(contest)}
				</li>
			</ul>
			<nav class="tabs" aria-label="Contest">
				<a href={`/contests/${contest.id}`} aria-current={current === "contest" ? "page" : undefined}>
					Problems
				</a>
				<a href={`/contests/${contest.id}/leaderboard`} aria-current={current === "leaderboard" ? "page" : undefined}>
					Leaderboard
				</a>
			</nav>
		</header>
	);
}
