import type { Sequelize, Transaction } from "sequelize";
import { Umzug, type UmzugStorage } from "umzug";

/** What a migration receives: SQL bound to the migration transaction, and its service's schema. */
export interface MigrationContext {
	schema: string;
	query(sql: string, bind?: unknown[]): Promise<unknown[]>;
}

export interface Migration {
	name: string;
	up(params: { context: MigrationContext }): Promise<void>;
}

/**
 * Migrations bookkeeping in the migration transaction itself. Umzug's SequelizeStorage would query
 * outside that transaction, which deadlocks the one-session embedded PGlite.
 */
function transactionalStorage(table: string): UmzugStorage<MigrationContext> {
	return {
		async executed({ context }) {
			await context.query(`CREATE TABLE IF NOT EXISTS ${table} (name text PRIMARY KEY, run_at timestamptz NOT NULL DEFAULT now())`);
			const rows = (await context.query(`SELECT name FROM ${table} ORDER BY name`)) as { name: string }[];
			return rows.map(r => r.name);
		},
		async logMigration({ name, context }) {
			await context.query(`INSERT INTO ${table} (name) VALUES ($1)`, [name]);
		},
		async unlogMigration({ name, context }) {
			await context.query(`DELETE FROM ${table} WHERE name = $1`, [name]);
		}
	};
}

/**
 * Runs the pending migrations of one service in a single transaction under a transaction-level
 * advisory lock: replicas starting at once queue on the lock, and the later ones find nothing to do.
 * PostgreSQL DDL is transactional, so a failed migration leaves the schema as it was.
 */
export async function migrate(sequelize: Sequelize, schema: string, migrations: Migration[]): Promise<string[]> {
	return sequelize.transaction(async (transaction: Transaction) => {
		const context: MigrationContext = {
			schema,
			query: (sql, bind) => sequelize.query(sql, { bind, transaction, raw: true }).then(([rows]) => rows)
		};
		await context.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`codelearn:migrations:${schema}`]);
		await context.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
		const umzug = new Umzug<MigrationContext>({
			migrations,
			context,
			storage: transactionalStorage(`"${schema}".schema_migrations`),
			logger: undefined
		});
		const applied = await umzug.up();
		return applied.map(m => m.name);
	});
}
