import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { validate as validateSchema } from "@hyperjump/json-schema/openapi-3-1";
import Ajv2020 from "ajv/dist/2020";
import { compileErrors, validate } from "@readme/openapi-parser";
import { DATABASE_SERVICES, loadConfig, type ServiceName } from "../../config";
import { apiRoutes, SERVICE_FACTORIES } from "../../services";
import { uploadTable } from "../../services/gateway/upload-routes";
import { TESTS_UPLOAD } from "../../services/problems/problems.contract";
import { deleteEventTopology } from "../helpers/amqp";
import { newUser } from "../helpers/http";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** The route table, from the `http` keys of every service's actions. */
const API_ALIASES = apiRoutes(loadConfig({}));
/** The raw uploads' routes (a problem's tests), served and documented from their contracts. */
const UPLOAD_ALIASES = uploadTable();

/** The operation documented for an API_ALIASES key such as "GET /posts/:idOrSlug". */
function operationOf(doc: any, route: string) {
	const [method, path] = route.split(" ");
	return doc.paths[`/api${path.replace(/:(\w+)/g, "{$1}")}`]?.[method.toLowerCase()];
}

/** Services whose actions declare their `response` schemas (docs/schemas.md); the rest follow. */
/** The success response's JSON schema of an operation, `null` when it answers 204 with no body. */
function responseSchemaOf(operation: any): object | null | undefined {
	if (operation.responses["204"]) return null;
	return (operation.responses["200"] ?? operation.responses["2XX"])?.content?.["application/json"]?.schema;
}

/** Scratch databases for the given services, and the environment naming them. */
function scratchDatabases(services: string[]) {
	const dbs = DATABASE_SERVICES.filter(name => services.includes(name)).map(
		name => [name, scratchDatabase(`codelearn_test_openapi_${name}`)] as const
	);
	return {
		env: Object.fromEntries(dbs.map(([name, db]) => [`${name.toUpperCase()}_DATABASE_URL`, db.url])),
		drop: () => Promise.all(dbs.map(([, db]) => db.drop()))
	};
}

