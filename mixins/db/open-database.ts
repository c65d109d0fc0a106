import { Client } from "pg";
import { Sequelize } from "sequelize";
import type { DatabaseTarget } from "../../config";
import { acquireEmbeddedDatabase } from "../../lib/embedded-db";

/** The embedded engine serialises all work anyway; a small pool per service is plenty. */
const EMBEDDED_POOL_MAX = 3;
/** Room for every database service's pool in one process, plus a few tooling connections. */
const EMBEDDED_MAX_CONNECTIONS = 24;

export interface OpenDatabase {
	sequelize: Sequelize;
	close(): Promise<void>;
}

/** Creates the service's database on its server if it is missing; safe when replicas race. */
async function ensureDatabaseExists(url: string): Promise<void> {
	const target = new URL(url);
	const name = decodeURIComponent(target.pathname.slice(1));
	if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
	const admin = new URL(url);
	admin.pathname = "/postgres";
	const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
		if (rowCount) return;
		await client.query(`CREATE DATABASE "${name}"`).catch((err: { code?: string }) => {
			// 42P04 duplicate_database / 23505 unique_violation: another replica created it first.
			if (err.code !== "42P04" && err.code !== "23505") throw err;
		});
	} finally {
		await client.end();
	}
}

/** Opens one Sequelize instance (one pool) for a service, on PostgreSQL or the embedded PGlite. */
export async function openDatabase(
	target: DatabaseTarget,
	options: { poolMax: number; queryTimeoutMs: number; log: (sql: string) => void }
): Promise<OpenDatabase> {
	let url: string;
	let poolMax = options.poolMax;
	let release = async () => {};
	if (target.kind === "embedded") {
		const embedded = await acquireEmbeddedDatabase(target.dataDir, EMBEDDED_MAX_CONNECTIONS);
		url = embedded.url;
		release = embedded.release;
		poolMax = Math.min(poolMax, EMBEDDED_POOL_MAX);
	} else {
		url = target.url;
		await ensureDatabaseExists(url);
	}
	try {
		const sequelize = new Sequelize(url, {
			dialect: "postgres",
			logging: options.log,
			pool: { max: poolMax, min: 0, idle: 10_000, acquire: options.queryTimeoutMs },
			// A query that waits too long fails loudly instead of hanging (e.g. behind a transaction).
			dialectOptions: { query_timeout: options.queryTimeoutMs, statement_timeout: options.queryTimeoutMs },
			define: { underscored: true, timestamps: true }
		});
		await sequelize.authenticate();
		return {
			sequelize,
			async close() {
				await sequelize.close();
				await release();
			}
		};
	} catch (err) {
		await release();
		throw err;
	}
}
