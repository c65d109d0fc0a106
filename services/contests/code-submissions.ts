import type { Transaction } from "sequelize";
import type { CatalogueEvent } from "../../lib/contracts";
import type { ProblemsEvents } from "../problems/problems.contract";
import type { Verdict } from "./contests.types";
import type { ContestsInternals } from "./lifecycle";

/** The judge's verdicts as the board counts them: accepted, or a wrong try; a compile or internal error is no try. */
function boardVerdict(verdict: ProblemsEvents["submission.judged"]["verdict"]): Verdict | null {
	if (verdict === "AC") return "accepted";
	return verdict === "CE" || verdict === "IE" ? null : "wrong";
}

/**
 * On `submission.judged` of a contest's program: the verdict joins the competitor's history (the
 * submitter's, or their team's) at the contest's time of the submission, and the board is
 * refreshed once, only if what it counts changed (a redelivered event, or a rejudge giving the
 * same verdict, changes nothing).
 */
export async function countJudgedSubmission(
	contests: ContestsInternals,
	event: CatalogueEvent<ProblemsEvents, "submission.judged">,
	transaction: Transaction
): Promise<void> {
	const { contestId, userId, submissionId, judgement, verdict } = event.payload;
	if (!contestId) return;
	const program = await contests.store.judgedProgram(submissionId, transaction);
	// Judged before the submitting node wrote it down (a fast judge): the inbox delivers this again shortly.
	if (!program) throw new Error(`The program ${submissionId} is not recorded yet`);
	const contest = await contests.model.findByPk(contestId, { transaction });
	if (!contest) return;
	const counted = boardVerdict(verdict);
	// The program was written down for its competitor: the user, or in a team contest the team.
	const competitorId = program.user_id;
	const teamId = contest.teamMaxSize ? competitorId : null;
	const { changed, scored } = await contests.store.recordJudged(transaction, {
		contestId,
		problemId: program.problem_id,
		userId: competitorId,
		submittedBy: teamId && userId,
		judgeSubmissionId: submissionId,
		judgement,
		verdict: counted,
		at: new Date(program.submitted_at)
	});
	if (!changed) return;
	if (scored)
		await contests.record(transaction, contest, "contest.problem_solved", userId, {
			userId,
			problemId: program.problem_id,
			...(teamId ? { teamId } : {})
		});
	transaction.afterCommit(() => contests.standings.recount(contest, competitorId, new Date(program.submitted_at), judgement > 1));
}
