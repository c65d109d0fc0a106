import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Transaction } from "sequelize";
import type { CatalogueEvent } from "../../lib/contracts";
import { TooManyRequestsError } from "../../lib/errors";
import type { ContestsEvents } from "../contests/contests.contract";
import type { ContestProblemParams, ContestSubmissionParams } from "./problems.contract";
import { ProblemNotFoundError } from "./problems.errors";
import { checkSourceBytes, MAX_UNFINISHED_PER_USER } from "./problems.rules";
import type { ProblemsMethods, ProblemsVars } from "./problems.internals";
import { createProblemParams, LANGUAGE_IDS, MAX_SOURCE_BYTES, type ProblemView } from "./problems.types";

const id = { type: "uuid" } as const;

/**
 * What the contests service asks of problems for its code problems: create one for a contest (kept
 * out of the archive, its organiser its author) and submit to it for a participant the contests
 * service has already checked. The verdict comes back as `submission.judged` with the contest's id.
 * On `contest.archived` they join the archive.
 */
export const ContestProblemsMixin: Partial<ServiceSchema<ServiceSettingSchema, ProblemsMethods, ProblemsVars>> = {
	actions: {
		createForContest: {
			visibility: "public",
			params: { ...createProblemParams, contestId: id, authorId: id },
			handler(ctx: Context<ContestProblemParams>): Promise<ProblemView> {
				const { contestId, authorId, ...problem } = ctx.params;
				return this.createProblem(problem, authorId, contestId);
			}
		},

		submitForContest: {
			visibility: "public",
			params: {
				$$strict: true,
				problemId: id,
				contestId: id,
				userId: id,
				language: { type: "enum", values: LANGUAGE_IDS },
				source: { type: "string", min: 1, max: MAX_SOURCE_BYTES }
			},
			async handler(ctx: Context<ContestSubmissionParams>): Promise<{ id: string }> {
				const { problemId, contestId, userId, language, source } = ctx.params;
				checkSourceBytes(source);
				const problem = await this.problems.find(problemId);
				if (!problem || problem.contest_id !== contestId) throw new ProblemNotFoundError();
				if ((await this.submissions.unfinishedOf(userId)) >= MAX_UNFINISHED_PER_USER)
					throw new TooManyRequestsError(5, `At most ${MAX_UNFINISHED_PER_USER} of your submissions wait for the judge at once`);
				const row = await this.sequelize.transaction(async transaction => {
					const created = await this.submissions.create({ problemId, userId, language, source, contestId }, transaction);
					await this.recordEvent(transaction, {
						type: "submission.queued",
						aggregateId: created.id,
						actorId: userId,
						payload: { submissionId: created.id, problemId, userId, language }
					});
					return created;
				});
				return { id: row.id };
			}
		}
	},

	methods: {
		/**
		 * On `contest.archived`: the contest's problems become published archive problems, each with its
		 * `problem.published`, in the inbox's transaction. Only drafts move, so a second delivery publishes nothing.
		 */
		async archiveContestProblems(event: CatalogueEvent<ContestsEvents, "contest.archived">, transaction: Transaction) {
			const { contestId, problemIds } = event.payload;
			for (const row of await this.problems.publishForContest(contestId, problemIds, transaction)) {
				await this.recordEvent(transaction, {
					type: "problem.published",
					aggregateId: row.id,
					actorId: event.actorId,
					payload: { problemId: row.id, title: row.title, authorId: row.author_id }
				});
			}
		}
	}
};
