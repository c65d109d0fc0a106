import type { ServiceSchema } from "moleculer";
import DbService from "moleculer-db";
import SequelizeDbAdapter from "moleculer-db-adapter-sequelize";
import type { ModelStatic, Model, Sequelize } from "sequelize";
import type { Config, DatabaseServiceName } from "../config";
import { type Migration, migrate } from "./db/migrate";
import { type OpenDatabase, openDatabase } from "./db/open-database";
import { isTransientDatabaseError } from "./db/transient";

export interface DbMixinOptions<M extends Model> {
	/** The service; its database is `codelearn_<service>` and its tables live in schema `<service>`. */
	service: DatabaseServiceName;
	migrations: Migration[];
	config: Config;
	/** Defines the service's main model on its own Sequelize instance. */
	defineModel(sequelize: Sequelize, schema: string): ModelStatic<M>;
}

export interface DbMethods {
	/** The service's Sequelize instance, for transactions and queries beyond the adapter. */
	readonly sequelize: Sequelize;
	healthCheck(): Promise<void>;
}

/**
 * moleculer-db with the Sequelize adapter, one pool per service, schema only through migrations
 * (never `sync()`), on PostgreSQL or the embedded PGlite. moleculer-db's own `started` retries
 * `connect` every second until the database answers.
 */
export function DbMixin<M extends Model>(options: DbMixinOptions<M>): Partial<ServiceSchema> {
	const schemaName = options.service;

	return {
		// moleculer-db's class typings don't fit 0.15's ServiceSchema; the runtime value is a schema.
		mixins: [DbService as unknown as Partial<ServiceSchema>],
		// moleculer-db's generic CRUD actions bypass our validation and field rules: off.
		actions: {
			find: false,
			count: false,
			list: false,
			create: false,
			insert: false,
			get: false,
			update: false,
			remove: false
		},
		methods: {
			async connect() {
				try {
					await this.openAndMigrate();
				} catch (err) {
					// moleculer-db retries connect() every second: right while the server is unreachable,
					// wrong for a held data-directory lock or a failed migration, which never heal.
					if (isTransientDatabaseError(err)) throw err;
					this.broker.fatal(`${options.service}: cannot start: ${(err as Error).message}`, err as Error, true);
				}
			},
			async openAndMigrate() {
				const c = options.config;
				const opened = await openDatabase(c.database.for(options.service), {
					poolMax: c.database.poolMax,
					queryTimeoutMs: c.database.queryTimeoutMs,
					log: sql => this.logger.trace(sql)
				});
				try {
					const applied = await migrate(opened.sequelize, schemaName, options.migrations);
					if (applied.length) this.logger.info(`Applied migrations: ${applied.join(", ")}`);
					// A model class (not a definition) makes the adapter skip its own sync().
					this.schema.model = options.defineModel(opened.sequelize, schemaName);
					// A fresh adapter per service instance: the schema object may serve several brokers.
					this.adapter = new SequelizeDbAdapter(opened.sequelize);
					this.adapter.init(this.broker, this);
					await this.adapter.connect();
				} catch (err) {
					await opened.close();
					throw err;
				}
				this.database = opened;
			},
			async disconnect() {
				const opened: OpenDatabase | undefined = this.database;
				this.database = undefined;
				await opened?.close();
			},
			async healthCheck() {
				await this.sequelize.query("SELECT 1");
			}
		},
		created() {
			Object.defineProperty(this, "sequelize", {
				get: () => {
					if (!this.database) throw new Error(`${options.service}: database not connected`);
					return (this.database as OpenDatabase).sequelize;
				}
			});
		}
	};
}