describe("GET /api/openapi.json on a node running every service", { skip: unavailable("postgres") }, () => {
	const services = Object.keys(SERVICE_FACTORIES) as ServiceName[];
	const dbs = scratchDatabases(services);
	let platform: Platform;
	let doc: any;

	before(async () => {
		platform = await startPlatform({ SERVICES: services.join(","), ...dbs.env });
		const res = await platform.api("GET", "/api/openapi.json");
		assert.equal(res.status, 200);
		assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
		doc = res.body;
	});

	// Formats (uuid, email, uri) are not checked: ajv needs a plugin for them; ISO timestamps carry a pattern.
	const ajv = new Ajv2020({ strict: true, validateFormats: false });

	/** A real answer: the status expected, and a body valid against the schema the document declares. */
	const check = (route: string, res: { status: number; body: unknown }, status: number) => {
		assert.equal(res.status, status, `${route}: ${JSON.stringify(res.body)}`);
		const validate = ajv.compile(responseSchemaOf(operationOf(doc, route)) as object);
		assert.ok(validate(res.body), `${route}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(res.body)}`);
	};

	/** A 204 answer of a route the document says answers 204 with no body. */
	const noContent = (route: string, res: { status: number; body: unknown }) => {
		assert.equal(res.status, 204, `${route}: ${JSON.stringify(res.body)}`);
		assert.equal(responseSchemaOf(operationOf(doc, route)), null, `${route} documents 204`);
	};

	after(async () => {
		await platform?.stop();
		await dbs.drop();
	});

	it("when checked by an OpenAPI 3.1 validator then it is valid", async () => {
		assert.match(doc.openapi, /^3\.1\./);
		const result = await validate(structuredClone(doc));
		assert.ok(result.valid, compileErrors(result));
		assert.deepEqual(result.warnings, []);
	});

	it("when checked against OpenAPI 3.1's schema with its JSON Schema dialect then every parameter and body schema is valid", async () => {
		// The validator above checks Schema Objects only as objects; this one checks their keywords.
		const output = await validateSchema("https://spec.openapis.org/oas/3.1/schema-base", doc, "BASIC");
		const failures = output.valid ? [] : (output.errors ?? []).map(e => `${e.instanceLocation}: ${e.keyword}`);
		assert.deepEqual(failures, []);
	});

	it("when compared with API_ALIASES and the uploads then every route is there with its method and action", () => {
		assert.ok(Object.keys(UPLOAD_ALIASES).includes("PUT /problems/:id/tests"));
		for (const [route, action] of Object.entries({ ...API_ALIASES, ...UPLOAD_ALIASES })) {
			const operation = operationOf(doc, route);
			assert.ok(operation, `${route} is documented`);
			assert.equal(operation["x-moleculer-action"], action, route);
			assert.ok(!operation.description?.includes("not available"), `${route}: the definition of ${action} was found`);
		}
		for (const path of ["/health/live", "/health/ready", "/api/openapi.json", "/api/docs"]) assert.ok(doc.paths[path]?.get, path);
		assert.ok(doc.paths["/api/notifications/stream"].get.responses["200"].content["text/event-stream"]);
	});

	it("when registering then the body is a strict object requiring username, email and password", () => {
		const operation = operationOf(doc, "POST /auth/register");
		assert.equal(operation.requestBody.required, true);
		const schema = operation.requestBody.content["application/json"].schema;
		assert.deepEqual([...schema.required].sort(), ["email", "password", "username"]);
		assert.equal(schema.additionalProperties, false);
		assert.deepEqual(schema.properties.username, {
			type: "string",
			minLength: 3,
			maxLength: 32,
			pattern: "^[A-Za-z0-9_-]+$",
			description: "Format: letters, digits, _ and - only."
		});
		assert.equal(schema.properties.email.format, "email");
		assert.equal(schema.properties.displayName.maxLength, 80);
		assert.equal(operation.security, undefined, "registration is public");
	});

	it("when listing posts then q, page and pageSize are query parameters, pageSize at most 100", () => {
		const operation = operationOf(doc, "GET /posts");
		const params = Object.fromEntries(operation.parameters.map((p: any) => [p.name, p]));
		for (const name of ["q", "page", "pageSize"]) {
			assert.equal(params[name]?.in, "query", name);
			assert.equal(params[name].required, false, name);
		}
		assert.deepEqual(params.pageSize.schema, { type: "integer", minimum: 1, maximum: 100, default: 20 });
		assert.deepEqual(params.sort.schema, { enum: ["recent", "popular", "relevance"] });
		assert.equal(operation.requestBody, undefined);
		assert.deepEqual(operation.security, [{}, { bearerAuth: [] }], "a token is optional");
	});

	it("when a route has path parameters then they are required path parameters, not body fields", () => {
		const operation = operationOf(doc, "PATCH /posts/:id");
		assert.deepEqual(operation.parameters, [
			{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
			{ $ref: "#/components/parameters/IdempotencyKey" }
		]);
		const body = operation.requestBody.content["application/json"].schema;
		assert.ok(!("id" in body.properties));
		assert.equal(body.required, undefined, "every field of a partial update is optional");
		assert.equal(operation.requestBody.required, false);
	});

	it("when a route needs a token or a role then it requires bearerAuth and documents 401 and 403", () => {
		for (const route of ["GET /users/me", "POST /posts", "GET /admin/audit"]) {
			const operation = operationOf(doc, route);
			assert.deepEqual(operation.security, [{ bearerAuth: [] }], route);
			assert.ok(operation.responses["401"] && operation.responses["403"], route);
		}
		assert.match(operationOf(doc, "GET /admin/audit").description, /Roles: admin/);
		assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: "http", scheme: "bearer", bearerFormat: "JWT" });
	});

	it("when a write honours Idempotency-Key then it documents the header; reads and credential routes do not", () => {
		const keyed = (route: string) =>
			(operationOf(doc, route).parameters ?? []).some((p: { $ref?: string }) => p.$ref === "#/components/parameters/IdempotencyKey");
		for (const route of ["POST /posts", "PATCH /groups/:id", "DELETE /posts/:id"]) assert.ok(keyed(route), route);
		for (const route of ["GET /posts", "POST /auth/login", "POST /auth/refresh", "POST /notifications/stream-ticket"])
			assert.ok(!keyed(route), route);
		const header = doc.components.parameters.IdempotencyKey;
		assert.equal(header.in, "header");
		assert.match(header.description, /503/);
		assert.ok(new RegExp(header.schema.pattern).test("order-42:retry_1"));
	});

	it("when a call fails then the documented body is the public error shape", () => {
		assert.deepEqual(doc.components.schemas.Error.required, ["name", "message", "code", "type"]);
		const responses = operationOf(doc, "PATCH /groups/:id").responses;
		for (const status of ["401", "403", "404", "409", "413", "422", "429", "503", "504"]) assert.ok(responses[status], status);
		assert.ok(doc.components.responses.TooManyRequests.headers["Retry-After"]);
	});

	it("when any route is documented then its success response has a schema, or is 204", () => {
		const routes = Object.entries({ ...API_ALIASES, ...UPLOAD_ALIASES });
		assert.ok(routes.length >= 60, `every service's routes (${routes.length})`);
		for (const [route] of routes) {
			const schema = responseSchemaOf(operationOf(doc, route));
			assert.ok(schema === null || (typeof schema === "object" && Object.keys(schema).length), `${route} declares its response`);
		}
		assert.equal(responseSchemaOf(operationOf(doc, "DELETE /users/me")), null);
		const me: any = responseSchemaOf(operationOf(doc, "GET /users/me"));
		assert.equal(me.additionalProperties, false, "a profile has exactly its fields");
		assert.ok(!("passwordHash" in me.properties));
		assert.deepEqual(me.properties.avatarUrl, { type: ["string", "null"], format: "uri", maxLength: 2048 });
	});

	it("when the tests upload is documented then it takes a zip or JSON, answers the problem, and names the upload's own statuses", () => {
		const operation = operationOf(doc, "PUT /problems/:id/tests");
		assert.equal(operation["x-moleculer-action"], TESTS_UPLOAD.action);
		assert.deepEqual(operation.security, [{ bearerAuth: [] }]);
		assert.deepEqual(operation.parameters, [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }]);
		assert.equal(operation.requestBody.required, true);
		assert.deepEqual(Object.keys(operation.requestBody.content), ["application/zip", "application/json"]);
		const json = operation.requestBody.content["application/json"].schema;
		assert.deepEqual([json.required, json.additionalProperties, json.properties.tests.maxItems], [["tests"], false, 200]);
		assert.deepEqual(json.properties.tests.items.required, ["input", "output"]);
		assert.deepEqual(Object.keys(operation.responses), ["200", "400", "401", "403", "404", "411", "413", "422", "429", "503", "504"]);
		assert.match(operation.responses["413"].description, new RegExp(`${TESTS_UPLOAD.maxBytes} bytes`));
		assert.deepEqual(operation.responses["411"], { $ref: "#/components/responses/LengthRequired" });
		assert.match(operation.description, /Content-Length is required/);
	});

	it("when the tests upload answers then its answers are those the document declares", async () => {
		const author = (await platform.api("POST", "/api/auth/register", { body: newUser("oasup") })).body;
		const problem = {
			title: "OAS upload",
			statement: "Print a + b.",
			tests: [{ input: "1 2\n", output: "3\n", sample: true }]
		};
		const created = await platform.api("POST", "/api/problems", { token: author.accessToken, body: problem });
		assert.equal(created.status, 201, JSON.stringify(created.body));
		const url = `${platform.baseUrl}/api/problems/${created.body.id}/tests`;
		const headers = { authorization: `Bearer ${author.accessToken}`, "content-type": "application/json" };
		const tests = JSON.stringify({
			tests: [
				{ input: "1 2\n", output: "3\n", sample: true },
				{ input: "2 2\n", output: "4\n" }
			]
		});
		const uploaded = await fetch(url, { method: "PUT", headers, body: tests });
		const body: any = await uploaded.json();
		check("PUT /problems/:id/tests", { status: uploaded.status, body }, 200);
		assert.equal(body.testCount, 2);
		// Without a Content-Length (chunked): refused before a byte is read, in the error shape.
		const chunked = await fetch(url, {
			method: "PUT",
			headers,
			body: new Blob([tests]).stream(),
			duplex: "half"
		} as RequestInit);
		assert.equal(chunked.status, 411);
		const error: any = await chunked.json();
		assert.equal(error.type, "LENGTH_REQUIRED");
		const validate = ajv.compile(doc.components.schemas.Error);
		assert.ok(validate(error), ajv.errorsText(validate.errors));
	});

	it("when users and audit routes answer then each body is valid against the response schema the document declares", async () => {
		const api = platform.api;
		const body = newUser("oas");
		const registered = await api("POST", "/api/auth/register", { body });
		check("POST /auth/register", registered, 201);
		const token = registered.body.accessToken;
		check("POST /auth/login", await api("POST", "/api/auth/login", { body: { login: body.username, password: body.password } }), 200);
		check("GET /users/me", await api("GET", "/api/users/me", { token }), 200);
		const patched = await api("PATCH", "/api/users/me", { token, body: { bio: "Hi", avatarUrl: "https://example.com/a.png" } });
		check("PATCH /users/me", patched, 200);
		check("GET /users/me/preferences", await api("GET", "/api/users/me/preferences", { token }), 200);
		const prefs = await api("PUT", "/api/users/me/preferences", { token, body: { theme: "dark", timezone: "Europe/Paris" } });
		check("PUT /users/me/preferences", prefs, 200);
		check("GET /users/:username", await api("GET", `/api/users/${body.username}`), 200);
		const people = await api("GET", `/api/people?ids=${registered.body.user.id}`);
		assert.equal(people.body?.rows?.length, 1, JSON.stringify(people.body));
		check("GET /people", people, 200);
		check("POST /auth/refresh", await api("POST", "/api/auth/refresh", { body: { refreshToken: registered.body.refreshToken } }), 200);

		const admin = newUser("oasadmin");
		await platform.broker.call("users.createAdmin", admin);
		const adminToken = (await api("POST", "/api/auth/login", { body: { login: admin.username, password: admin.password } })).body
			.accessToken;
		check("GET /users", await api("GET", "/api/users?pageSize=5", { token: adminToken }), 200);
		const role = await api("PATCH", `/api/users/${registered.body.user.id}/role`, { token: adminToken, body: { role: "admin" } });
		check("PATCH /users/:id/role", role, 200);
		// The trail fills in as the outbox relays; a page with rows says more than an empty one.
		let trail = await api("GET", "/api/admin/audit?pageSize=5", { token: adminToken });
		for (let i = 0; i < 50 && trail.body?.total === 0; i++) {
			await new Promise(resolve => setTimeout(resolve, 100));
			trail = await api("GET", "/api/admin/audit?pageSize=5", { token: adminToken });
		}
		assert.ok(trail.body.total > 0, "the trail has the users' events");
		check("GET /admin/audit", trail, 200);

		// The welcome notification of a new user (user.created), then the inbox, the count, the preferences and the mutes.
		const reader = (await api("POST", "/api/auth/register", { body: newUser("oasntf") })).body.accessToken;
		let inbox = await api("GET", "/api/notifications", { token: reader });
		for (let i = 0; i < 50 && inbox.body?.total === 0; i++) {
			await new Promise(resolve => setTimeout(resolve, 100));
			inbox = await api("GET", "/api/notifications", { token: reader });
		}
		assert.ok(inbox.body.total > 0, "the welcome notification arrived");
		check("GET /notifications", inbox, 200);
		check("GET /notifications/unread-count", await api("GET", "/api/notifications/unread-count", { token: reader }), 200);
		const read = await api("POST", `/api/notifications/${inbox.body.rows[0].id}/read`, { token: reader });
		check("POST /notifications/:id/read", read, 200);
		check("POST /notifications/read-all", await api("POST", "/api/notifications/read-all", { token: reader }), 200);
		check("GET /notifications/preferences", await api("GET", "/api/notifications/preferences", { token: reader }), 200);
		const off = await api("PUT", "/api/notifications/preferences", { token: reader, body: { "post.reacted": { inApp: false } } });
		check("PUT /notifications/preferences", off, 200);
		check("GET /notifications/mutes", await api("GET", "/api/notifications/mutes", { token: reader }), 200);
	});

	it("when groups routes answer then each body is valid against the response schema the document declares", async () => {
		const api = platform.api;
		const [owner, invitee, asker] = await Promise.all(
			["oasgo", "oasgi", "oasga"].map(async prefix => (await api("POST", "/api/auth/register", { body: newUser(prefix) })).body)
		);
		const name = `OAS ${randomBytes(4).toString("hex")}`;
		const created = await api("POST", "/api/groups", { token: owner.accessToken, body: { name, joinPolicy: "request" } });
		check("POST /groups", created, 201);
		const id = created.body.id;
		check("GET /groups/:id", await api("GET", `/api/groups/${id}`, { token: owner.accessToken }), 200);
		check("PATCH /groups/:id", await api("PATCH", `/api/groups/${id}`, { token: owner.accessToken, body: { description: "D" } }), 200);
		check("GET /groups", await api("GET", "/api/groups?mine=true", { token: owner.accessToken }), 200);
		const invitation = await api("POST", `/api/groups/${id}/invitations`, {
			token: owner.accessToken,
			body: { userId: invitee.user.id }
		});
		check("POST /groups/:id/invitations", invitation, 201);
		check("GET /groups/:id/invitations", await api("GET", `/api/groups/${id}/invitations`, { token: owner.accessToken }), 200);
		const mine = await api("GET", "/api/groups/invitations", { token: invitee.accessToken });
		assert.equal(mine.body.rows.length, 1);
		check("GET /groups/invitations", mine, 200);
		check("POST /groups/:id/join", await api("POST", `/api/groups/${id}/join`, { token: invitee.accessToken }), 200);
		check("POST /groups/:id/join", await api("POST", `/api/groups/${id}/join`, { token: asker.accessToken }), 202);
		check("GET /groups/:id/requests", await api("GET", `/api/groups/${id}/requests`, { token: owner.accessToken }), 200);
		const approved = await api("POST", `/api/groups/${id}/requests/${asker.user.id}/approve`, { token: owner.accessToken });
		check("POST /groups/:id/requests/:userId/approve", approved, 200);
		const role = await api("PATCH", `/api/groups/${id}/members/${asker.user.id}`, {
			token: owner.accessToken,
			body: { role: "admin" }
		});
		check("PATCH /groups/:id/members/:userId", role, 200);
		const members = await api("GET", `/api/groups/${id}/members`, { token: owner.accessToken });
		assert.equal(members.body.total, 3);
		check("GET /groups/:id/members", members, 200);
		check("GET /groups/:id/posts", await api("GET", `/api/groups/${id}/posts`, { token: owner.accessToken }), 200);
	});

	it("when posts routes answer then each body is valid against the response schema the document declares", async () => {
		const api = platform.api;
		const [author, reader] = await Promise.all(
			["oaspa", "oaspr"].map(async prefix => (await api("POST", "/api/auth/register", { body: newUser(prefix) })).body)
		);
		const body = { title: `OAS post ${randomBytes(4).toString("hex")}`, content: "# Hi\n\nSome *text*.", category: "web" };
		const created = await api("POST", "/api/posts", {
			token: author.accessToken,
			body: { ...body, tags: ["OpenAPI", "Schemas"], status: "published" }
		});
		check("POST /posts", created, 201);
		const { id, slug } = created.body;
		check("GET /posts/:idOrSlug", await api("GET", `/api/posts/${slug}`, { token: author.accessToken }), 200);
		// Anonymous readers share one answer, the second served by the gateway from its copy: the same shape.
		const shared = await api("GET", `/api/posts/${id}`);
		check("GET /posts/:idOrSlug", shared, 200);
		const copy = await api("GET", `/api/posts/${id}`);
		check("GET /posts/:idOrSlug", copy, 200);
		assert.deepEqual(copy.body, shared.body);
		check(
			"PATCH /posts/:id",
			await api("PATCH", `/api/posts/${id}`, { token: author.accessToken, body: { title: "OAS edited" } }),
			200
		);
		const list = await api("GET", `/api/posts?author=${author.user.id}`);
		assert.equal(list.body.total, 1);
		check("GET /posts", list, 200);
		check("GET /categories", await api("GET", "/api/categories"), 200);
		check("GET /tags", await api("GET", "/api/tags?q=open"), 200);
		check("PUT /posts/:id/reactions/:kind", await api("PUT", `/api/posts/${id}/reactions/like`, { token: reader.accessToken }), 200);
		check(
			"DELETE /posts/:id/reactions/:kind",
			await api("DELETE", `/api/posts/${id}/reactions/like`, { token: reader.accessToken }),
			200
		);
		const comment = await api("POST", `/api/posts/${id}/comments`, { token: reader.accessToken, body: { content: "Nice" } });
		check("POST /posts/:id/comments", comment, 201);
		const reply = await api("POST", `/api/posts/${id}/comments`, {
			token: author.accessToken,
			body: { content: "Thanks", parentId: comment.body.id }
		});
		check("POST /posts/:id/comments", reply, 201);
		const edited = await api("PATCH", `/api/posts/${id}/comments/${comment.body.id}`, {
			token: reader.accessToken,
			body: { content: "Very nice" }
		});
		check("PATCH /posts/:id/comments/:commentId", edited, 200);
		noContent(
			"DELETE /posts/:id/comments/:commentId",
			await api("DELETE", `/api/posts/${id}/comments/${comment.body.id}`, { token: reader.accessToken })
		);
		// A deleted comment stays in the thread (its replies with it), emptied.
		const comments = await api("GET", `/api/posts/${id}/comments`);
		assert.equal(comments.body.total, 2);
		check("GET /posts/:id/comments", comments, 200);
		// A group's feed is a page of post summaries.
		const group = await api("POST", "/api/groups", {
			token: author.accessToken,
			body: { name: `OAS ${randomBytes(4).toString("hex")}` }
		});
		const inGroup = await api("POST", "/api/posts", {
			token: author.accessToken,
			body: { ...body, groupId: group.body.id, status: "published" }
		});
		check("POST /posts", inGroup, 201);
		const feed = await api("GET", `/api/groups/${group.body.id}/posts`);
		assert.equal(feed.body.total, 1);
		check("GET /groups/:id/posts", feed, 200);
		noContent("DELETE /posts/:id", await api("DELETE", `/api/posts/${id}`, { token: author.accessToken }));
	});

	it("when contests routes answer then each body is valid against the response schema the document declares", async () => {
		const api = platform.api;
		const [organiser, solver, loser] = await Promise.all(
			["oasco", "oascs", "oascl"].map(async prefix => (await api("POST", "/api/auth/register", { body: newUser(prefix) })).body)
		);
		// A contest starting in a few seconds (the platform's clock is the real one), an hour long, with a freeze.
		const startsAt = new Date(Date.now() + 4000);
		const endsAt = new Date(startsAt.getTime() + 3600_000);
		const body = { title: `OAS ${randomBytes(4).toString("hex")}`, startsAt, endsAt, scoring: "icpc", freezeMinutes: 10 };
		const created = await api("POST", "/api/contests", { token: organiser.accessToken, body });
		check("POST /contests", created, 201);
		const id = created.body.id;
		const problem = await api("POST", `/api/contests/${id}/problems`, {
			token: organiser.accessToken,
			body: { title: "Problem OAS", statement: "Find the *number*.", points: 3, answer: "42" }
		});
		check("POST /contests/:id/problems", problem, 201);
		check(
			"PATCH /contests/:id",
			await api("PATCH", `/api/contests/${id}`, { token: organiser.accessToken, body: { description: "D" } }),
			200
		);
		check("GET /contests/:id", await api("GET", `/api/contests/${id}`, { token: solver.accessToken }), 200);
		check("GET /contests", await api("GET", "/api/contests?status=upcoming&pageSize=5"), 200);
		for (const user of [solver, loser])
			check("POST /contests/:id/register", await api("POST", `/api/contests/${id}/register`, { token: user.accessToken }), 201);
		const removed = await api("POST", "/api/contests", { token: organiser.accessToken, body: { ...body, freezeMinutes: null } });
		noContent("DELETE /contests/:id", await api("DELETE", `/api/contests/${removed.body.id}`, { token: organiser.accessToken }));

		await new Promise(resolve => setTimeout(resolve, Math.max(0, startsAt.getTime() - Date.now()) + 200));
		check("GET /contests/:id/problems", await api("GET", `/api/contests/${id}/problems`, { token: solver.accessToken }), 200);
		const submit = (user: { accessToken: string }, answer: string) =>
			api("POST", `/api/contests/${id}/problems/${problem.body.id}/submissions`, { token: user.accessToken, body: { answer } });
		check("POST /contests/:id/problems/:problemId/submissions", await submit(solver, "42"), 201);
		check("POST /contests/:id/problems/:problemId/submissions", await submit(loser, "41"), 201);
		check(
			"GET /contests/:id/submissions/me",
			await api("GET", `/api/contests/${id}/submissions/me`, { token: loser.accessToken }),
			200
		);
		// The anonymous page (the cached, frozen object the gateway serialises once) and a participant's, with their own row.
		for (const token of [undefined, undefined, loser.accessToken]) {
			const board = await api("GET", `/api/contests/${id}/leaderboard`, { token });
			assert.deepEqual(
				board.body.rows.map((r: any) => [r.rank, r.solved, r.penalty, Object.values(r.problems)]),
				[
					[1, 1, 0, [{ solved: true, wrongTries: 0, solvedAtMinute: 0 }]],
					[2, 0, 0, [{ solved: false, wrongTries: 1, solvedAtMinute: null }]]
				]
			);
			assert.equal(board.body.me?.userId ?? null, token ? loser.user.id : null);
			check("GET /contests/:id/leaderboard", board, 200);
		}
	});

	it("when a service leaves then the next document is generated anew without its parameters", async () => {
		const audit = platform.broker.getLocalService("audit");
		assert.ok(audit);
		await platform.broker.destroyService(audit);
		const res = await platform.api("GET", "/api/openapi.json");
		const operation = operationOf(res.body, "GET /admin/audit");
		assert.match(operation.description, /not available/);
		assert.equal(operation.parameters, undefined);
	});
});

