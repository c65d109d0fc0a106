import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize } from "../../lib/authorization";
import { call } from "../contracts";
import {
	AlreadyArchivedError,
	ContestEndedError,
	ContestNotEndedError,
	ContestNotRunningError,
	NoCodeProblemsError,
	NotOrganiserError,
	NotRegisteredError,
	ProblemNotFoundError
} from "./contests.errors";
import { type ContestsMethods, type ContestsVars, hidden } from "./contests.internals";
import type { ContestModel } from "./contests.model";
import {
	type AddProblemParams,
	type CodeView,
	type ContestParams,
	contestParams,
	type ContestView,
	contestViewSchema,
	type QueuedCode,
	queuedCodeSchema,
	type Requeued,
	requeuedSchema,
	type SubmitCodeParams,
	submitCodeParams
} from "./contests.types";

type Ctx<P> = Context<P, RequestMeta>;

const problemRef = { $$strict: true, id: { type: "uuid" }, problemId: { type: "uuid" } } as const;

/**
 * Code problems of a contest: the judge's problem behind each lives in the problems service (its
 * organiser uploads the tests there), programs go to the judge, and verdicts come back as
 * `submission.judged` events (code-submissions.ts puts them on the board). Part of the contests service.
 */
export const ContestCodeMixin: Partial<ServiceSchema<ServiceSettingSchema, ContestsMethods, ContestsVars>> = {
	actions: {
		/** A participant's program for a code problem while the contest runs: the judge's verdict reaches the board (their team's, in a team contest). */
		submitCode: {
			http: "POST /contests/:id/problems/:problemId/programs",
			visibility: "published",
			auth: "required",
			params: submitCodeParams,
			response: queuedCodeSchema,
			async handler(ctx: Ctx<SubmitCodeParams>): Promise<QueuedCode> {
				const { problemId, language, source } = ctx.params;
				const userId = ctx.meta.user!.id;
				const { contest, facts } = await this.seen(ctx, ctx.params.id, { participant: true });
				authorize("contest.submit", facts, { hidden, forbidden: () => new NotRegisteredError() });
				const now = this.clock.now();
				if (now < contest.startsAt) throw new ContestNotRunningError();
				if (now >= contest.endsAt) throw new ContestEndedError();
				const code = await this.codeOf(contest, problemId);
				const competitor = await this.competitor(ctx, contest, facts);
				// The judge's submission is the member's own (they read it at /api/submissions/:id); the board's entry, the competitor's.
				const { id } = await call(ctx, "problems.submitForContest", {
					problemId: code.problemId,
					contestId: contest.id,
					userId,
					language,
					source
				});
				await this.store.addProgram({ judgeSubmissionId: id, contestId: contest.id, problemId, userId: competitor.id, at: now });
				ctx.meta.$statusCode = 202;
				ctx.meta.$location = `/api/submissions/${id}`;
				return { id, status: "queued" };
			}
		},

		/** The organiser judges every submission of a code problem again; the board moves once per changed verdict. */
		rejudge: {
			http: "POST /contests/:id/problems/:problemId/rejudge",
			visibility: "published",
			auth: "required",
			params: problemRef,
			response: requeuedSchema,
			async handler(ctx: Ctx<{ id: string; problemId: string }>): Promise<Requeued> {
				const contest = await this.organised(ctx, ctx.params.id);
				const code = await this.codeOf(contest, ctx.params.problemId);
				// As the organiser, who is the judge's problem's author.
				const { requeued } = await call(ctx, "problems.rejudge", { id: code.problemId });
				ctx.meta.$statusCode = 202;
				return { requeued };
			}
		},

		/**
		 * After the end, the organiser releases the code problems to the practice archive, once: the
		 * contest is marked and `contest.archived` recorded in one transaction; the problems service
		 * publishes them on that event (answer problems have no tests to judge, and stay the contest's).
		 */
		archive: {
			http: "POST /contests/:id/archive",
			visibility: "published",
			auth: "required",
			params: contestParams,
			response: contestViewSchema,
			async handler(ctx: Ctx<ContestParams>): Promise<ContestView> {
				const { facts } = await this.seen(ctx, ctx.params.id);
				authorize("contest.archive", facts, { hidden, forbidden: () => new NotOrganiserError() });
				const contest = await this.sequelize.transaction(async transaction => {
					// Locked: two releases at once publish once, the second is told it came too late.
					const locked = await this.model.findByPk(ctx.params.id, { lock: transaction.LOCK.UPDATE, transaction });
					if (!locked || locked.cancelledAt) throw hidden();
					if (this.statusOf(locked) !== "ended") throw new ContestNotEndedError();
					if (locked.archivedAt) throw new AlreadyArchivedError();
					const problemIds = (await this.store.problems(locked.id, transaction)).flatMap(p => (p.code ? [p.code.problemId] : []));
					if (!problemIds.length) throw new NoCodeProblemsError();
					await locked.update({ archivedAt: this.clock.now() }, { transaction });
					await this.record(transaction, locked, "contest.archived", ctx.meta.user!.id, { problemIds });
					return locked;
				});
				// Accepted: the problems appear in the archive once the problems service has the event.
				ctx.meta.$statusCode = 202;
				return (await this.views([contest], ctx.meta.user!.id))[0];
			}
		}
	},

	methods: {
		/** Writes the judge's problem for a new code problem, its organiser as author, and what participants see of it. */
		async createJudgeProblem(ctx: Ctx<unknown>, contest: ContestModel, params: AddProblemParams): Promise<CodeView> {
			const created = await call(ctx, "problems.createForContest", {
				contestId: contest.id,
				authorId: contest.organiserId,
				title: params.title,
				statement: params.statement,
				timeLimitMs: params.timeLimitMs,
				memoryLimitMb: params.memoryLimitMb,
				outputLimitKb: params.outputLimitKb,
				checker: params.checker,
				scoring: params.scoring,
				batches: params.batches,
				tags: [],
				difficulty: "medium",
				tests: params.tests!
			});
			return {
				problemId: created.id,
				timeLimitMs: created.timeLimitMs,
				memoryLimitMb: created.memoryLimitMb,
				outputLimitKb: created.outputLimitKb,
				checker: created.checker,
				samples: created.samples
			};
		},

		/** The code problem of this contest, or 404. */
		async codeOf(contest: ContestModel, problemId: string): Promise<CodeView> {
			const problem = (await this.store.problems(contest.id)).find(p => p.id === problemId);
			if (!problem?.code) throw new ProblemNotFoundError();
			return problem.code;
		}
	}
};
