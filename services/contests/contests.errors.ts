import { ConflictError, ForbiddenError, NotFoundError } from "../../lib/errors";

export class ContestNotFoundError extends NotFoundError {
	constructor() {
		super("Contest");
	}
}

export class ProblemNotFoundError extends NotFoundError {
	constructor() {
		super("Problem", "PROBLEM_NOT_FOUND");
	}
}

export class TeamNotFoundError extends NotFoundError {
	constructor() {
		super("Team", "TEAM_NOT_FOUND");
	}
}

/** A team's group that the caller may not know of (private, or deleted). */
export class GroupNotFoundError extends NotFoundError {
	constructor() {
		super("Group", "GROUP_NOT_FOUND");
	}
}

/** The conflicts a contest answers with 409, each with its stable type. */
const conflict = (type: string, message: string) =>
	class extends ConflictError {
		constructor() {
			super(message, type);
		}
	};

export const ContestStartedError = conflict("CONTEST_STARTED", "The contest has started: its schedule and problems are fixed");
export const ContestNotRunningError = conflict("CONTEST_NOT_RUNNING", "The contest has not started yet");
export const ContestEndedError = conflict("CONTEST_ENDED", "The contest has ended");
export const ContestNotEndedError = conflict("CONTEST_NOT_ENDED", "The contest has not ended yet");
export const AlreadyArchivedError = conflict("ALREADY_ARCHIVED", "The contest's problems are already in the archive");
export const NoCodeProblemsError = conflict("NO_CODE_PROBLEMS", "The contest has no code problem to put in the archive");
export const TooManyProblemsError = conflict("TOO_MANY_PROBLEMS", "A contest holds at most 50 problems");
export const AlreadyRegisteredError = conflict("ALREADY_REGISTERED", "You are already registered for this contest");
export const TeamContestError = conflict("TEAM_CONTEST", "This contest is for teams: register a team of your group");
export const NotTeamContestError = conflict("NOT_TEAM_CONTEST", "This contest is not for teams: each participant registers");
export const TeamNameTakenError = conflict("TEAM_NAME_TAKEN", "Another team of this contest has this name");
export const RegistrationsExistError = conflict(
	"REGISTRATIONS_EXIST",
	"Participants have registered: whether the contest is for teams is fixed"
);
export const TeamsTooLargeError = conflict("TEAMS_TOO_LARGE", "A registered team has more members than that");

/** One team per person per contest; `data.userIds`: the members who already have one. */
export class AlreadyInTeamError extends ConflictError {
	constructor(userIds: string[]) {
		super("A member already has a team in this contest", "ALREADY_IN_TEAM", { userIds });
	}
}

export class NotRegisteredError extends ForbiddenError {
	constructor() {
		super("Register for the contest first", "NOT_REGISTERED");
	}
}

export class NotOrganiserError extends ForbiddenError {
	constructor() {
		super("Only the contest's organiser may do this");
	}
}
