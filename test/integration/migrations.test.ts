import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "pg";
import { QueryTypes, Sequelize } from "sequelize";
import { type Migration, migrate } from "../../mixins/db/migrate";
import { migrations as usersMigrations } from "../../services/users/migrations";
import { scratchDatabase } from "../helpers/database";
import { unavailable } from "../helpers/services";

describe("migrations on the real PostgreSQL", { skip: unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_migrations");
	const instances: Sequelize[] = [];

	function connect() {
		const sequelize = new Sequelize(db.url, { dialect: "postgres", logging: false });
		instances.push(sequelize);
		return sequelize;
	}

	before(async () => {
		const admin = new Client({ connectionString: db.url.replace(db.name, "postgres") });
		await admin.connect();
		await admin.query(`CREATE DATABASE "${db.name}"`);
		await admin.end();
	});

	after(async () => {
		await Promise.all(instances.map(s => s.close()));
		await db.drop();
	});

	it("when three replicas migrate at once then the schema is built once", async () => {
		const results = await Promise.all([connect(), connect(), connect()].map(s => migrate(s, "users", usersMigrations)));
		const names = usersMigrations.map(m => m.name);
		assert.deepEqual(
			results.filter(applied => applied.length > 0),
			[names],
			"exactly one run applied them"
		);
		const select = { type: QueryTypes.SELECT } as const;
		const rows = await connect().query('SELECT name FROM "users".schema_migrations ORDER BY name', select);
		assert.deepEqual(
			rows,
			names.map(name => ({ name }))
		);
		const tables = await connect().query<{ name: string }>(
			"SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'users' ORDER BY 1",
			select
		);
		assert.deepEqual(
			tables.map(t => t.name),
			["outbox", "outbox_relay_lease", "refresh_tokens", "schema_migrations", "sessions", "users"]
		);
	});

	it("when a migration fails then everything it did is rolled back and it stays pending", async () => {
		const broken: Migration = {
			name: "9999-broken",
			async up({ context }) {
				await context.query(`CREATE TABLE "${context.schema}".half_done (id int)`);
				await context.query("SELECT no_such_function()");
			}
		};
		await assert.rejects(migrate(connect(), "users", [...usersMigrations, broken]), /no_such_function/);
		const [tables] = await connect().query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
		assert.equal(tables.length, 0);
		const [rows] = await connect().query(`SELECT 1 FROM "users".schema_migrations WHERE name = '9999-broken'`);
		assert.equal(rows.length, 0);
	});
});
