/**
 * `/health/ready` answers anyone: it names the dependency that is down, with a fixed word, and
 * keeps the reason (addresses, database errors) for the log.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const STATES = new Set(["ok", "down", "starting", "stopping"]);

describe("readiness on the real PostgreSQL and Redis", { skip: unavailable("postgres", "redis") }, () => {
	const dbs = { users: scratchDatabase("codelearn_test_health_users") };
	let platform: Platform;
	const warnings: string[] = [];

	before(async () => {
		platform = await startPlatform({
			SERVICES: "gateway,users",
			NAMESPACE: `health-${randomBytes(4).toString("hex")}`,
			CACHER: TEST_SERVICES.redis,
			USERS_DATABASE_URL: dbs.users.url,
			LOG_LEVEL: "fatal"
		});
		const logger = platform.broker.logger;
		const warn = logger.warn.bind(logger);
		logger.warn = (...args: unknown[]) => {
			warnings.push(args.map(String).join(" "));
			warn(...args);
		};
	});

	after(async () => {
		await platform?.stop().catch(() => {});
		await dbs.users.drop();
	});

	it("when every dependency answers then 200 with each check ok", async () => {
		const ready = await platform.api("GET", "/health/ready");
		assert.equal(ready.status, 200);
		assert.deepEqual(ready.body, { status: "ok", ready: true, checks: { broker: "ok", cacher: "ok", "users.database": "ok" } });
	});

	it("when a service's database is gone then 503 names it as down, with no error text; the reason is logged", async () => {
		await dbs.users.drop();
		const ready = await eventually(
			"readiness sees the database gone",
			() => platform.api("GET", "/health/ready"),
			r => r.status === 503,
			10_000
		);
		assert.deepEqual(Object.keys(ready.body).sort(), ["checks", "ready", "status"]);
		assert.equal(ready.body.status, "unavailable");
		assert.equal(ready.body.ready, false);
		assert.equal(ready.body.checks["users.database"], "down");
		assert.equal(ready.body.checks.cacher, "ok");
		for (const [check, state] of Object.entries(ready.body.checks))
			assert.ok(STATES.has(state as string), `${check}: ${String(state)}`);
		const text = JSON.stringify(ready.body);
		for (const secret of [dbs.users.name, "exist", "terminat", "connect", "127.0.0.1", "5432"])
			assert.ok(!text.includes(secret), `the answer shows "${secret}": ${text}`);
		const logged = warnings.find(w => w.includes("users.database is down"));
		assert.ok(logged, `a warning names the check (got ${JSON.stringify(warnings)})`);
		assert.match(logged, /users\.database is down: .+/);
	});
});
