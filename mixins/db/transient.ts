import { ConnectionError } from "sequelize";

/** PostgreSQL states that mean "not now": starting up, shutting down, too many connections. */
const TRANSIENT_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006"]);
const TRANSIENT_NET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"]);

/** What pg says when the server or the network drops a connection under a query (no code). */
const DROPPED_CONNECTION = /Connection terminated|connection is closed|Client has encountered a connection error|Client was closed/i;

/**
 * A database error worth retrying (the server is not reachable, or dropped the connection), as
 * opposed to a bug. Sequelize wraps pg's error: its own code and message are on `parent`.
 */
export function isTransientDatabaseError(err: unknown): boolean {
	if (err instanceof ConnectionError) return true;
	for (const e of [err, (err as { parent?: unknown }).parent] as { code?: string; message?: string }[]) {
		if (!e) continue;
		if (typeof e.code === "string" && (TRANSIENT_SQLSTATES.has(e.code) || TRANSIENT_NET_CODES.has(e.code))) return true;
		if (typeof e.message === "string" && DROPPED_CONNECTION.test(e.message)) return true;
	}
	return false;
}
