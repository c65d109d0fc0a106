/** Helpers for the groups API tests: a platform with its three scratch databases, users, audit reads. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { register, registerAdmin, registerMany, type TestUser } from "./accounts";
import { scratchDatabase } from "./database";
import { eventually } from "./eventually";
import type { Api, ApiResponse } from "./http";
import { type Platform, startPlatform } from "./platform";

const ERROR_KEYS = ["code", "message", "name", "type"];

/** The call failed with this status (and type), in the public error shape, without a stack. */
export function assertError(res: ApiResponse, status: number, type?: string) {
	assert.equal(res.status, status, `expected ${status}${type ? ` ${type}` : ""}, got ${res.status} ${JSON.stringify(res.body)}`);
	assert.deepEqual(
		Object.keys(res.body)
			.filter(k => k !== "data")
			.sort(),
		ERROR_KEYS
	);
	assert.equal(res.body.code, status);
	if (type) assert.equal(res.body.type, type);
	assert.ok(!JSON.stringify(res.body).includes("    at "), "no stack trace");
}

export type { TestUser } from "./accounts";

/** A group name no other test (or test file) uses, so that `?q=<name>` finds exactly that group. */
export function uniqueName(label = "group"): string {
	return `${label} ${process.pid} ${randomBytes(5).toString("hex")}`;
}

/**
 * The gateway, users, audit and groups services on the real PostgreSQL, each with its own scratch
 * database. `extraEnv` picks e.g. the Redis cacher.
 */
export function groupsPlatform(extraEnv: Record<string, string> = {}) {
	const dbs = {
		users: scratchDatabase("codelearn_test_users"),
		audit: scratchDatabase("codelearn_test_audit"),
		groups: scratchDatabase("codelearn_test_groups"),
		posts: scratchDatabase("codelearn_test_posts"),
		notifications: scratchDatabase("codelearn_test_notifications"),
		contests: scratchDatabase("codelearn_test_contests")
	};
	let platform: Platform | undefined;

	const harness = {
		get platform(): Platform {
			assert.ok(platform, "platform started");
			return platform;
		},
		get api(): Api {
			return harness.platform.api;
		},

		async start() {
			platform = await startPlatform({
				USERS_DATABASE_URL: dbs.users.url,
				AUDIT_DATABASE_URL: dbs.audit.url,
				GROUPS_DATABASE_URL: dbs.groups.url,
				POSTS_DATABASE_URL: dbs.posts.url,
				NOTIFICATIONS_DATABASE_URL: dbs.notifications.url,
				CONTESTS_DATABASE_URL: dbs.contests.url,
				// Hundreds of requests from one address within a minute: not what these tests are about.
				RATE_LIMIT_MAX: "1000000",
				ACCESS_TOKEN_TTL_S: "3600",
				...extraEnv
			});
		},

		async stop() {
			await platform?.stop();
			await Promise.all(Object.values(dbs).map(db => db.drop()));
		},

		register: (prefix = "user") => register(harness.api, prefix),
		registerMany: (count: number, prefix = "user") => registerMany(harness.api, count, prefix),
		registerAdmin: () => registerAdmin(harness.api, harness.platform.broker),

		/**
		 * The audit rows of one group's events of one type, waiting (up to 10 s) until `ok` holds:
		 * delivery through the outbox is asynchronous.
		 */
		async audited(admin: TestUser, groupId: string, type: string, ok: (rows: any[]) => boolean = rows => rows.length > 0) {
			return eventually(
				`${type} of group ${groupId} in the audit trail`,
				async () => {
					const res = await harness.api("GET", `/api/admin/audit?type=${type}&aggregateId=${groupId}&pageSize=100`, {
						token: admin.token
					});
					assert.equal(res.status, 200, JSON.stringify(res.body));
					return res.body.rows as any[];
				},
				ok,
				10_000
			);
		}
	};
	return harness;
}

export type GroupsHarness = ReturnType<typeof groupsPlatform>;
