/**
 * Hostile requests generated from the OpenAPI document against the whole platform in one
 * process (every service, the problems service and the judge included; each service that owns a
 * database on its own database of the real PostgreSQL).
 */
import { after, before, describe, it } from "node:test";
import { DATABASE_SERVICES, SERVICE_NAMES } from "../../config";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { type Platform, startPlatform } from "../helpers/platform";
import { unavailable } from "../helpers/services";
import { assertNoViolations, runCampaign, type Topology } from "./campaign";
import { createAdminWith } from "./fixtures";
import { regressionCases } from "./regressions";
import { HOSTILE_ENV } from "./topology-env";

describe("hostile input on the one-process platform", { skip: unavailable("postgres"), concurrency: 1 }, () => {
	const databases = DATABASE_SERVICES.map(service => [service, scratchDatabase(`codelearn_test_adv_${service}`)] as const);
	let platform: Platform;
	let topology: Topology;

	before(async () => {
		const env = Object.fromEntries(databases.map(([service, db]) => [`${service.toUpperCase()}_DATABASE_URL`, db.url]));
		platform = await startPlatform({ ...HOSTILE_ENV, SERVICES: SERVICE_NAMES.join(","), JWT_SECRET: TEST_JWT_SECRET, ...env });
		topology = {
			label: "one process",
			baseUrl: platform.baseUrl,
			healthUrls: [`${platform.baseUrl}/health/live`],
			databases: Object.fromEntries(databases.map(([service, db]) => [service, db.url])),
			createAdmin: createAdminWith(platform.broker),
			jwtSecret: TEST_JWT_SECRET
		};
	});

	after(async () => {
		await platform?.stop();
		await Promise.all(databases.map(([, db]) => db.drop()));
	});

	it("when every parameter of every documented route gets hostile values then no 5xx, the error shape, no leak, fast answers and no state change after a 4xx", async t => {
		assertNoViolations(await runCampaign(t, topology));
	});

	regressionCases(() => topology);
});
