import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forbiddenQueryKey, MAX_DEPTH, safeInput, safeQuery } from "../../services/gateway/input-boundary";

function rejects(fn: () => unknown, type: string) {
	assert.throws(fn, (err: { code?: number; type?: string }) => err.code === 400 && err.type === type);
}

describe("the gateway's input boundary", () => {
	it("when parsed JSON is clean then it comes back equal, every object without a prototype", () => {
		const input = JSON.parse('{"a":{"b":[1,{"c":"x"}],"n":null},"s":"t"}');
		const safe = safeInput<any>(input);
		assert.deepEqual(JSON.parse(JSON.stringify(safe)), input);
		assert.equal(Object.getPrototypeOf(safe), null);
		assert.equal(Object.getPrototypeOf(safe.a), null);
		assert.ok(Array.isArray(safe.a.b));
		assert.equal(Object.getPrototypeOf(safe.a.b[1]), null);
	});

	for (const key of ["__proto__", "constructor", "prototype"]) {
		it(`when "${key}" is a key at any depth then 400 FORBIDDEN_KEY`, () => {
			rejects(() => safeInput(JSON.parse(`{"${key}":{"role":"admin"}}`)), "FORBIDDEN_KEY");
			rejects(() => safeInput(JSON.parse(`{"a":[{"b":{"${key}":1}}]}`)), "FORBIDDEN_KEY");
		});
	}

	it("when a value merely contains a forbidden word then it is kept", () => {
		assert.deepEqual({ ...safeInput<any>({ title: "__proto__ and constructor" }) }, { title: "__proto__ and constructor" });
	});

	it(`when input nests deeper than ${MAX_DEPTH} levels then 400 TOO_DEEP, even 100,000 levels`, () => {
		const nested = (n: number) => JSON.parse("[".repeat(n) + "]".repeat(n));
		assert.doesNotThrow(() => safeInput(nested(MAX_DEPTH)));
		rejects(() => safeInput(nested(MAX_DEPTH + 1)), "TOO_DEEP");
		rejects(() => safeInput(nested(100_000)), "TOO_DEEP");
	});

	it("when a raw query names a forbidden key, however written, then it is found", () => {
		for (const q of [
			"__proto__=1",
			"__proto__[role]=admin",
			"a[constructor][prototype][x]=1",
			"a.prototype=1",
			"%5F_proto__=1",
			"a%5B__proto__%5D=1"
		]) {
			assert.ok(forbiddenQueryKey(q), q);
			rejects(() => safeQuery(q, {}), "FORBIDDEN_KEY");
		}
		assert.equal(forbiddenQueryKey("q=__proto__&page=2&bad=%E0%A4%A"), undefined);
	});
});
