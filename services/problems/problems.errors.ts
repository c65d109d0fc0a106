import { ConflictError, NotFoundError } from "../../lib/errors";

export class ProblemNotFoundError extends NotFoundError {
	constructor() {
		super("Problem");
	}
}

export class SubmissionNotFoundError extends NotFoundError {
	constructor() {
		super("Submission", "SUBMISSION_NOT_FOUND");
	}
}

export class AlreadyPublishedError extends ConflictError {
	constructor() {
		super("The problem is already published", "ALREADY_PUBLISHED");
	}
}

export class ContestProblemError extends ConflictError {
	constructor() {
		super("A contest's problem is not published on its own", "CONTEST_PROBLEM");
	}
}

/** The judge's claim named tests that have changed since: it claims again (problems.contract PROBLEMS_ERRORS). */
export class TestsChangedError extends ConflictError {
	constructor() {
		super("The problem's tests changed since the claim", "TESTS_CHANGED");
	}
}
