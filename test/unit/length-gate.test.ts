import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lengthGate } from "../../lib/validation/length-gate";

function violations(gate: ((p: unknown) => void) | undefined, params: unknown): { field: string; type: string }[] {
	try {
		gate!(params);
		return [];
	} catch (err) {
		assert.equal((err as { name: string }).name, "ValidationError");
		return (err as { data: { field: string; type: string }[] }).data;
	}
}

describe("length gate: every string bounded before any pattern runs", () => {
	const gate = lengthGate("test.action", {
		$$strict: true,
		email: { type: "email", max: 254 },
		avatar: { type: "url", max: 20, optional: true },
		tags: { type: "array", max: 3, items: { type: "string", max: 5 } },
		nested: { type: "object", optional: true, props: { name: { type: "string", max: 4 } } },
		counts: { type: "record", optional: true, key: { type: "string", max: 3 }, value: { type: "number" } }
	});

	it("when every value is within its max then nothing is reported", () => {
		assert.deepEqual(violations(gate, { email: "a@b.co", tags: ["x"], nested: { name: "abcd" }, counts: { abc: 1 } }), []);
	});

	it("when an e-mail of 100,000 '@' arrives then it is refused by length, without the e-mail pattern", () => {
		assert.deepEqual(violations(gate, { email: "@".repeat(100_000), tags: [] }).map(v => [v.field, v.type]), [["email", "stringMax"]]);
	});

	it("when a URL is longer than its max then it is refused (fastest-validator never checks a URL's max)", () => {
		assert.deepEqual(violations(gate, { email: "a@b.co", tags: [], avatar: `https://x/${"a".repeat(30)}` }).map(v => v.field), ["avatar"]);
	});

	it("when arrays, their items, nested objects and record keys are too long then each is named", () => {
		assert.deepEqual(violations(gate, { email: "a@b.co", tags: ["a", "b", "c", "d"] }).map(v => [v.field, v.type]), [["tags", "arrayMax"]]);
		assert.deepEqual(
			violations(gate, { email: "a@b.co", tags: ["toolong"], nested: { name: "abcde" }, counts: { abcd: 1 } }).map(v => v.field),
			["tags[0]", "nested.name", "counts{key}"]
		);
	});

	it("when a value has the wrong type then the gate leaves it to the validator", () => {
		assert.deepEqual(violations(gate, { email: 5, tags: "x", nested: [1], counts: null }), []);
	});

	it("when a schema declares a string without a max then building the gate throws, naming it", () => {
		assert.throws(() => lengthGate("posts.create", { title: { type: "string", min: 1 } }), /posts\.create: parameter "title"/);
		assert.throws(() => lengthGate("x.y", { list: { type: "array", items: "string" } }), /x\.y: parameter "list\[\]"/);
		assert.throws(() => lengthGate("x.y", { o: { type: "object", props: { e: { type: "email" } } } }), /parameter "o\.e"/);
	});

	it("when a schema has no strings or arrays then there is no gate", () => {
		assert.equal(lengthGate("x.y", { $$strict: true, page: { type: "number" }, id: { type: "uuid" } }), undefined);
	});
});
