/**
 * A route whose body is a file streamed raw to an action, not JSON fields: the owning service's
 * contract declares it once, and the gateway both serves and documents it from that declaration.
 */
export interface UploadSpec {
	/** The gateway route's path under `/api`, e.g. "/problems". */
	under: string;
	/** The alias within it, e.g. "PUT /:id/tests". */
	route: string;
	/** The action the body is streamed to (as `ctx.stream`); its params are the path's. */
	action: string;
	/** Bytes; a larger Content-Length is refused before the body is read. */
	maxBytes: number;
	/** The body's media types, each with its fastest-validator schema where it is JSON (else null). */
	media: Readonly<Record<string, Readonly<Record<string, unknown>> | null>>;
	/** What the body holds, for the API's document. */
	description: string;
}
