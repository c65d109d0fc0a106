import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { STDERR_HEAD_BYTES, STDERR_TAIL_BYTES, StderrKeeper, StdoutKeeper, trimToBytes } from "./capture";

describe("StdoutKeeper", () => {
	it("keeps exactly the limit and reports when it is passed", () => {
		const keeper = new StdoutKeeper(10);
		assert.equal(keeper.push(Buffer.from("12345")), true);
		assert.equal(keeper.push(Buffer.from("67890")), true);
		assert.equal(keeper.push(Buffer.from("x")), false);
		assert.equal(keeper.text(), "1234567890");
		assert.equal(keeper.total, 11);
	});
});

describe("StderrKeeper", () => {
	it("keeps short output whole", () => {
		const keeper = new StderrKeeper();
		keeper.push(Buffer.from("Traceback\n"));
		keeper.push(Buffer.from("ValueError: x\n"));
		assert.equal(keeper.text(), "Traceback\nValueError: x\n");
	});

	it("keeps the head and the tail of a flood, never more than a few KB", () => {
		const keeper = new StderrKeeper();
		keeper.push(Buffer.from("HEAD"));
		for (let i = 0; i < 1000; i++) keeper.push(Buffer.from("x".repeat(100)));
		keeper.push(Buffer.from("RecursionError: maximum recursion depth exceeded\n"));
		const text = keeper.text();
		assert.ok(text.startsWith("HEAD"));
		assert.ok(text.endsWith("RecursionError: maximum recursion depth exceeded\n"));
		assert.ok(text.includes("[...]"));
		assert.ok(Buffer.byteLength(text) <= STDERR_HEAD_BYTES + STDERR_TAIL_BYTES + 16);
	});
});

describe("trimToBytes", () => {
	it("keeps the end within the byte budget", () => {
		assert.equal(trimToBytes("short", 100), "short");
		const trimmed = trimToBytes("a".repeat(5000) + "SyntaxError", 4096);
		assert.ok(Buffer.byteLength(trimmed) <= 4096);
		assert.ok(trimmed.endsWith("SyntaxError"));
	});
});
