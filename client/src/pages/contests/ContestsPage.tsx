import { useLocation } from "preact-iso";
import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { PersonLink } from "../../components/PersonLink";
import { useResource, useTitle } from "../../hooks";
import { counted, Schedule, StatusBadge } from "./ContestHeader";
import { STATUSES, type Contest, type ContestStatus } from "./types";
import "./contests.css";

const TAB_NAMES: Record<ContestStatus, string> = { running: "Running", upcoming: "Upcoming", ended: "Ended" };
const EMPTY: Record<ContestStatus, string> = {
	running: "No contest is running now.",
	upcoming: "No contest is planned yet.",
	ended: "No contest has ended yet."
};

function ContestCard({ contest }: { contest: Contest }) {
	return (
		<article class="card">
			<h2>
				<a href={`/contests/${contest.id}`}>{contest.title}</a>
			</h2>
			<p class="meta">
				<StatusBadge status={contest.status} /> <Schedule contest={contest} status={contest.status} />
			</p>
			<p class="meta">
				{contest.scoring === "icpc" ? "ICPC scoring" : "points scoring"} · {counted(contest)} · by{" "}
				<PersonLink id={contest.organiserId} />
				{contest.teams && <span class="tag">teams of up to {contest.teams.maxSize}</span>}
				{contest.rated && <span class="tag">rated</span>}
				{contest.registered && <span class="tag registered">you take part</span>}
			</p>
		</article>
	);
}

/** The contests, running, upcoming or ended (in the address), a page at a time. */
export default function ContestsPage() {
	const { query, route } = useLocation();
	const status = STATUSES.find(s => s === query.status) ?? "running";
	const page = Math.max(1, Number(query.page) || 1);
	useTitle(`${TAB_NAMES[status]} contests`);
	const contests = useResource(
		async signal => {
			const found = await get<Page<Contest>>("/contests", { status, page, pageSize: 20 }, signal);
			void learnNames(found.rows.map(c => c.organiserId));
			return found;
		},
		[status, page, me.value?.id]
	);

	return (
		<section>
			<h1>Contests</h1>
			{me.value && (
				<p>
					<a href="/contests/new" class="button">
						Create a contest
					</a>
				</p>
			)}
			<nav class="tabs" aria-label="Contests by status">
				{STATUSES.map(s => (
					<a key={s} href={`/contests?status=${s}`} aria-current={s === status ? "page" : undefined}>
						{TAB_NAMES[s]}
					</a>
				))}
			</nav>
			{contests.error !== undefined && <ErrorNotice error={contests.error} retry={contests.reload} />}
			{contests.loading && !contests.data && <Loading what="Loading the contests" />}
			{contests.data && (
				<>
					{contests.data.rows.length === 0 && <p>{EMPTY[status]}</p>}
					<div class="cards" aria-busy={contests.loading}>
						{contests.data.rows.map(contest => (
							<ContestCard key={contest.id} contest={contest} />
						))}
					</div>
					<Pager
						page={page}
						totalPages={contests.data.totalPages ?? 0}
						go={p => route(`/contests?status=${status}${p > 1 ? `&page=${p}` : ""}`)}
					/>
				</>
			)}
		</section>
	);
}
