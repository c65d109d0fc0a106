/**
 * The contests service's own shape (its `this`: variables and methods), apart from the service file
 * so that its mixin and lifecycle handlers import it without importing the service (no import circle).
 */
import type { Context } from "moleculer";
import type { ModelStatic, Transaction } from "sequelize";
import type { RequestMeta } from "../../lib/auth-types";
import type { Facts, GroupStanding } from "../../lib/authorization";
import type { Clock } from "../../lib/clock";
import type { DbMethods } from "../../mixins/db.mixin";
import type { EventTypeOf } from "../../lib/contracts";
import type { OutboxMethods } from "../../mixins/outbox/outbox.mixin";
import type { ContestEventBase, ContestsEvents } from "./contests.contract";
import type { AnswerKey } from "./answers";
import type { ContestStore } from "./contest-store";
import { ContestNotFoundError } from "./contests.errors";
import type { ContestModel } from "./contests.model";
import type { AddProblemParams, CodeView, ContestStatus, ContestView } from "./contests.types";
import type { LeaderboardStore } from "./leaderboard";
import type { ContestScheduler } from "./scheduler";
import type { Standings } from "./standings";
import type { StartedContests } from "./started-contests";
import type { TeamStore } from "./team-store";

type Ctx<P> = Context<P, RequestMeta>;

/** The refusal to whoever may not know the contest exists: 404, as for a contest that does not. */
export const hidden = () => new ContestNotFoundError();

export interface ContestsVars extends DbMethods {
	model: ModelStatic<ContestModel>;
	clock: Clock;
	store: ContestStore;
	teams: TeamStore;
	boards: LeaderboardStore;
	standings: Standings;
	startedContests: StartedContests;
	answers: AnswerKey;
	scheduler: ContestScheduler;
}

/** What a `contest.*` event carries beyond the fields every one has (the contest's id, title, group and organiser). */
export type ContestEventDetails<K extends EventTypeOf<ContestsEvents>> = Omit<ContestsEvents[K], keyof ContestEventBase>;

export interface ContestsMethods extends OutboxMethods<ContestsEvents> {
	statusOf(contest: ContestModel): ContestStatus;
	views(contests: ContestModel[], callerId: string | undefined): Promise<ContestView[]>;
	groupStanding(ctx: Ctx<unknown>, groupId: string): Promise<GroupStanding | "gone">;
	seen(ctx: Ctx<unknown>, id: string, options?: { fromMemory?: boolean; participant?: boolean }): Promise<Seen>;
	organised(ctx: Ctx<unknown>, id: string): Promise<ContestModel>;
	frozenFor(contest: ContestModel, facts: Facts | null): boolean;
	/** Throws unless the caller may make a contest rated or unrated. */
	mayRate(ctx: Ctx<unknown>): void;
	checkSchedule(startsAt: Date, endsAt: Date): void;
	/** Throws unless the contest's kind holds together: a team contest is never rated. */
	checkKind(rated: boolean, teamMaxSize: number | null): void;
	/** Throws unless the organiser may change `teams` to `next` now (under the contest's row lock). */
	checkTeamsChange(transaction: Transaction, contest: ContestModel, next: number | null): Promise<void>;
	/** Who the caller competes as when they submit (their team, in a team contest), checked against the team's group. */
	competitor(ctx: Ctx<unknown>, contest: ContestModel, facts: Facts): Promise<Competitor>;
	/** Who the user competes as, for reads: their team's id in a team contest (theirs if none). */
	competitorIdOf(contest: ContestModel, userId: string): Promise<string>;
	createJudgeProblem(ctx: Ctx<unknown>, contest: ContestModel, params: AddProblemParams): Promise<CodeView>;
	codeOf(contest: ContestModel, problemId: string): Promise<CodeView>;
	record<K extends EventTypeOf<ContestsEvents>>(
		transaction: Transaction,
		contest: ContestModel,
		type: K,
		actorId: string | null,
		payload: ContestEventDetails<K>
	): Promise<void>;
}

/** The board's key for a submitter: the user's id, or their team's (`teamId` set) in a team contest. */
export interface Competitor {
	id: string;
	teamId: string | null;
}

/** A contest the caller may see, and what the authorization table knows of them and it. */
export interface Seen {
	contest: ContestModel;
	facts: Facts;
}
