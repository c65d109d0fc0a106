import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

const ANSWERS: Record<string, [number, string, string]> = {
	HPE_HEADER_OVERFLOW: [431, "RequestHeaderFieldsTooLargeError", "HEADERS_TOO_LARGE"],
	ERR_HTTP_REQUEST_TIMEOUT: [408, "RequestTimeoutError", "REQUEST_TIMEOUT"]
};

/**
 * Requests Node refuses before the gateway sees them (headers or URL over 16 KB, a request too
 * slow to arrive, bytes that are not HTTP) get the API's error shape, not Node's bare status line.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
	if (!socket.writable || err.code === "ECONNRESET") return void socket.destroy();
	const [status, name, type] = ANSWERS[err.code ?? ""] ?? [400, "BadRequestError", "MALFORMED_REQUEST"];
	const body = JSON.stringify({ name, message: STATUS_CODES[status], code: status, type });
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n` +
			`Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
	);
}
