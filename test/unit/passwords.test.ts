import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashPassword, isCommonPassword, verifyPassword } from "../../services/users/passwords";

describe("passwords", () => {
	it("when hashed then the hash verifies the password and nothing else, and is salted", async () => {
		const [a, b] = await Promise.all([hashPassword("correct horse battery"), hashPassword("correct horse battery")]);
		assert.notEqual(a, b);
		assert.match(a, /^scrypt\$131072\$8\$1\$/);
		assert.equal(await verifyPassword("correct horse battery", a), true);
		assert.equal(await verifyPassword("correct horse batterY", a), false);
		assert.ok(!a.includes("correct"));
	});

	it("when a password is on the common list then it is recognised in any case", () => {
		assert.equal(isCommonPassword("password123"), true);
		assert.equal(isCommonPassword("PassWord123"), true);
		assert.equal(isCommonPassword("q8!vZ-lantern-orbit"), false);
	});

	it("when the stored hash is not ours then it never verifies", async () => {
		assert.equal(await verifyPassword("x", "bcrypt$whatever"), false);
	});
});
