import { ConflictError, TooManyRequestsError, UnauthorizedError } from "../../lib/errors";

export class UsernameTakenError extends ConflictError {
	constructor() {
		super("This username is taken", "USERNAME_TAKEN");
	}
}

export class EmailTakenError extends ConflictError {
	constructor() {
		super("An account with this email exists", "EMAIL_TAKEN");
	}
}

/** The same error for an unknown login and a wrong password: nothing to enumerate. */
export class InvalidCredentialsError extends UnauthorizedError {
	constructor() {
		super("Invalid login or password", "INVALID_CREDENTIALS");
	}
}

export class InvalidRefreshTokenError extends UnauthorizedError {
	constructor() {
		super("Invalid or expired refresh token", "INVALID_REFRESH_TOKEN");
	}
}

/** A spent refresh token came back: someone holds a copy, so its whole session is revoked. */
export class RefreshTokenReusedError extends UnauthorizedError {
	constructor() {
		super("Refresh token already used; the session has been revoked", "REFRESH_TOKEN_REUSED");
	}
}

export class SessionExpiredError extends UnauthorizedError {
	constructor() {
		super("The session has ended; log in again", "SESSION_ENDED");
	}
}

export class LoginThrottledError extends TooManyRequestsError {
	constructor(retryAfterS: number) {
		super(retryAfterS, "Too many failed logins, try again later");
	}
}

export class RegistrationThrottledError extends TooManyRequestsError {
	constructor(retryAfterS: number) {
		super(retryAfterS, "Too many registrations from this address, try again later");
	}
}
