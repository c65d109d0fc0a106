import { ConnectionError } from "sequelize";

/** PostgreSQL states that mean "not now": starting up, shutting down, too many connections. */
const TRANSIENT_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006"]);
const TRANSIENT_NET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"]);

/** A database error worth retrying (the server is not reachable yet), as opposed to a bug. */
export function isTransientDatabaseError(err: unknown): boolean {
	if (err instanceof ConnectionError) return true;
	const code = (err as { code?: string }).code;
	return typeof code === "string" && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NET_CODES.has(code));
}
