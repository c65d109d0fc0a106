import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Config } from "../../config";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize, type Facts } from "../../lib/authorization";
import { TooManyRequestsError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { renderMarkdown } from "../../lib/markdown";
import { pageOf } from "../../lib/page";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin } from "../../mixins/db.mixin";
import { OutboxMixin } from "../../mixins/outbox/outbox.mixin";
import { EVENT_TOPOLOGY } from "../contracts";
import { ContestProblemsMixin } from "./contest-problems.mixin";
import { JudgingMixin } from "./judging.mixin";
import { migrations } from "./migrations";
import { type ProblemRow, ProblemStore, problemViewOf, samplesOf } from "./problem-store";
import { TESTS_UPLOAD } from "./problems.contract";
import { AlreadyPublishedError, ContestProblemError, ProblemNotFoundError, SubmissionNotFoundError } from "./problems.errors";
import type { ProblemsMethods, ProblemsVars } from "./problems.internals";
import { PROBLEMS_SUBSCRIPTION } from "./problems.subscription";
import {
	type CreateProblemParams,
	createProblemParams,
	type ListProblemsParams,
	listProblemsParams,
	type MySubmissionsParams,
	mySubmissionsParams,
	type Page,
	problemPageSchema,
	type ProblemParams,
	problemParams,
	type ProblemView,
	problemViewSchema,
	type Rejudged,
	rejudgedSchema,
	type SubmissionParams,
	submissionParams,
	submissionPageSchema,
	type SubmissionView,
	submissionViewSchema,
	type Submitted,
	submittedSchema,
	type SubmitParams,
	submitParams
} from "./problems.types";
import { checkBatches, checkConsistent, checkSourceBytes, MAX_UNFINISHED_PER_USER } from "./problems.rules";
import { readUpload } from "./read-upload";
import { SubmissionStore, submissionViewOf } from "./submission-store";
import { readTestArchiveInWorker } from "./test-archive/read-in-worker";

type Ctx<P> = Context<P, RequestMeta>;

const SERVICE = "problems";
const hidden = () => new ProblemNotFoundError();

/** What the authorization table needs to know of a problem and the caller. */
const factsOf = (ctx: Ctx<unknown>, row: ProblemRow): Facts => ({
	caller: ctx.meta.user ?? null,
	relations: ctx.meta.user?.id === row.author_id ? ["author"] : [],
	state: row.status
});

