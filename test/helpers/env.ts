import { randomBytes } from "node:crypto";

/** A JWT secret for tests: random per run, long enough for the config's rule. */
export const TEST_JWT_SECRET = randomBytes(32).toString("hex");

/** A database name nobody else uses, so test files never see each other's rows. */
export function uniqueDatabaseName(prefix: string): string {
	return `${prefix}_${process.pid}_${randomBytes(3).toString("hex")}`;
}

/** A PostgreSQL URL on the given server with another database name. */
export function withDatabase(serverUrl: string, database: string): string {
	const url = new URL(serverUrl);
	url.pathname = `/${database}`;
	return url.toString();
}
