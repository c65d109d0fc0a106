import { Client } from "pg";
import { Sequelize } from "sequelize";
import type { DatabaseTarget } from "../../config";
import { acquireEmbeddedDatabase } from "../../lib/embedded-db";

/** The one shared connection, plus a few for tooling (migration checks, psql). */
const EMBEDDED_MAX_CONNECTIONS = 8;

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

type Options = { poolMax: number; queryTimeoutMs: number; log: (sql: string) => void };

async function connect(url: string, poolMax: number, options: Options): Promise<Sequelize> {
	const sequelize = new Sequelize(url, {
		dialect: "postgres",
		logging: options.log,
		pool: { max: poolMax, min: 0, idle: 10_000, acquire: options.queryTimeoutMs },
		// A query that waits too long fails loudly instead of hanging (e.g. behind a transaction).
		dialectOptions: { query_timeout: options.queryTimeoutMs, statement_timeout: options.queryTimeoutMs },
		define: { underscored: true, timestamps: true }
	});
	try {
		await sequelize.authenticate();
		return sequelize;
	} catch (err) {
		await sequelize.close();
		throw err;
	}
}

/**
 * One Sequelize instance on one connection for every service of the process. PGlite has a
 * single session, and pglite-socket 0.2.17 interleaves extended-protocol messages of concurrent
 * connections in it (electric-sql/pglite#1046: "unnamed prepared statement does not exist", or
 * rows of another query); one connection cannot interleave. Services keep their own schemas.
 */
let embedded: { ready: Promise<{ sequelize: Sequelize; release: () => Promise<void> }>; users: number } | undefined;

async function openEmbedded(dataDir: string, options: Options): Promise<OpenDatabase> {
	// Set before the first await: services starting together must all get this one.
	embedded ??= {
		users: 0,
		ready: acquireEmbeddedDatabase(dataDir, EMBEDDED_MAX_CONNECTIONS).then(async database => {
			try {
				return { sequelize: await connect(database.url, 1, options), release: database.release };
			} catch (err) {
				await database.release();
				throw err;
			}
		})
	};
	const shared = embedded;
	shared.users++;
	try {
		const { sequelize, release } = await shared.ready;
		let closed = false;
		return {
			sequelize,
			async close() {
				if (closed) return;
				closed = true;
				if (--shared.users > 0) return;
				if (embedded === shared) embedded = undefined;
				await sequelize.close();
				await release();
			}
		};
	} catch (err) {
		if (--shared.users === 0 && embedded === shared) embedded = undefined;
		throw err;
	}
}

/** Opens one Sequelize instance (one pool) for a service, on PostgreSQL or the embedded PGlite. */
export async function openDatabase(target: DatabaseTarget, options: Options): Promise<OpenDatabase> {
	if (target.kind === "embedded") return openEmbedded(target.dataDir, options);
	await ensureDatabaseExists(target.url);
	const sequelize = await connect(target.url, options.poolMax, options);
	return { sequelize, close: () => sequelize.close() };
}
