import { Errors } from "moleculer";

/**
 * Errors shared by every service. Each has a stable UPPER_SNAKE `type`; the gateway turns them
 * into the public error body `{ name, message, code, type, data? }`.
 */
export class UnauthorizedError extends Errors.MoleculerClientError {
	constructor(message = "Authentication required", type = "UNAUTHORIZED") {
		super(message, 401, type);
		this.name = "UnauthorizedError";
	}
}

export class ForbiddenError extends Errors.MoleculerClientError {
	constructor(message = "You are not allowed to do this", type = "FORBIDDEN") {
		super(message, 403, type);
		this.name = "ForbiddenError";
	}
}

export class NotFoundError extends Errors.MoleculerClientError {
	constructor(what: string, type = "NOT_FOUND") {
		super(`${what} not found`, 404, type);
		this.name = "NotFoundError";
	}
}

export class ConflictError extends Errors.MoleculerClientError {
	constructor(message: string, type: string, data?: unknown) {
		super(message, 409, type, data);
		this.name = "ConflictError";
	}
}

/** A field-level validation failure found in the handler (422), in the validator's own shape. */
export function fieldError(field: string, rule: string, message: string, type = "VALIDATION_ERROR") {
	return new Errors.ValidationError("Parameters validation error!", type, [{ type: rule, field, message }]);
}

export class TooManyRequestsError extends Errors.MoleculerClientError {
	constructor(retryAfterS: number, message = "Too many requests, try again later") {
		super(message, 429, "TOO_MANY_REQUESTS", { retryAfter: retryAfterS });
		this.name = "TooManyRequestsError";
	}
}

/** API.md: an Idempotency-Key already used for another request (method, path or body). */
export class IdempotencyKeyReusedError extends Errors.MoleculerClientError {
	constructor() {
		super("This Idempotency-Key was used for another request", 422, "IDEMPOTENCY_KEY_REUSED");
		this.name = "IdempotencyKeyReusedError";
	}
}

/**
 * The service's database is unreachable for now (a restart, a cut, an exhausted pool): 503, and
 * retryable, so that a keyed write may be repeated. Nothing was committed: a write's transaction
 * either commits whole or not at all.
 */
export class DatabaseUnavailableError extends Errors.MoleculerRetryableError {
	constructor() {
		super("The database is unavailable, try again later", 503, "DATABASE_UNAVAILABLE");
		this.name = "DatabaseUnavailableError";
	}
}
