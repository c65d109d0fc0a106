import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Errors } from "moleculer";
import { DatabaseUnavailableError } from "../../lib/errors";
import { toErrorResponse } from "../../services/gateway/error-response";

const WINDOW_S = 60;

describe("gateway error responses", () => {
	it("when the service is gone or the transporter disconnected then 503 with Retry-After", () => {
		const gone = [
			new Errors.ServiceNotFoundError({ action: "users.me" }),
			new Errors.ServiceNotAvailableError({ action: "users.me" }),
			new Errors.RequestRejectedError({ action: "users.login", nodeID: "users-1" }),
			new Errors.BrokerDisconnectedError("The broker's transporter has disconnected.", 502, "BAD_GATEWAY")
		];
		for (const err of gone) {
			const r = toErrorResponse(err, WINDOW_S);
			assert.equal(r.status, 503);
			assert.equal(r.headers["Retry-After"], "10");
			assert.deepEqual(r.body, {
				name: "ServiceUnavailableError",
				message: "The service is unavailable, try again later",
				code: 503,
				type: "SERVICE_UNAVAILABLE"
			});
		}
	});

	it("when a service's database is unavailable then 503 DATABASE_UNAVAILABLE with Retry-After", () => {
		const r = toErrorResponse(new DatabaseUnavailableError(), WINDOW_S);
		assert.equal(r.status, 503);
		assert.equal(r.headers["Retry-After"], "10");
		assert.deepEqual(r.body, {
			name: "ServiceUnavailableError",
			message: "The database is unavailable, try again later",
			code: 503,
			type: "DATABASE_UNAVAILABLE"
		});
	});

	it("when a call timed out then 504", () => {
		const r = toErrorResponse(new Errors.RequestTimeoutError({ action: "users.me", nodeID: "n1" }), WINDOW_S);
		assert.equal(r.status, 504);
		assert.equal(r.body.type, "GATEWAY_TIMEOUT");
	});

	it("when validation fails then 422 lists fields without the rejected values", () => {
		const err = new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
			{ type: "stringMin", field: "password", message: "too short", actual: "hunter2" }
		]);
		const r = toErrorResponse(err, WINDOW_S);
		assert.equal(r.status, 422);
		assert.deepEqual(r.body.data, [{ field: "password", type: "stringMin", message: "too short" }]);
		assert.ok(!JSON.stringify(r.body).includes("hunter2"));
	});

	it("when the body is not JSON or too large then 400 or 413", () => {
		const parse = Object.assign(new Error("Unexpected token } in JSON at position 1"), { type: "entity.parse.failed" });
		const large = Object.assign(new Error("request entity too large"), { type: "entity.too.large" });
		assert.deepEqual([toErrorResponse(parse, WINDOW_S).status, toErrorResponse(large, WINDOW_S).status], [400, 413]);
		assert.equal(toErrorResponse(parse, WINDOW_S).body.message, "The request body is not valid JSON");
	});

	it("when a client error carries retryAfter then Retry-After says it", () => {
		const err = new Errors.MoleculerClientError("Too many failed logins", 429, "TOO_MANY_REQUESTS", { retryAfter: 42 });
		const r = toErrorResponse(err, WINDOW_S);
		assert.equal(r.status, 429);
		assert.equal(r.headers["Retry-After"], "42");
	});

	it("when anything else fails then a plain 500 without internal detail", () => {
		const r = toErrorResponse(new TypeError("Cannot read properties of undefined (reading 'password_hash')"), WINDOW_S);
		assert.equal(r.status, 500);
		assert.deepEqual(r.body, { name: "InternalServerError", message: "Internal server error", code: 500, type: "INTERNAL_ERROR" });
	});
});
