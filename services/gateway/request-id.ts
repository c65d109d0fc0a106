import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A request id we pass on as given: short, printable, no separators that could forge log fields. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `X-Request-ID` if sane, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
	const given = req.headers["x-request-id"];
	return typeof given === "string" && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
