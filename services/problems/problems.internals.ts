/**
 * The problems service's own shape (its `this`), apart from the service file so that its mixin
 * imports it without importing the service (no import circle).
 */
import type { Context } from "moleculer";
import type { Transaction } from "sequelize";
import type { RequestMeta } from "../../lib/auth-types";
import type { CatalogueEvent } from "../../lib/contracts";
import type { ContestsEvents } from "../contests/contests.contract";
import type { DbMethods } from "../../mixins/db.mixin";
import type { OutboxMethods } from "../../mixins/outbox/outbox.mixin";
import type { ProblemRow, ProblemStore } from "./problem-store";
import type { JudgedParams, ProblemsEvents } from "./problems.contract";
import type { CreateProblemParams, ProblemView } from "./problems.types";
import type { SubmissionRow, SubmissionStore } from "./submission-store";

export interface ProblemsVars extends DbMethods, OutboxMethods<ProblemsEvents> {
	problems: ProblemStore;
	submissions: SubmissionStore;
}

export interface ProblemsMethods {
	createProblem(params: CreateProblemParams, authorId: string, contestId?: string): Promise<ProblemView>;
	viewOf(ctx: Context<unknown, RequestMeta>, row: ProblemRow): Promise<ProblemView>;
	finishJudging(result: JudgedParams, transaction: Transaction, message?: string): Promise<SubmissionRow | null>;
	archiveContestProblems(event: CatalogueEvent<ContestsEvents, "contest.archived">, transaction: Transaction): Promise<void>;
}
