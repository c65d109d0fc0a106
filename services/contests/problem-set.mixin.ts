import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize } from "../../lib/authorization";
import { fieldError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { renderMarkdown } from "../../lib/markdown";
import { toProblem } from "./contest-store";
import { ContestNotRunningError, ContestStartedError, NotRegisteredError, TooManyProblemsError } from "./contests.errors";
import { type ContestsMethods, type ContestsVars, hidden } from "./contests.internals";
import {
	type AddProblemParams,
	addProblemParams,
	type ContestParams,
	contestParams,
	problemsResponse,
	type ProblemView,
	problemViewSchema
} from "./contests.types";

type Ctx<P> = Context<P, RequestMeta>;

/** A contest's problem set: the organiser writes it before the start, participants read it once the contest runs. Part of the contests service. */
export const ContestProblemSetMixin: Partial<ServiceSchema<ServiceSettingSchema, ContestsMethods, ContestsVars>> = {
	actions: {
		/** The organiser adds a problem before the start; its answer is kept only as a keyed hash. */
		addProblem: {
			http: "POST /contests/:id/problems",
			visibility: "published",
			auth: "required",
			params: addProblemParams,
			response: problemViewSchema,
			async handler(ctx: Ctx<AddProblemParams>): Promise<ProblemView> {
				const { id, kind, title, statement, points, answer, caseSensitive = false } = ctx.params;
				if (kind === "answer" && !answer) throw fieldError("answer", "required", "An answer problem needs its answer");
				if (kind === "code" && (answer || !ctx.params.tests))
					throw fieldError(answer ? "answer" : "tests", "kind", "A code problem has tests, not an answer");
				const contest = await this.organised(ctx, id);
				if (this.statusOf(contest) !== "upcoming") throw new ContestStartedError();
				// The judge's problem first (a remote call, never inside the transaction); an unused one stays its organiser's draft.
				const code = kind === "code" ? await this.createJudgeProblem(ctx, contest, ctx.params) : null;
				const problem = await this.sequelize.transaction(transaction =>
					this.store.addProblem(transaction, id, {
						kind,
						title,
						statement,
						statement_html: renderMarkdown(statement),
						points,
						case_sensitive: kind === "answer" && caseSensitive,
						answer_hash: answer ? this.answers.hash(answer, caseSensitive) : null,
						code
					})
				);
				if (!problem) throw new TooManyProblemsError();
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/contests/${id}/problems`;
				return toProblem(problem);
			}
		},

		/** The problems: to the organiser always, to participants once the contest runs. */
		problems: {
			http: "GET /contests/:id/problems",
			visibility: "published",
			auth: "required",
			params: contestParams,
			response: problemsResponse,
			...READ,
			async handler(ctx: Ctx<ContestParams>): Promise<ProblemView[]> {
				const { contest, facts } = await this.seen(ctx, ctx.params.id, { participant: true });
				authorize("contest.readProblems", facts, { hidden, forbidden: () => new NotRegisteredError() });
				if (!facts.relations!.includes("organiser") && this.statusOf(contest) === "upcoming") throw new ContestNotRunningError();
				return (await this.store.problems(contest.id)).map(toProblem);
			}
		}
	}
};