describe("GET /api/openapi.json on a gateway-only node of a cluster", { skip: unavailable("postgres", "nats", "amqp") }, () => {
	const namespace = `t${randomBytes(4).toString("hex")}`;
	const cluster = { NAMESPACE: namespace, TRANSPORTER: TEST_SERVICES.nats, EVENTS_AMQP_URL: TEST_SERVICES.amqp };
	const dbs = scratchDatabases(["users"]);
	let users: Platform;
	let gateway: Platform;

	before(async () => {
		users = await startPlatform({ ...cluster, ...dbs.env, SERVICES: "users", NODE_ID: `${namespace}-users` });
		gateway = await startPlatform({ ...cluster, SERVICES: "gateway", NODE_ID: `${namespace}-gateway` });
		await gateway.broker.waitForServices("users", 10_000);
	});

	after(async () => {
		await gateway?.stop();
		await users?.stop();
		await Promise.all([dbs.drop(), deleteEventTopology(namespace)]);
	});

	it("when the users service runs on another node then its params come from that node's INFO packet", async () => {
		assert.equal(gateway.broker.getLocalService("users"), undefined);
		const res = await gateway.api("GET", "/api/openapi.json");
		const schema = operationOf(res.body, "POST /auth/register").requestBody.content["application/json"].schema;
		assert.deepEqual([...schema.required].sort(), ["email", "password", "username"]);
		assert.equal(schema.properties.password.minLength, 8);
		// The JSON serializer sends a RegExp as {}: the pattern is lost, its message is not.
		assert.equal(schema.properties.username.pattern, undefined);
		assert.match(schema.properties.username.description, /letters, digits/);
		assert.match(operationOf(res.body, "GET /posts").description, /not available/, "posts runs nowhere in this cluster");
		// Response schemas travel the same way; a RegExp pattern is lost, its message is not.
		const me = responseSchemaOf(operationOf(res.body, "GET /users/me")) as any;
		assert.deepEqual([...me.required].sort(), [
			"avatarUrl",
			"bio",
			"createdAt",
			"displayName",
			"email",
			"id",
			"preferences",
			"role",
			"updatedAt",
			"username"
		]);
		assert.match(me.properties.createdAt.description, /ISO 8601/);
		assert.equal(responseSchemaOf(operationOf(res.body, "POST /auth/logout")), null);
	});
});
