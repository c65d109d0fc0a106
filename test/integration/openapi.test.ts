import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { validate as validateSchema } from "@hyperjump/json-schema/openapi-3-1";
import { compileErrors, validate } from "@readme/openapi-parser";
import { DATABASE_SERVICES, loadConfig, type ServiceName } from "../../config";
import { apiRoutes, SERVICE_FACTORIES } from "../../services";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** The route table, from the `http` keys of every service's actions. */
const API_ALIASES = apiRoutes(loadConfig({}));

/** The operation documented for an API_ALIASES key such as "GET /posts/:idOrSlug". */
function operationOf(doc: any, route: string) {
	const [method, path] = route.split(" ");
	return doc.paths[`/api${path.replace(/:(\w+)/g, "{$1}")}`]?.[method.toLowerCase()];
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

	it("when compared with API_ALIASES then every route is there with its method and action", () => {
		for (const [route, action] of Object.entries(API_ALIASES)) {
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
		assert.deepEqual(operation.parameters, [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }]);
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

	it("when a call fails then the documented body is the public error shape", () => {
		assert.deepEqual(doc.components.schemas.Error.required, ["name", "message", "code", "type"]);
		const responses = operationOf(doc, "PATCH /groups/:id").responses;
		for (const status of ["401", "403", "404", "409", "413", "422", "429", "503", "504"]) assert.ok(responses[status], status);
		assert.ok(doc.components.responses.TooManyRequests.headers["Retry-After"]);
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
	});
});
