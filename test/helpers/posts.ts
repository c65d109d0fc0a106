/** Helpers for the posts API tests: the platform on real PostgreSQL and Redis, users, posts, audit reads. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import { Client } from "pg";
import { register, registerAdmin, registerMany, type TestUser } from "./accounts";
import { scratchDatabase } from "./database";
import { eventually } from "./eventually";
import type { Api, ApiResponse } from "./http";
import { type Platform, startPlatform } from "./platform";
import { TEST_SERVICES } from "./services";

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

/** The response is a 200 (or the given status); its body. */
export function ok<T = any>(res: ApiResponse<T>, status = 200): T {
	assert.equal(res.status, status, `expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}

export type { TestUser } from "./accounts";

/** A word of lowercase letters no other post contains: full-text search finds exactly what carries it. */
export function uniqueWord(length = 12): string {
	const letters = "bcdfghjklmnpqrstvwxz";
	return Array.from(randomBytes(length), b => letters[b % letters.length]).join("");
}

/** A tag no other test uses (a lowercase slug already). */
export function uniqueTag(label = "t"): string {
	return `${label}${randomBytes(5).toString("hex")}`;
}

/** The sum of a registered metric's values on this broker (whatever its labels). */
export function metric(broker: ServiceBroker, name: string): number {
	const registered = broker.metrics.getMetric(name) as unknown as { values: Map<string, { value: number }> } | null;
	assert.ok(registered, `metric ${name} is not registered on ${broker.nodeID}`);
	let sum = 0;
	for (const item of registered.values.values()) sum += item.value;
	return sum;
}

/** How many calls of one action this broker has served (its `moleculer.request.total` series). */
export function actionCalls(broker: ServiceBroker, action: string): number {
	const registered = broker.metrics.getMetric("moleculer.request.total") as unknown as {
		values: Map<string, { labels: { action?: string }; value: number }>;
	} | null;
	assert.ok(registered, `moleculer.request.total is not registered on ${broker.nodeID}`);
	return [...registered.values.values()].filter(v => v.labels.action === action).reduce((n, v) => n + v.value, 0);
}

const DANGEROUS_TAGS = new Set([
	"script",
	"style",
	"svg",
	"iframe",
	"object",
	"embed",
	"math",
	"frame",
	"frameset",
	"base",
	"form",
	"meta",
	"link"
]);

/**
 * What in the HTML could run script: real tags (escaped text such as `&lt;script&gt;` is harmless
 * and not a tag) that are dangerous, or carry an event handler or a script URL.
 */
export function unsafeMarkup(html: string): string[] {
	const problems: string[] = [];
	for (const match of html.matchAll(/<\s*\/?\s*([a-zA-Z][\w:-]*)([^>]*)>/g)) {
		const [tag, name, attrs] = match;
		if (DANGEROUS_TAGS.has(name.toLowerCase())) problems.push(`dangerous element: ${tag}`);
		if (/(^|[\s"'/])on[a-z]+\s*=/i.test(attrs)) problems.push(`event handler: ${tag}`);
		if (/(javascript|vbscript|livescript)\s*:|data\s*:\s*text\/html|&#/i.test(attrs)) problems.push(`script URL: ${tag}`);
	}
	return problems;
}

/**
 * The gateway with users, groups, posts and audit, each on its own scratch database, the Redis
 * cacher under a namespace of its own, and the metrics registry on (no fixed port).
 */
export function postsPlatform(extraEnv: Record<string, string> = {}) {
	const dbs = {
		users: scratchDatabase("codelearn_test_users"),
		groups: scratchDatabase("codelearn_test_groups"),
		posts: scratchDatabase("codelearn_test_posts"),
		audit: scratchDatabase("codelearn_test_audit")
	};
	let platform: Platform | undefined;

	const harness = {
		namespace: `posts-test-${randomBytes(4).toString("hex")}`,

		get platform(): Platform {
			assert.ok(platform, "platform started");
			return platform;
		},
		get api(): Api {
			return harness.platform.api;
		},

		async start() {
			platform = await startPlatform({
				SERVICES: "gateway,users,groups,posts,audit",
				NAMESPACE: harness.namespace,
				CACHER: TEST_SERVICES.redis,
				USERS_DATABASE_URL: dbs.users.url,
				GROUPS_DATABASE_URL: dbs.groups.url,
				POSTS_DATABASE_URL: dbs.posts.url,
				AUDIT_DATABASE_URL: dbs.audit.url,
				METRICS_ENABLED: "true",
				METRICS_PORT: "0",
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

		/** How many events of this type the posts service recorded for this post (its outbox: written with the change, in its transaction). */
		async recorded(postId: string, type: string): Promise<number> {
			const client = new Client({ connectionString: dbs.posts.url });
			await client.connect();
			try {
				const { rows } = await client.query(`SELECT count(*)::int AS n FROM posts.outbox WHERE aggregate_id = $1 AND type = $2`, [
					postId,
					type
				]);
				return rows[0].n as number;
			} finally {
				await client.end();
			}
		},

		/** The audit rows of one post's events of one type, waiting (up to 10 s) for the outbox to deliver. */
		async audited(admin: TestUser, postId: string, type: string) {
			return eventually(
				`${type} of post ${postId} in the audit trail`,
				async () =>
					ok(await harness.api("GET", `/api/admin/audit?type=${type}&aggregateId=${postId}&pageSize=100`, { token: admin.token }))
						.rows as any[],
				rows => rows.length > 0,
				10_000
			);
		}
	};
	return harness;
}

export type PostsHarness = ReturnType<typeof postsPlatform>;

/** Post, comment, reaction and group calls over HTTP; `create*` helpers assert their own success. */
export function postsClient(h: PostsHarness) {
	const c = {
		/** A valid post body with a fresh title; `extra` overrides any field. */
		body(extra: Record<string, unknown> = {}) {
			return {
				title: `Notes on ${uniqueWord(8)} loops`,
				content: `Some **markdown** about ${uniqueWord(8)}.\n\nA second paragraph.`,
				category: "algorithms",
				tags: [],
				...extra
			};
		},
		/** Creates a post (published unless `status` says otherwise) and returns its view. */
		async create(author: TestUser, extra: Record<string, unknown> = {}) {
			return ok(await c.post(author, c.body({ status: "published", ...extra })), 201);
		},
		post: (as: TestUser | undefined, body: unknown) => h.api("POST", "/api/posts", { token: as?.token, body }),
		get: (idOrSlug: string, as?: TestUser) => h.api("GET", `/api/posts/${idOrSlug}`, { token: as?.token }),
		list: (query: string, as?: TestUser) => h.api("GET", `/api/posts?${query}`, { token: as?.token }),
		patch: (id: string, as: TestUser, body: unknown) => h.api("PATCH", `/api/posts/${id}`, { token: as.token, body }),
		remove: (id: string, as: TestUser) => h.api("DELETE", `/api/posts/${id}`, { token: as.token }),
		react: (id: string, kind: string, as: TestUser) => h.api("PUT", `/api/posts/${id}/reactions/${kind}`, { token: as.token }),
		unreact: (id: string, kind: string, as: TestUser) => h.api("DELETE", `/api/posts/${id}/reactions/${kind}`, { token: as.token }),
		comments: (id: string, as?: TestUser) => h.api("GET", `/api/posts/${id}/comments?pageSize=100`, { token: as?.token }),
		comment: (id: string, as: TestUser | undefined, body: unknown) =>
			h.api("POST", `/api/posts/${id}/comments`, { token: as?.token, body }),
		patchComment: (id: string, commentId: string, as: TestUser, body: unknown) =>
			h.api("PATCH", `/api/posts/${id}/comments/${commentId}`, { token: as.token, body }),
		removeComment: (id: string, commentId: string, as: TestUser) =>
			h.api("DELETE", `/api/posts/${id}/comments/${commentId}`, { token: as.token }),

		/** The post as `as` reads it, asserting 200. */
		async read(idOrSlug: string, as?: TestUser) {
			return ok(await c.get(idOrSlug, as));
		},
		/** The rows of a 200 list page. */
		async rows(query: string, as?: TestUser) {
			return ok(await c.list(query, as)).rows as any[];
		},
		/** Creates a comment, asserting 201. */
		async createComment(id: string, as: TestUser, content: string, parentId?: string) {
			return ok(await c.comment(id, as, parentId ? { content, parentId } : { content }), 201);
		},
		/** The comments of a post as `as` reads them, asserting 200. */
		async thread(id: string, as?: TestUser) {
			return ok(await c.comments(id, as)).rows as any[];
		},
		/** How many posts (drafts included) the user has. */
		async mineTotal(as: TestUser) {
			return ok(await c.list("mine=true&pageSize=1", as)).total as number;
		},

		/** A public, open group owned by `owner`; `members` join, `admins` join and are promoted; then it gets `visibility`. */
		async group(owner: TestUser, options: { visibility?: "public" | "private"; members?: TestUser[]; admins?: TestUser[] } = {}) {
			const name = `posts ${process.pid} ${randomBytes(5).toString("hex")}`;
			const group = ok(
				await h.api("POST", "/api/groups", { token: owner.token, body: { name, visibility: "public", joinPolicy: "open" } }),
				201
			);
			for (const user of [...(options.members ?? []), ...(options.admins ?? [])]) {
				ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: user.token }));
			}
			for (const user of options.admins ?? []) {
				ok(await h.api("PATCH", `/api/groups/${group.id}/members/${user.id}`, { token: owner.token, body: { role: "admin" } }));
			}
			if (options.visibility === "private") {
				ok(await h.api("PATCH", `/api/groups/${group.id}`, { token: owner.token, body: { visibility: "private" } }));
			}
			return group as { id: string };
		}
	};
	return c;
}
