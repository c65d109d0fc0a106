import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { paramsGate } from "../../lib/validation/params-gate";

function violations(gate: ((p: unknown) => void) | undefined, params: unknown): { field: string; type: string }[] {
	try {
		gate!(params);
		return [];
	} catch (err) {
		assert.equal((err as { name: string }).name, "ValidationError");
		return (err as { data: { field: string; type: string }[] }).data;
	}
}

describe("params gate: bounds, nulls and shapes checked before the validator", () => {
	const gate = paramsGate("test.action", {
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
		assert.deepEqual(
			violations(gate, { email: "@".repeat(100_000), tags: [] }).map(v => [v.field, v.type]),
			[["email", "stringMax"]]
		);
	});

	it("when a URL is longer than its max then it is refused (fastest-validator never checks a URL's max)", () => {
		assert.deepEqual(
			violations(gate, { email: "a@b.co", tags: [], avatar: `https://x/${"a".repeat(30)}` }).map(v => v.field),
			["avatar"]
		);
	});

	it("when arrays, their items, nested objects and record keys are too long then each is named", () => {
		assert.deepEqual(
			violations(gate, { email: "a@b.co", tags: ["a", "b", "c", "d"] }).map(v => [v.field, v.type]),
			[["tags", "arrayMax"]]
		);
		assert.deepEqual(
			violations(gate, { email: "a@b.co", tags: ["toolong"], nested: { name: "abcde" }, counts: { abcd: 1 } }).map(v => v.field),
			["tags[0]", "nested.name", "counts{key}"]
		);
	});

	it("when a value has another scalar type then the gate leaves it to the validator", () => {
		assert.deepEqual(violations(gate, { email: 5, tags: "x", nested: [1] }), []);
	});

	it("when a scalar parameter receives an object then it is refused before the validator converts it", () => {
		const pageGate = paramsGate("x.list", {
			page: { type: "number", convert: true, optional: true },
			q: { type: "string", max: 9, optional: true }
		});
		const query = Object.assign(Object.create(null), { a: "1" });
		assert.deepEqual(
			violations(pageGate, { page: query, q: ["a"] }).map(v => [v.field, v.type]),
			[
				["page", "number"],
				["q", "string"]
			]
		);
	});

	it("when an optional parameter is null then it is refused, unless its rule says nullable", () => {
		const update = paramsGate("x.update", {
			title: { type: "string", max: 9, optional: true },
			avatar: { type: "url", max: 99, optional: true, nullable: true }
		});
		assert.deepEqual(
			violations(update, { title: null }).map(v => [v.field, v.type]),
			[["title", "required"]]
		);
		assert.deepEqual(violations(update, { avatar: null }), []);
		assert.deepEqual(violations(update, {}), []);
		assert.deepEqual(
			violations(gate, { email: "a@b.co", tags: [], counts: { abc: null } }).map(v => v.field),
			["counts.abc"]
		);
	});

	it("when a schema declares a string without a max then building the gate throws, naming it", () => {
		assert.throws(() => paramsGate("posts.create", { title: { type: "string", min: 1 } }), /posts\.create: parameter "title"/);
		assert.throws(() => paramsGate("x.y", { list: { type: "array", items: "string" } }), /x\.y: parameter "list\[\]"/);
		assert.throws(() => paramsGate("x.y", { o: { type: "object", props: { e: { type: "email" } } } }), /parameter "o\.e"/);
	});

	it("when a schema declares no parameters then there is no gate", () => {
		assert.equal(paramsGate("x.y", { $$strict: true }), undefined);
	});
});
