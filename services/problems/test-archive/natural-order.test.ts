import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { naturalCompare } from "./natural-order";

const sign = (n: number) => Math.sign(n);

describe("natural order", () => {
	it("orders numbers in names by value: 2 before 10", () => {
		assert.deepEqual(["10", "2", "1", "test10.in", "test2.in", "a", "b1"].sort(naturalCompare), [
			"1",
			"2",
			"10",
			"a",
			"b1",
			"test2.in",
			"test10.in"
		]);
	});

	it("orders runs with leading zeros by value, then zero-padded before plain for a stable order", () => {
		assert.deepEqual(["10", "09", "1", "01"].sort(naturalCompare), ["01", "1", "09", "10"]);
	});

	it("compares numbers longer than a double holds without losing digits", () => {
		assert.ok(naturalCompare("t123456789012345678901", "t123456789012345678902") < 0);
	});

	it("orders the folders' names too: tests/2 before tests/10", () => {
		assert.deepEqual(["tests/10", "tests/2", "group1/3"].sort(naturalCompare), ["group1/3", "tests/2", "tests/10"]);
	});

	it("is a total order: antisymmetric, zero only for equal names, and sorts numbers by value (property)", () => {
		const name = fc.stringMatching(/^[a-c0-9/]{0,8}$/);
		fc.assert(
			fc.property(name, name, (a, b) => {
				assert.equal(sign(naturalCompare(a, b)) + sign(naturalCompare(b, a)), 0);
				assert.equal(naturalCompare(a, b) === 0, a === b);
			})
		);
		fc.assert(
			fc.property(fc.nat(), fc.nat(), (a, b) => {
				assert.equal(sign(naturalCompare(`t${a}`, `t${b}`)), sign(a - b));
			})
		);
	});
});