/** Problems with hidden tests, submissions judged by the judge service, and the practice archive. */
export function problemsService(c: Config): ServiceSchema<ServiceSettingSchema, ProblemsMethods, ProblemsVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			JudgingMixin as Partial<ServiceSchema>,
			ContestProblemsMixin as Partial<ServiceSchema>,
			OutboxMixin({ service: SERVICE, config: c, topology: EVENT_TOPOLOGY }),
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: PROBLEMS_SUBSCRIPTION,
				handlers: {
					async "user.deleted"(this: ProblemsVars, event, transaction) {
						await this.problems.forgetUser(event.payload.userId, transaction);
						await this.submissions.forgetUser(event.payload.userId, transaction);
					},
					"contest.archived"(this: ProblemsMethods, event, transaction) {
						return this.archiveContestProblems(event, transaction);
					}
				}
			}),
			DbMixin({ service: SERVICE, config: c, migrations })
		],

		actions: {
			/** Writes a problem with its tests, a draft of its author's until published. */
			create: {
				http: "POST /problems",
				visibility: "published",
				auth: "required",
				params: createProblemParams,
				response: problemViewSchema,
				async handler(ctx: Ctx<CreateProblemParams>): Promise<ProblemView> {
					const view = await this.createProblem(ctx.params, ctx.meta.user!.id);
					ctx.meta.$statusCode = 201;
					ctx.meta.$location = `/api/problems/${view.id}`;
					return view;
				}
			},

			/** The practice archive: published problems, newest first, by tag and difficulty, with the caller's solves. */
			list: {
				http: "GET /problems",
				visibility: "published",
				auth: "optional",
				params: listProblemsParams,
				response: problemPageSchema,
				...READ,
				async handler(ctx: Ctx<ListProblemsParams>): Promise<Page<ProblemView>> {
					const { rows, total } = await this.problems.page(ctx.params);
					const ids = rows.map(r => r.id);
					const [samples, solved] = await Promise.all([
						this.problems.samples(ids),
						this.problems.solvedAmong(ctx.meta.user?.id, ids)
					]);
					const views = rows.map(r => problemViewOf(r, samples.get(r.id) ?? [], solved.has(r.id)));
					return pageOf(views, total, ctx.params.page, ctx.params.pageSize);
				}
			},

			/** One problem: published ones to anyone, drafts to their author. */
			get: {
				http: "GET /problems/:id",
				visibility: "published",
				auth: "optional",
				params: problemParams,
				response: problemViewSchema,
				...READ,
				async handler(ctx: Ctx<ProblemParams>): Promise<ProblemView> {
					const row = await this.problems.find(ctx.params.id);
					if (!row) throw hidden();
					authorize("problem.read", factsOf(ctx, row), { hidden });
					return this.viewOf(ctx, row);
				}
			},

			/** The author makes a draft public: it joins the archive. */
			publish: {
				http: "POST /problems/:id/publish",
				visibility: "published",
				auth: "required",
				params: problemParams,
				response: problemViewSchema,
				async handler(ctx: Ctx<ProblemParams>): Promise<ProblemView> {
					const row = await this.sequelize.transaction(async transaction => {
						const found = await this.problems.find(ctx.params.id, transaction, true);
						if (!found) throw hidden();
						authorize("problem.edit", factsOf(ctx, found), { hidden });
						if (found.status === "published") throw new AlreadyPublishedError();
						// A contest's problem stays the contest's: its tests must not reach anyone outside it.
						if (found.contest_id) throw new ContestProblemError();
						const published = await this.problems.publish(found.id, transaction);
						await this.recordEvent(transaction, {
							type: "problem.published",
							aggregateId: found.id,
							actorId: ctx.meta.user!.id,
							payload: { problemId: found.id, title: found.title, authorId: found.author_id }
						});
						return published;
					});
					return this.viewOf(ctx, row);
				}
			},

			/**
			 * The author replaces the tests with an upload, a zip or JSON (services/problems/test-archive/), streamed
			 * through the gateway's upload route (TESTS_UPLOAD in the contract) rather than the JSON API. The tests'
			 * version moves on: judging already under way finishes with the tests it started with or judges again.
			 */
			replaceTests: {
				visibility: "published",
				auth: "required",
				params: problemParams,
				response: problemViewSchema,
				async handler(ctx: Ctx<ProblemParams>): Promise<ProblemView> {
					const found = await this.problems.find(ctx.params.id);
					if (!found) throw hidden();
					authorize("problem.edit", factsOf(ctx, found), { hidden });
					const tests = await readTestArchiveInWorker(await readUpload(ctx.stream, TESTS_UPLOAD.maxBytes));
					checkBatches(tests, found.batches);
					const row = await this.sequelize.transaction(async transaction => {
						const locked = await this.problems.find(found.id, transaction, true);
						if (!locked) throw hidden();
						return this.problems.replaceTests(locked.id, tests, transaction);
					});
					return this.viewOf(ctx, row);
				}
			},

			/** The author judges every judged submission again (tests or checker changed); a contest's organiser through the contest. */
			rejudge: {
				http: "POST /problems/:id/rejudge",
				visibility: "published",
				auth: "required",
				params: problemParams,
				response: rejudgedSchema,
				async handler(ctx: Ctx<ProblemParams>): Promise<Rejudged> {
					const found = await this.problems.find(ctx.params.id);
					if (!found) throw hidden();
					authorize("problem.edit", factsOf(ctx, found), { hidden });
					const requeued = await this.sequelize.transaction(async transaction => {
						const rows = await this.submissions.requeue(found.id, transaction);
						for (const row of rows) {
							await this.recordEvent(transaction, {
								type: "submission.queued",
								aggregateId: row.id,
								actorId: ctx.meta.user!.id,
								payload: { submissionId: row.id, problemId: row.problem_id, userId: row.user_id, language: row.language }
							});
						}
						return rows.length;
					});
					ctx.meta.$statusCode = 202;
					return { requeued };
				}
			},

			/** Queues a program for judging; the verdict follows on the submitter's stream and at /submissions/:id. */
			submit: {
				http: "POST /problems/:id/submissions",
				visibility: "published",
				auth: "required",
				params: submitParams,
				response: submittedSchema,
				async handler(ctx: Ctx<SubmitParams>): Promise<Submitted> {
					const { id: problemId, language, source } = ctx.params;
					const userId = ctx.meta.user!.id;
					const problem = await this.problems.find(problemId);
					if (!problem) throw hidden();
					authorize("problem.submit", factsOf(ctx, problem), { hidden });
					checkSourceBytes(source);
					if ((await this.submissions.unfinishedOf(userId)) >= MAX_UNFINISHED_PER_USER)
						throw new TooManyRequestsError(
							5,
							`At most ${MAX_UNFINISHED_PER_USER} of your submissions wait for the judge at once`
						);
					const row = await this.sequelize.transaction(async transaction => {
						const created = await this.submissions.create({ problemId, userId, language, source }, transaction);
						await this.recordEvent(transaction, {
							type: "submission.queued",
							aggregateId: created.id,
							actorId: userId,
							payload: { submissionId: created.id, problemId, userId, language }
						});
						return created;
					});
					ctx.meta.$statusCode = 202;
					ctx.meta.$location = `/api/submissions/${row.id}`;
					return { id: row.id, status: "queued" };
				}
			},

			/** One submission, to its author: status, verdict, each test's result. */
			submission: {
				http: "GET /submissions/:id",
				visibility: "published",
				auth: "required",
				params: submissionParams,
				response: submissionViewSchema,
				async handler(ctx: Ctx<SubmissionParams>): Promise<SubmissionView> {
					const hiddenSubmission = () => new SubmissionNotFoundError();
					const row = await this.submissions.find(ctx.params.id);
					if (!row) throw hiddenSubmission();
					authorize(
						"submission.read",
						{ caller: ctx.meta.user!, relations: row.user_id === ctx.meta.user!.id ? ["author"] : [] },
						{ hidden: hiddenSubmission }
					);
					return submissionViewOf(row);
				}
			},

			/** The caller's submissions of a problem, newest first. */
			mySubmissions: {
				http: "GET /problems/:id/submissions",
				visibility: "published",
				auth: "required",
				params: mySubmissionsParams,
				response: submissionPageSchema,
				async handler(ctx: Ctx<MySubmissionsParams>): Promise<Page<SubmissionView>> {
					const problem = await this.problems.find(ctx.params.id);
					if (!problem) throw hidden();
					authorize("problem.read", factsOf(ctx, problem), { hidden });
					const { page, pageSize } = ctx.params;
					const { rows, total } = await this.submissions.pageOf(ctx.meta.user!.id, problem.id, page, pageSize);
					return pageOf(rows.map(submissionViewOf), total, page, pageSize);
				}
			}
		},

		methods: {
			/** Writes a problem with its tests and its `problem.created` event; a contest's is kept out of the archive. */
			async createProblem(params: CreateProblemParams, authorId: string, contestId?: string): Promise<ProblemView> {
				checkConsistent(params);
				const { tests, ...problem } = params;
				const row = await this.sequelize.transaction(async transaction => {
					const created = await this.problems.create(
						{ ...problem, statementHtml: renderMarkdown(problem.statement), authorId, contestId },
						tests,
						transaction
					);
					await this.recordEvent(transaction, {
						type: "problem.created",
						aggregateId: created.id,
						actorId: authorId,
						payload: { problemId: created.id, title: created.title, authorId }
					});
					return created;
				});
				return problemViewOf(row, samplesOf(tests), false);
			},

			async viewOf(ctx: Ctx<unknown>, row: ProblemRow): Promise<ProblemView> {
				const [samples, solved] = await Promise.all([
					this.problems.samples([row.id]),
					this.problems.solvedAmong(ctx.meta.user?.id, [row.id])
				]);
				return problemViewOf(row, samples.get(row.id) ?? [], solved.has(row.id));
			}
		},

		async started() {
			this.problems = new ProblemStore(this.sequelize, SERVICE);
			this.submissions = new SubmissionStore(this.sequelize, SERVICE);
		}
	};
}
