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
