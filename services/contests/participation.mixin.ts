import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize, decide, type Facts } from "../../lib/authorization";
import { fieldError, ForbiddenError, TooManyRequestsError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import {
	AlreadyRegisteredError,
	ContestEndedError,
	ContestNotFoundError,
	ContestNotRunningError,
	NotRegisteredError,
	ProblemNotFoundError,
	TeamContestError
} from "./contests.errors";
import { type ContestsMethods, type ContestsVars, hidden } from "./contests.internals";
import type { ContestModel } from "./contests.model";
import {
	type ContestParams,
	contestParams,
	type Leaderboard,
	type LeaderboardParams,
	leaderboardParams,
	leaderboardSchema,
	type Rank,
	ranksResponse,
	type Registration,
	registrationSchema,
	submissionsResponse,
	type SubmissionView,
	submissionViewSchema,
	type SubmitParams,
	submitParams,
	type Verdict
} from "./contests.types";
import { cooldownMs } from "./cooldown";
import { freezeAt } from "./contest-placements";

type Ctx<P> = Context<P, RequestMeta>;

/**
 * Taking part in a contest: registering, answering its problems, one's own submissions, and the
 * standings (the leaderboard, and the ranks other services ask for). Part of the contests service.
 */
export const ContestParticipationMixin: Partial<ServiceSchema<ServiceSettingSchema, ContestsMethods, ContestsVars>> = {
	actions: {
		/** Registers the caller, until the contest ends; not in a team contest (teams.mixin.ts). */
		register: {
			http: "POST /contests/:id/register",
			visibility: "published",
			auth: "required",
			params: contestParams,
			response: registrationSchema,
			async handler(ctx: Ctx<ContestParams>): Promise<Registration> {
				const { contest, facts } = await this.seen(ctx, ctx.params.id);
				authorize("contest.register", facts, {
					hidden,
					forbidden: () => new ForbiddenError("Only the group's members enter its contests")
				});
				const userId = ctx.meta.user!.id;
				if (contest.teamMaxSize) throw new TeamContestError();
				if (this.statusOf(contest) === "ended") throw new ContestEndedError();
				await this.sequelize.transaction(async transaction => {
					// Its kind under the row's share lock: an edit making it a team contest lands before this or finds us registered.
					const locked = await this.model.findByPk(contest.id, { lock: transaction.LOCK.SHARE, transaction });
					if (!locked) throw hidden();
					if (locked.teamMaxSize) throw new TeamContestError();
					if (!(await this.store.register(contest.id, userId, this.clock.now(), transaction))) throw new AlreadyRegisteredError();
					await this.record(transaction, contest, "contest.registered", userId, { userId });
				});
				await this.standings.refresh(contest, userId);
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/contests/${contest.id}`;
				return { contestId: contest.id, userId, registered: true };
			}
		},

		/**
		 * Judges an answer while the contest runs: throttled, and only a problem's first accepted answer
		 * scores; per competitor (in a team contest, the member's team: its members share both).
		 */
		submit: {
			http: "POST /contests/:id/problems/:problemId/submissions",
			visibility: "published",
			auth: "required",
			params: submitParams,
			response: submissionViewSchema,
			async handler(ctx: Ctx<SubmitParams>): Promise<SubmissionView> {
				const { problemId, answer } = ctx.params;
				const userId = ctx.meta.user!.id;
				// Seen (the caller's group standing asked) before anything else: an outsider learns nothing of the contest's state.
				const { contest, facts } = await this.seen(ctx, ctx.params.id);
				const now = this.clock.now();
				if (now < contest.startsAt) throw new ContestNotRunningError();
				if (now >= contest.endsAt) throw new ContestEndedError();
				const problem = (await this.store.problems(contest.id)).find(p => p.id === problemId);
				if (!problem) throw new ProblemNotFoundError();
				const answerHash = problem.answer_hash;
				if (!answerHash)
					throw fieldError(
						"answer",
						"kind",
						`A code problem takes a program: POST /api/contests/${ctx.params.id}/problems/${problemId}/programs`
					);
				const competitor = await this.competitor(ctx, contest, facts);
				const submission = await this.sequelize.transaction(async transaction => {
					// Registration is read under the competitor's lock; the group standings were asked before the transaction.
					const registered = await this.store.lockParticipant(transaction, contest.id, competitor.id);
					const relations = [...facts.relations!, ...(registered ? (["participant"] as const) : [])];
					authorize("contest.submit", { ...facts, relations }, { hidden, forbidden: () => new NotRegisteredError() });
					const latest = await this.store.latestVerdicts(transaction, competitor.id, problemId, 10);
					const waitMs = latest.length
						? latest[0].submittedAt.getTime() + cooldownMs(latest.map(l => l.verdict)) - now.getTime()
						: 0;
					if (waitMs > 0) throw new TooManyRequestsError(Math.ceil(waitMs / 1000), "Too many answers: wait before the next one");
					const verdict: Verdict = this.answers.matches(answer, problem.case_sensitive, answerHash) ? "accepted" : "wrong";
					const scored = verdict === "accepted" && !(await this.store.hasSolved(transaction, competitor.id, problemId));
					const added = await this.store.addSubmission(transaction, {
						contestId: contest.id,
						problemId,
						userId: competitor.id,
						submittedBy: competitor.teamId && userId,
						verdict,
						scored,
						at: now
					});
					const team = competitor.teamId ? { teamId: competitor.teamId } : {};
					if (scored) await this.record(transaction, contest, "contest.problem_solved", userId, { userId, problemId, ...team });
					return added;
				});
				// A resubmission of a solved problem changes nothing a row shows; a wrong try shows in the row.
				if (submission.scored || submission.verdict === "wrong") await this.standings.refresh(contest, competitor.id);
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/contests/${contest.id}/submissions/me`;
				return submission;
			}
		},

		/** The caller's submissions; in a team contest, their team's (each naming its member). */
		mySubmissions: {
			http: "GET /contests/:id/submissions/me",
			visibility: "published",
			auth: "required",
			params: contestParams,
			response: submissionsResponse,
			...READ,
			async handler(ctx: Ctx<ContestParams>): Promise<SubmissionView[]> {
				const { contest } = await this.seen(ctx, ctx.params.id);
				const competitorId = await this.competitorIdOf(contest, ctx.meta.user!.id);
				return this.store.submissionsOf(contest.id, competitorId, Boolean(contest.teamMaxSize));
			}
		},

		/**
		 * Ranked standings; frozen in the last `freezeMinutes` for all but whoever may read the live
		 * board. The caller's own row (their team's, in a team contest) is live, ranked against the
		 * board they are shown.
		 */
		leaderboard: {
			http: "GET /contests/:id/leaderboard",
			visibility: "published",
			auth: "optional",
			params: leaderboardParams,
			response: leaderboardSchema,
			...READ,
			async handler(ctx: Ctx<LeaderboardParams>): Promise<Leaderboard> {
				const { contest, facts } = await this.seen(ctx, ctx.params.id, { fromMemory: true });
				const caller = ctx.meta.user;
				return this.standings.page(
					contest,
					ctx.params.page,
					ctx.params.pageSize,
					caller && (await this.competitorIdOf(contest, caller.id)),
					this.frozenFor(contest, facts)
				);
			}
		},

		/**
		 * For other services (notifications): who takes part, with their rank as everyone may see it
		 * (at the freeze, during one); in a team contest each member, with their team's rank.
		 */
		ranks: {
			visibility: "public",
			params: contestParams,
			response: ranksResponse,
			...READ,
			async handler(ctx: Ctx<ContestParams>): Promise<Rank[]> {
				const contest = await this.model.findByPk(ctx.params.id);
				if (!contest) throw new ContestNotFoundError();
				return this.standings.ranks(contest, this.frozenFor(contest, null));
			}
		}
	},

	methods: {
		/** Whether the caller (null: nobody in particular) sees the standings at the freeze rather than live. */
		frozenFor(contest: ContestModel, facts: Facts | null): boolean {
			const frozenFrom = freezeAt(contest);
			const now = this.clock.now();
			const inFreeze = frozenFrom !== null && now >= frozenFrom && now < contest.endsAt;
			return inFreeze && !(facts && decide("contest.readLiveBoard", facts).allowed);
		}
	}
};
