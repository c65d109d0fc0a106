import type { ServerResponse } from "node:http";

/**
 * Writes a whole answer with its Content-Length. Without one, Node sends the body chunked: the
 * head, the chunk's size, the body and the terminator go out as one writev of four buffers, which
 * cost a fifth of a fast route's time (measured on `/health/live`).
 */
export function sendBody(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
	res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(body)) });
	res.end(body);
}

/** A JSON answer that no cache keeps. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	sendBody(
		res,
		status,
		{ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
		JSON.stringify(body)
	);
}
