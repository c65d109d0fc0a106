import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors } from "moleculer";
import { safeInput, safeQuery } from "./input-boundary";

type Next = (err?: Error) => void;

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function hasBody(req: IncomingMessage): boolean {
	return Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
}

/**
 * Write routes take JSON bodies only, and no query string: moleculer-web merges the query over
 * the body, so a field the body may not set could otherwise be smuggled in through the URL.
 */
export function requireJsonBody(req: IncomingMessage & { query?: Record<string, unknown> }, _res: ServerResponse, next: Next) {
	if (!BODY_METHODS.has(req.method ?? "")) return next();
	const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
	if (hasBody(req) && type !== "application/json") {
		return next(new Errors.MoleculerClientError("Send the body as application/json", 415, "UNSUPPORTED_MEDIA_TYPE"));
	}
	if (req.query && Object.keys(req.query).length > 0) {
		return next(new Errors.MoleculerClientError("Query parameters are not accepted on this route", 400, "QUERY_NOT_ALLOWED"));
	}
	next();
}

/** The one input boundary of `/api`: body and query rebuilt as null-prototype data, prototype keys refused. */
export function safeRequestInput(
	req: IncomingMessage & { query?: Record<string, unknown>; body?: unknown; originalUrl?: string },
	_res: ServerResponse,
	next: Next
) {
	try {
		const url = req.originalUrl ?? req.url ?? "";
		const at = url.indexOf("?");
		req.query = safeQuery(at === -1 ? "" : url.slice(at + 1), req.query);
		if (req.body !== undefined) req.body = safeInput(req.body);
	} catch (err) {
		return next(err as Error);
	}
	next();
}

/**
 * A raw upload route's bound: the body must declare its length (HTTP then holds it to it), and a
 * larger one is refused before a byte of it is streamed on. A chunked body of unknown length is
 * refused, rather than read until it proves too large.
 */
export function limitUpload(maxBytes: number) {
	return function (req: IncomingMessage, _res: ServerResponse, next: Next) {
		if (req.headers["content-length"] === undefined) {
			return next(new Errors.MoleculerClientError("Send the upload with its Content-Length", 411, "LENGTH_REQUIRED"));
		}
		if (Number(req.headers["content-length"]) > maxBytes) {
			return next(new Errors.MoleculerClientError(`The upload holds at most ${maxBytes} bytes`, 413, "PAYLOAD_TOO_LARGE"));
		}
		next();
	};
}
