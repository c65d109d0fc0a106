import { Client } from "pg";
import { TEST_SERVICES } from "./services";
import { uniqueDatabaseName, withDatabase } from "./env";

/** A throw-away database on the real PostgreSQL: its URL, and a drop for `after`. */
export function scratchDatabase(prefix: string) {
	const name = uniqueDatabaseName(prefix);
	return {
		name,
		url: withDatabase(TEST_SERVICES.postgres, name),
		async drop() {
			const client = new Client({ connectionString: TEST_SERVICES.postgres });
			await client.connect();
			try {
				await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			} finally {
				await client.end();
			}
		}
	};
}
