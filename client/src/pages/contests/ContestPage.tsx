import { useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { useResource, useTitle } from "../../hooks";
import { AddProblemForm } from "./AddProblemForm";
import { useContestStatus } from "./contest-clock";
import { ContestHeader } from "./ContestHeader";
import { ContestProblems } from "./ContestProblems";
import { MyContestSubmissions } from "./MyContestSubmissions";
import { OrganiserTools } from "./OrganiserTools";
import { Participation } from "./Participation";
import type { Contest, ContestProblem, ContestStatus } from "./types";
import "./contests.css";

function whyNoProblems(status: ContestStatus, signedIn: boolean): string {
	if (status === "upcoming") return "The problems appear here when the contest starts, for its participants.";
	if (!signedIn) return "Sign in and register to see the problems.";
	return status === "running" ? "Register to see the problems." : "Only the participants see the problems.";
}

/** A contest: its facts, taking part, its problems (answered while it runs) and one's submissions; the organiser's tools. */
export default function ContestPage() {
	const { params } = useRoute();
	// Moves on when one of the caller's answers or programs was judged: their submissions are read again.
	const [judged, setJudged] = useState(0);
	// A program's verdict reaches the contest through its inbox a moment after the judge announced it: read twice.
	const submitted = () => {
		setJudged(n => n + 1);
		setTimeout(() => setJudged(n => n + 1), 1500);
	};
	const loaded = useResource(
		async signal => {
			const found = await get<Contest>(`/contests/${params.id}`, undefined, signal);
			void learnNames([found.organiserId]);
			return found;
		},
		[params.id, me.value?.id]
	);
	const contest = loaded.data?.id === params.id ? loaded.data : undefined;
	const status = useContestStatus(contest, loaded.reload);
	const organiser = !!contest && me.value?.id === contest.organiserId;
	const canSeeProblems = !!contest && (organiser || (contest.registered && status !== "upcoming"));
	const problems = useResource(
		signal => (canSeeProblems ? get<ContestProblem[]>(`/contests/${params.id}/problems`, undefined, signal) : Promise.resolve(null)),
		[params.id, canSeeProblems, status, me.value?.id]
	);
	useTitle(contest?.title);

	if (loaded.error !== undefined && !contest) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
	if (!contest || !status) return <Loading what="Loading the contest" />;
	const list = problems.data ?? [];
	return (
		<article class="contest">
			<ContestHeader contest={contest} status={status} current="contest" />
			{contest.description && <p class="description">{contest.description}</p>}
			{/* The organiser sees a team contest's teams; they have no registration of their own to show. */}
			{(!organiser || contest.teams) && <Participation contest={contest} status={status} changed={loaded.reload} />}
			{organiser && <OrganiserTools contest={contest} status={status} problems={list} changed={loaded.reload} />}
			<section aria-labelledby="problems">
				<h2 id="problems">Problems</h2>
				{!canSeeProblems && <p>{whyNoProblems(status, !!me.value)}</p>}
				{problems.error !== undefined && <ErrorNotice error={problems.error} retry={problems.reload} />}
				{canSeeProblems && problems.loading && !problems.data && <Loading what="Loading the problems" />}
				{problems.data && (
					<ContestProblems contest={contest} problems={list} status={status} organiser={organiser} submitted={submitted} />
				)}
				{organiser && status === "upcoming" && (
					<AddProblemForm
						contest={contest}
						added={() => {
							problems.reload();
							loaded.reload();
						}}
					/>
				)}
			</section>
			{contest.registered && status !== "upcoming" && <MyContestSubmissions contest={contest} problems={list} version={judged} />}
		</article>
	);
}
