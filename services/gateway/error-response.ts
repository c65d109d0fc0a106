import { Errors } from "moleculer";

export interface PublicError {
	name: string;
	message: string;
	code: number;
	type: string;
	data?: unknown;
}

export interface ErrorResponse {
	status: number;
	body: PublicError;
	headers: Record<string, string>;
}

/** Seconds a client should wait after a 503: the circuit breaker's half-open delay. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_S = 10;

type AnyError = Error & { code?: unknown; type?: unknown; data?: unknown; status?: number };

const bodyParserErrors: Record<string, [number, string, string, string]> = {
	"entity.parse.failed": [400, "BadRequestError", "MALFORMED_JSON", "The request body is not valid JSON"],
	"entity.too.large": [413, "PayloadTooLargeError", "PAYLOAD_TOO_LARGE", "The request body is too large"],
	"encoding.unsupported": [415, "UnsupportedMediaTypeError", "UNSUPPORTED_ENCODING", "Unsupported content encoding"],
	"charset.unsupported": [415, "UnsupportedMediaTypeError", "UNSUPPORTED_CHARSET", "Unsupported charset"],
	"request.aborted": [400, "BadRequestError", "REQUEST_ABORTED", "The request was aborted"]
};

function make(status: number, name: string, type: string, message: string, data?: unknown): PublicError {
	return data === undefined ? { name, message, code: status, type } : { name, message, code: status, type, data };
}

/** Validation details without the rejected values: they may be passwords. */
function validationDetails(data: unknown) {
	if (!Array.isArray(data)) return undefined;
	return data.map((d: { field?: string; type?: string; message?: string }) => ({
		field: d.field,
		type: d.type,
		message: d.message
	}));
}

/**
 * The one place that turns any error into API.md's public error body and status. Client errors
 * keep their message and data; anything else becomes a plain 5xx with no internal detail.
 */
export function toErrorResponse(error: unknown, rateLimitWindowS: number): ErrorResponse {
	const err = (error instanceof Error ? error : new Error(String(error))) as AnyError;
	const headers: Record<string, string> = {};
	const respond = (body: PublicError): ErrorResponse => ({ status: body.code, body, headers });

	const parserError = typeof err.type === "string" ? bodyParserErrors[err.type] : undefined;
	if (parserError) return respond(make(...parserError));

	switch (err.name) {
		case "ValidationError":
			// A handler may name its rule (e.g. COMMENT_TOO_DEEP); the validator's own say VALIDATION_ERROR.
			return respond(
				make(
					422,
					"ValidationError",
					typeof err.type === "string" ? err.type : "VALIDATION_ERROR",
					"Parameters validation error",
					validationDetails(err.data)
				)
			);
		case "ServiceNotFoundError":
		case "ServiceNotAvailableError":
		case "RequestRejectedError": // in flight to a node that was then declared dead
		case "BrokerDisconnectedError": // the transporter's connection is down (502 in Moleculer)
		case "ServiceUnavailableError":
			headers["Retry-After"] = String(SERVICE_UNAVAILABLE_RETRY_AFTER_S);
			return respond(make(503, "ServiceUnavailableError", "SERVICE_UNAVAILABLE", "The service is unavailable, try again later"));
		case "RequestTimeoutError":
			return respond(make(504, "GatewayTimeoutError", "GATEWAY_TIMEOUT", "The service did not answer in time"));
		case "QueueIsFullError":
		case "RateLimitExceeded":
			headers["Retry-After"] = String(rateLimitWindowS);
			return respond(make(429, "TooManyRequestsError", "TOO_MANY_REQUESTS", "Too many requests, try again later"));
		case "UnAuthorizedError": // moleculer-web's own
			return respond(make(401, "UnauthorizedError", "UNAUTHORIZED", "Authentication required"));
	}

	const code = typeof err.code === "number" ? err.code : err.status;
	if (code === 503 && err.type === "DATABASE_UNAVAILABLE") {
		headers["Retry-After"] = String(SERVICE_UNAVAILABLE_RETRY_AFTER_S);
		return respond(make(503, "ServiceUnavailableError", "DATABASE_UNAVAILABLE", "The database is unavailable, try again later"));
	}
	if (typeof code === "number" && code >= 400 && code < 500) {
		const retryAfter = (err.data as { retryAfter?: number } | undefined)?.retryAfter;
		if (code === 429) headers["Retry-After"] = String(retryAfter ?? rateLimitWindowS);
		const type = typeof err.type === "string" && /^[A-Z0-9_]+$/.test(err.type) ? err.type : "CLIENT_ERROR";
		return respond(make(code, err.name || "ClientError", type, err.message, err.data ?? undefined));
	}
	if (err instanceof Errors.MoleculerError && code === 501) {
		return respond(make(501, "NotImplementedError", "NOT_IMPLEMENTED", "Not implemented"));
	}
	return respond(make(500, "InternalServerError", "INTERNAL_ERROR", "Internal server error"));
}
