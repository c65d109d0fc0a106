import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConnectionRefusedError, DatabaseError } from "sequelize";
import { isTransientDatabaseError } from "../../mixins/db/transient";

/** Sequelize's wrapper of a pg error, as a query that failed would throw it. */
const wrapped = (message: string, code?: string) =>
	new DatabaseError(Object.assign(new Error(message), { code, sql: "SELECT 1" }) as never);

describe("transient database errors", () => {
	it("when the server is away, restarting or dropped the connection then the error is transient", () => {
		const transient = [
			new ConnectionRefusedError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
			wrapped("Connection terminated unexpectedly"),
			wrapped("terminating connection due to administrator command", "57P01"),
			wrapped("read ECONNRESET", "ECONNRESET"),
			Object.assign(new Error("the database system is starting up"), { code: "57P03" })
		];
		for (const err of transient) assert.ok(isTransientDatabaseError(err), err.message);
	});

	it("when the query itself is wrong or breaks a rule then it is not transient: a bug or a conflict, not an outage", () => {
		for (const err of [wrapped('syntax error at or near "SELEC"', "42601"), wrapped("duplicate key value", "23505"), new Error("boom")])
			assert.ok(!isTransientDatabaseError(err), err.message);
	});
});
