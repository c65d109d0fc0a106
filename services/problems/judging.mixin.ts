import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Transaction } from "sequelize";
import { VERDICTS } from "../judge/judge.contract";
import { judgingSpecOf } from "./problem-store";
import type { Claim, JudgedParams, ProgressParams } from "./problems.contract";
import { TestsChangedError } from "./problems.errors";
import type { ProblemsMethods, ProblemsVars } from "./problems.internals";
import { type ProblemTest, testResultSchema } from "./problems.types";
import type { SubmissionRow } from "./submission-store";

/** A submission claimed this often without a verdict (its judge died each time) ends as an internal error. */
export const MAX_JUDGING_ATTEMPTS = 3;

const id = { type: "uuid" } as const;
const attempt = { type: "number", integer: true, min: 1 } as const;

/**
 * The judge's side of the problems service: internal actions only it calls. A claim is the
 * fencing token: progress and the verdict count only from the latest attempt, and the verdict
 * and its `submission.judged` event commit together, once.
 */
export const JudgingMixin: Partial<ServiceSchema<ServiceSettingSchema, ProblemsMethods, ProblemsVars>> = {
	actions: {
		/** Takes a queued submission (again, after a crash: one more attempt); past the last attempt it ends as IE. */
		claimSubmission: {
			visibility: "public",
			params: { $$strict: true, submissionId: id },
			async handler(ctx: Context<{ submissionId: string }>): Promise<Claim> {
				return this.sequelize.transaction(async transaction => {
					const row = await this.submissions.claim(ctx.params.submissionId, transaction);
					if (!row) return { state: "done" };
					const problem = await this.problems.find(row.problem_id, transaction);
					if (!problem) return { state: "done" };
					if (row.attempts - row.attempts_before > MAX_JUDGING_ATTEMPTS) {
						const message = `The judge failed ${MAX_JUDGING_ATTEMPTS} times on this submission`;
						await this.finishJudging(
							{
								submissionId: row.id,
								attempt: row.attempts,
								verdict: "IE",
								score: 0,
								tests: [],
								compileMessage: null,
								pretestVerdict: null
							},
							transaction,
							message
						);
						return { state: "done" };
					}
					return {
						state: "judge",
						attempt: row.attempts,
						submission: { id: row.id, userId: row.user_id, language: row.language, source: row.source },
						problem: judgingSpecOf(problem)
					};
				});
			}
		},

		/** A problem's tests at the version the claim named. */
		judgeTests: {
			visibility: "public",
			params: { $$strict: true, problemId: id, version: attempt },
			async handler(ctx: Context<{ problemId: string; version: number }>): Promise<{ tests: ProblemTest[] }> {
				const problem = await this.problems.find(ctx.params.problemId);
				if (!problem || problem.tests_version !== ctx.params.version) throw new TestsChangedError();
				return { tests: await this.problems.testsOf(problem.id) };
			}
		},

		reportProgress: {
			visibility: "public",
			params: {
				$$strict: true,
				submissionId: id,
				attempt,
				status: { type: "enum", values: ["compiling", "running"] },
				test: { type: "number", integer: true, min: 0, optional: true },
				of: { type: "number", integer: true, min: 0, optional: true },
				pretestVerdict: { type: "enum", values: VERDICTS, optional: true }
			},
			async handler(ctx: Context<ProgressParams>): Promise<{ current: boolean }> {
				return { current: await this.submissions.progress(ctx.params) };
			}
		},

		recordVerdict: {
			visibility: "public",
			params: {
				$$strict: true,
				submissionId: id,
				attempt,
				verdict: { type: "enum", values: VERDICTS },
				score: { type: "number", integer: true, min: 0, max: 100_000 },
				tests: { type: "array", max: 1000, items: { type: "object", props: testResultSchema } },
				compileMessage: { type: "string", max: 4096, nullable: true },
				pretestVerdict: { type: "enum", values: VERDICTS, nullable: true }
			},
			async handler(ctx: Context<JudgedParams>): Promise<{ recorded: boolean }> {
				const row = await this.sequelize.transaction(transaction => this.finishJudging(ctx.params, transaction));
				return { recorded: row !== null };
			}
		}
	},

	methods: {
		/** Writes the verdict (of this attempt, or of none: an IE given up on) and its event, once. */
		async finishJudging(result: JudgedParams, transaction: Transaction, message?: string): Promise<SubmissionRow | null> {
			const row = await this.submissions.finish({ ...result, compileMessage: result.compileMessage ?? message ?? null }, transaction);
			if (!row) return null;
			const firstSolve = result.verdict === "AC" && (await this.problems.markSolved(row.user_id, row.problem_id, transaction));
			if (result.verdict !== "AC" && row.judgement > 1)
				await this.problems.unmarkUnlessAccepted(row.user_id, row.problem_id, transaction);
			await this.recordEvent(transaction, {
				type: "submission.judged",
				aggregateId: row.id,
				actorId: null,
				payload: {
					submissionId: row.id,
					problemId: row.problem_id,
					userId: row.user_id,
					language: row.language,
					verdict: result.verdict,
					score: result.score,
					firstSolve,
					contestId: row.contest_id,
					judgement: row.judgement,
					submittedAt: new Date(row.created_at).toISOString()
				}
			});
			return row;
		}
	}
};
