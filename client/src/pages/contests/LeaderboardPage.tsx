import { useLocation, useRoute } from "preact-iso";
import { useRef } from "preact/hooks";
import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { useResource, useTitle } from "../../hooks";
import { Board } from "./Board";
import { useContestStatus } from "./contest-clock";
import { ContestHeader } from "./ContestHeader";
import { useLiveBoard } from "./live-board";
import type { BoardRow, Contest, ContestProblem, ContestStatus, Leaderboard } from "./types";
import { When } from "./When";
import "./contests.css";

const PAGE_SIZE = 50;
const CLOCK = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

const idsOf = (row: BoardRow) => (row.team ? row.team.members.map(m => m.userId) : [row.userId]);

/** When the rows last changed while this page was open: said once per change, not once per poll. */
function useLastChange(board: Leaderboard | undefined): Date | null {
	const seen = useRef<{ page: number; fingerprint: string; at: Date | null } | null>(null);
	if (board) {
		const fingerprint = JSON.stringify([board.total, board.rows, board.me, board.frozenAt]);
		// Another page of the board is not a change of the standings.
		if (seen.current?.page !== board.page) seen.current = { page: board.page, fingerprint, at: null };
		else if (seen.current.fingerprint !== fingerprint) seen.current = { page: board.page, fingerprint, at: new Date() };
	}
	return seen.current?.at ?? null;
}

function liveLine(status: ContestStatus, changedAt: Date | null): string {
	if (status === "upcoming") return "The standings begin when the contest starts.";
	if (status === "ended") return "Final standings.";
	return `Live standings, checked every few seconds.${changedAt ? ` Last change at ${CLOCK.format(changedAt)}.` : ""}`;
}

/** A contest's standings, live while it runs (see useLiveBoard), frozen for non-organisers in the freeze. */
export default function LeaderboardPage() {
	const { params } = useRoute();
	const { query, route } = useLocation();
	const page = Math.max(1, Number(query.page) || 1);
	const loaded = useResource(
		async signal => {
			const found = await get<Contest>(`/contests/${params.id}`, undefined, signal);
			void learnNames([found.organiserId]);
			return found;
		},
		[params.id, me.value?.id]
	);
	const board = useResource(
		async signal => {
			const found = await get<Leaderboard>(`/contests/${params.id}/leaderboard`, { page, pageSize: PAGE_SIZE }, signal);
			void learnNames([...found.rows, ...(found.me ? [found.me] : [])].flatMap(idsOf));
			return found;
		},
		[params.id, page, me.value?.id]
	);
	const contest = loaded.data?.id === params.id ? loaded.data : undefined;
	const status = useContestStatus(contest, () => {
		loaded.reload();
		board.reload();
	});
	useLiveBoard(board.reload, status === "running");
	const organiser = !!contest && me.value?.id === contest.organiserId;
	const canSeeProblems = !!contest && (organiser || (contest.registered && status !== "upcoming"));
	const problems = useResource(
		signal =>
			canSeeProblems
				? get<ContestProblem[]>(`/contests/${params.id}/problems`, undefined, signal).catch(() => null)
				: Promise.resolve(null),
		[params.id, canSeeProblems, status]
	);
	const changedAt = useLastChange(board.data);
	useTitle(contest ? `Leaderboard: ${contest.title}` : "Leaderboard");

	if (loaded.error !== undefined && !contest) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
	if (!contest || !status) return <Loading what="Loading the contest" />;
	const b = board.data;
	const myTeam = b?.me?.team?.id;
	const isMine = (row: BoardRow) => (row.team ? row.team.id === myTeam : !!row.userId && row.userId === me.value?.id);
	const freezeFrom = contest.freezeMinutes ? Date.parse(contest.endsAt) - contest.freezeMinutes * 60_000 : null;
	const organiserInFreeze = organiser && status === "running" && freezeFrom !== null && Date.now() >= freezeFrom;

	return (
		<article class="contest">
			<ContestHeader contest={contest} status={status} current="leaderboard" title={`${contest.title}: leaderboard`} />
			<p role="status" class="muted" data-testid="board-status">
				{liveLine(status, changedAt)}
			</p>
			{b?.frozenAt && (
				<div class="notice frozen" data-testid="frozen">
					<p>
						<strong>The standings are frozen.</strong> They show the results as they were at <When iso={b.frozenAt} />; what
						happened since is revealed when the contest ends.
					</p>
					{b.me && <p>Your own standing just below is live.</p>}
				</div>
			)}
			{organiserInFreeze && (
				<div class="notice frozen">
					<p>
						The standings are frozen for the participants since <When iso={new Date(freezeFrom).toISOString()} />. You see them
						live.
					</p>
				</div>
			)}
			{board.error !== undefined && <ErrorNotice error={board.error} retry={board.reload} />}
			{board.loading && !b && <Loading what="Loading the standings" />}
			{b?.frozenAt && b.me && (
				<Board
					rows={[b.me]}
					scoring={contest.scoring}
					problems={problems.data ?? null}
					teams={!!contest.teams}
					isMine={() => true}
					caption="Your live standing"
				/>
			)}
			{b && (
				<>
					{b.rows.length === 0 ? (
						<p>{contest.teams ? "No team has registered yet." : "No one has registered yet."}</p>
					) : (
						<Board
							rows={b.rows}
							scoring={contest.scoring}
							problems={problems.data ?? null}
							teams={!!contest.teams}
							isMine={isMine}
							caption={b.frozenAt ? "Standings at the freeze" : "Standings"}
						/>
					)}
					<Pager
						page={page}
						totalPages={b.totalPages ?? 0}
						go={p => route(`/contests/${contest.id}/leaderboard${p > 1 ? `?page=${p}` : ""}`)}
					/>
				</>
			)}
		</article>
	);
}
