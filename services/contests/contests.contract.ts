/**
 * The contests service's contract: what other services may call, catch and consume. Other
 * services import this file, never the service's other files. The parameter and response types
 * are derived from the actions' schemas (contests.types.ts, docs/schemas.md).
 */
import type { ActionSpec, ErrorSpec } from "../../lib/contracts";
import { eventTypes } from "../../lib/contracts";
import type {
	AddProblemParams,
	ContestCreatedEvent,
	ContestEndedEvent,
	ContestEventBase,
	ContestParams,
	ContestView,
	CreateContestParams,
	Leaderboard,
	LeaderboardParams,
	ListContestsParams,
	Page,
	ProblemView,
	Rank,
	Registration,
	SubmissionView,
	SubmitParams,
	UpdateContestParams
} from "./contests.types";
import type { ListTeamsParams, RegisterTeamParams, TeamParams, TeamView } from "./teams.types";

export type { ContestCreatedEvent, ContestEndedEvent, ContestEventBase, ContestParams, Rank, Registration } from "./contests.types";

export interface ContestsActions {
	"contests.create": ActionSpec<CreateContestParams, ContestView>;
	"contests.list": ActionSpec<ListContestsParams, Page<ContestView>>;
	"contests.get": ActionSpec<ContestParams, ContestView>;
	"contests.update": ActionSpec<UpdateContestParams, ContestView>;
	"contests.remove": ActionSpec<ContestParams, null>;
	"contests.addProblem": ActionSpec<AddProblemParams, ProblemView>;
	"contests.problems": ActionSpec<ContestParams, ProblemView[]>;
	"contests.register": ActionSpec<ContestParams, Registration>;
	"contests.submit": ActionSpec<SubmitParams, SubmissionView>;
	"contests.mySubmissions": ActionSpec<ContestParams, SubmissionView[]>;
	"contests.leaderboard": ActionSpec<LeaderboardParams, Leaderboard>;
	/** Team contests: a group's team registers, the teams are listed, a team withdraws before the start. */
	"contests.registerTeam": ActionSpec<RegisterTeamParams, TeamView>;
	"contests.teams": ActionSpec<ListTeamsParams, Page<TeamView>>;
	"contests.withdrawTeam": ActionSpec<TeamParams, null>;
	/** After the end: the code problems join the practice archive (problems consumes `contest.archived`). */
	"contests.archive": ActionSpec<ContestParams, ContestView>;
	/** For other services (notifications): the final ranks, a team's for each of its members (CONTEST_NOT_FOUND if it does not exist). */
	"contests.ranks": ActionSpec<ContestParams, Rank[]>;
}

/** The errors callers of the internal actions may see. */
export const CONTESTS_ERRORS = {
	/** `contests.ranks`: no such contest. */
	CONTEST_NOT_FOUND: { code: 404, type: "NOT_FOUND" }
} as const satisfies Record<string, ErrorSpec>;

export interface ContestUpdatedEvent extends ContestEventBase {
	changed: string[];
}
export interface ContestDeletedEvent extends ContestEventBase {
	reason: "deleted" | "group_deleted";
}
export interface ContestRegisteredEvent extends ContestEventBase {
	userId: string;
}
export interface ProblemSolvedEvent extends ContestEventBase {
	/** Who solved it; in a team contest, the member who submitted, for `teamId`. */
	userId: string;
	problemId: string;
	teamId?: string;
}
/** A group's team entered a team contest. `groupId` is the contest's; `teamGroupId` the team's. */
export interface TeamRegisteredEvent extends ContestEventBase {
	teamId: string;
	name: string;
	teamGroupId: string;
	memberIds: string[];
}
/** A team left a team contest: withdrawn, or its group deleted, before the start; or emptied by its members' account deletions. */
export interface TeamWithdrawnEvent extends ContestEventBase {
	teamId: string;
	reason: "withdrawn" | "group_deleted" | "emptied";
}
export type ContestStartedEvent = ContestEventBase;
/** The organiser released the contest's code problems to the practice archive. */
export interface ContestArchivedEvent extends ContestEventBase {
	/** The problems service's problems behind the contest's code problems (`code.problemId`). */
	problemIds: string[];
}

/** The domain events contests produces: event type → payload. Every payload carries the contest's id, title, group and organiser; never an answer. */
export interface ContestsEvents {
	"contest.created": ContestCreatedEvent;
	"contest.updated": ContestUpdatedEvent;
	"contest.deleted": ContestDeletedEvent;
	"contest.registered": ContestRegisteredEvent;
	"contest.team_registered": TeamRegisteredEvent;
	"contest.team_withdrawn": TeamWithdrawnEvent;
	"contest.problem_solved": ProblemSolvedEvent;
	"contest.started": ContestStartedEvent;
	"contest.ended": ContestEndedEvent;
	"contest.archived": ContestArchivedEvent;
}

export const CONTESTS_EVENT_TYPES = eventTypes<ContestsEvents>({
	"contest.created": true,
	"contest.updated": true,
	"contest.deleted": true,
	"contest.registered": true,
	"contest.team_registered": true,
	"contest.team_withdrawn": true,
	"contest.problem_solved": true,
	"contest.started": true,
	"contest.ended": true,
	"contest.archived": true
});
