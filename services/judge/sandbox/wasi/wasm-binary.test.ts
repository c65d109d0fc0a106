import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { capDefinedMemory, importedMemoryLimits } from "./wasm-binary";
import { wasm } from "./wasm-api";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const name = (text: string) => [text.length, ...Buffer.from(text)];
const section = (id: number, body: number[]) => [id, body.length, ...body];

/** A module importing wasi's fd_write (function type 0) and env.memory {3, 10}, and defining a memory {2, 65536}. */
function sampleModule(): Uint8Array {
	const types = section(1, [1, 0x60, 0, 0]);
	const imports = section(2, [
		2,
		...name("wasi_snapshot_preview1"),
		...name("fd_write"),
		0x00,
		0,
		...name("env"),
		...name("memory"),
		0x02,
		0x01,
		3,
		10
	]);
	const memory = section(5, [1, 0x01, 2, 0x80, 0x80, 0x04]);
	return new Uint8Array([...HEADER, ...types, ...imports, ...memory]);
}

describe("wasm-binary", () => {
	it("reads the limits of the imported memory", () => {
		assert.deepEqual(importedMemoryLimits(sampleModule()), { minPages: 3, maxPages: 10 });
		assert.equal(importedMemoryLimits(new Uint8Array(HEADER)), null);
	});

	it("lowers a defined memory's maximum in place, and the result is still a valid module", async () => {
		const bytes = sampleModule();
		const length = bytes.length;
		assert.equal(capDefinedMemory(bytes, 16), 1);
		assert.equal(bytes.length, length);
		assert.deepEqual([...bytes.subarray(length - 3)], [0x90, 0x80, 0x00]);
		assert.ok(wasm.validate(bytes));
		assert.equal(capDefinedMemory(bytes, 16), 0, "already low enough");
	});

	it("refuses a truncated module", () => {
		assert.throws(() => importedMemoryLimits(sampleModule().subarray(0, 30)), RangeError);
	});
});
