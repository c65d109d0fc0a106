import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MAX_FILE_BYTES, patchClangBundle } from "./clang-bundle-patch";

describe("clang-bundle-patch", () => {
	it("applies to the installed @yowasp/clang bundle", () => {
		const source = readFileSync(require.resolve("@yowasp/clang"), "utf8");
		const patched = patchClangBundle(source, "file:///bundle.js");
		assert.ok(patched, "the bundle changed: the write patch no longer applies");
		assert.ok(patched.includes(`length > ${MAX_FILE_BYTES}`));
		assert.ok(!patched.includes("import.meta.url"));
	});

	it("leaves an unknown bundle alone", () => {
		assert.equal(patchClangBundle("export const x = 1;", "file:///bundle.js"), null);
	});
});
