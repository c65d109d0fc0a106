import { setTimeout as sleep } from "node:timers/promises";
import type { Context, ServiceSchema } from "moleculer";
import type { Model, ModelStatic, Sequelize } from "sequelize";
import type { Config, DatabaseServiceName } from "../config";
import type { RequestMeta } from "../lib/auth-types";
import { createIdempotencyKeys, enableKeyedWrites, pruneKeys, runKeyedWrite } from "./db/keyed-writes";
import { type Migration, migrate } from "./db/migrate";
import { type OpenDatabase, openDatabase } from "./db/open-database";
import { isTransientDatabaseError } from "./db/transient";

/** While the database server is unreachable at start, how long between attempts. */
const RETRY_MS = 1000;
/** How often expired idempotency keys are forgotten. */
const PRUNE_KEYS_MS = 3600_000;

export interface DbMixinOptions<M extends Model> {
	/** The service; its database is `codelearn_<service>` and its tables live in schema `<service>`. */
	service: DatabaseServiceName;
	migrations: Migration[];
	config: Config;
	/**
	 * Defines the service's main model on its own Sequelize instance, served as `this.model`. Only
	 * for services that query through one; the others write SQL on `this.sequelize`.
	 */
	defineModel?(sequelize: Sequelize, schema: string): ModelStatic<M>;
}

export interface DbMethods {
	/** The service's Sequelize instance: transactions, queries, and the model's connection. */
	readonly sequelize: Sequelize;
	healthCheck(): Promise<void>;
	/** Runs an action called with an Idempotency-Key exactly once (middlewares/keyed-writes.middleware.ts). */
	keyedWrite<T>(ctx: Context<unknown, RequestMeta>, handler: () => Promise<T>): Promise<T>;
}

/**
 * A service's own database: one Sequelize pool per service (PostgreSQL, or the embedded PGlite),
 * schema only through migrations (never `sync()`), run at start under an advisory lock, and the
 * service's model where it has one. Nothing more: queries are Sequelize's or SQL, written in the
 * service (docs/persistence.md says why there is no moleculer-db).
 */
export function DbMixin<M extends Model>(options: DbMixinOptions<M>): Partial<ServiceSchema> {
	const schemaName = options.service;

	return {
		methods: {
			async openAndMigrate() {
				const c = options.config;
				const opened = await openDatabase(c.database.for(options.service), {
					poolMax: c.database.poolMax,
					queryTimeoutMs: c.database.queryTimeoutMs,
					log: sql => this.logger.trace(sql)
				});
				try {
					enableKeyedWrites(opened.sequelize);
					const applied = await migrate(opened.sequelize, schemaName, [...options.migrations, createIdempotencyKeys]);
					if (applied.length) this.logger.info(`Applied migrations: ${applied.join(", ")}`);
					if (options.defineModel) this.model = options.defineModel(opened.sequelize, schemaName);
				} catch (err) {
					await opened.close();
					throw err;
				}
				this.database = opened;
			},
			async healthCheck() {
				await this.sequelize.query("SELECT 1");
			},
			keyedWrite<T>(ctx: Context<unknown, RequestMeta>, handler: () => Promise<T>): Promise<T> {
				return runKeyedWrite(this.sequelize, schemaName, ctx.meta.idempotency!, ctx.meta, handler);
			}
		},

		created() {
			Object.defineProperty(this, "sequelize", {
				get: () => {
					if (!this.database) throw new Error(`${options.service}: database not connected`);
					return (this.database as OpenDatabase).sequelize;
				}
			});
		},

		/**
		 * Until the database is open and migrated. While the server is unreachable (starting, or not
		 * yet resolvable), again every second; a held data-directory lock or a failed migration never
		 * heals, so the node stops.
		 */
		async started() {
			for (;;) {
				try {
					await this.openAndMigrate();
					this.pruneKeysTimer = setInterval(
						() =>
							pruneKeys(this.sequelize, schemaName).catch(err => this.logger.warn(`Pruning idempotency keys failed: ${err}`)),
						PRUNE_KEYS_MS
					).unref();
					return;
				} catch (err) {
					if (!isTransientDatabaseError(err)) {
						this.broker.fatal(`${options.service}: cannot start: ${(err as Error).message}`, err as Error, true);
						return;
					}
					this.logger.warn(`${options.service}: the database is unreachable (${(err as Error).message}); retrying`);
					await sleep(RETRY_MS);
				}
			}
		},

		async stopped() {
			clearInterval(this.pruneKeysTimer);
			const opened: OpenDatabase | undefined = this.database;
			this.database = undefined;
			await opened?.close();
		}
	};
}
