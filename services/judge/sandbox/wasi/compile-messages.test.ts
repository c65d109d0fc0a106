import { describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { COMPILE_ERROR_BYTES, compileErrorText, trimUtf8 } from "./compile-messages";

describe("compile-messages", () => {
	it("names the scratch object plainly and removes host paths", () => {
		const host = path.resolve(__dirname, "../../../../node_modules/@yowasp/clang/gen/bundle.js");
		const text = compileErrorText(`wasm-ld: error: /tmp/main-62bf3f.o: undefined symbol: f\nat ${host}:12\nat file:///x/y.js`);
		assert.equal(text, "wasm-ld: error: main.o: undefined symbol: f\nat <host path>\nat <host path>");
	});

	it("trims to 4 KB without cutting a character", () => {
		const text = compileErrorText("é".repeat(5000));
		assert.ok(Buffer.byteLength(text) <= COMPILE_ERROR_BYTES);
		assert.ok(text.endsWith("… (trimmed)"));
		assert.doesNotMatch(text, /\uFFFD/);
		assert.equal(trimUtf8("short", 10), "short");
	});

	it("says something when clang said nothing", () => {
		assert.equal(compileErrorText("  \n"), "compilation failed");
	});
});
