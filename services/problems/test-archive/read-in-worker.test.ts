import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { strToU8, zipSync } from "fflate";
import { readTestArchive } from ".";
import { readTestArchiveInWorker, READ_BOUNDS } from "./read-in-worker";
import { TestArchiveError } from "./test-archive.errors";

const MIB = 1024 * 1024;
const text = (value: string) => strToU8(value);
const VALID = () =>
	zipSync({ "samples/1.in": text("1 2\n"), "samples/1.out": text("3\n"), "2.in": text("20 22\n"), "2.ans": text("42\n") });

/** What readTestArchive throws for the upload, on this thread. */
function thrownHere(upload: Uint8Array, limits = {}): TestArchiveError {
	try {
		readTestArchive(upload, limits);
	} catch (error) {
		return error as TestArchiveError;
	}
	assert.fail("expected a refusal");
}

async function thrownInWorker(upload: Uint8Array, limits = {}, bounds = READ_BOUNDS): Promise<TestArchiveError> {
	const error = await readTestArchiveInWorker(upload, limits, bounds).then(
		() => assert.fail("expected a refusal"),
		(error: unknown) => error
	);
	assert.ok(error instanceof TestArchiveError, `a TestArchiveError, not ${String(error)}`);
	return error;
}

const shapeOf = (error: TestArchiveError) => ({
	name: error.name,
	type: error.type,
	code: error.code,
	message: error.message,
	data: error.data
});

describe("reading an upload of tests in a worker", () => {
	it("answers the tests readTestArchive reads", async () => {
		assert.deepEqual(await readTestArchiveInWorker(VALID()), readTestArchive(VALID()));
		const json = text(JSON.stringify({ tests: [{ input: "1", output: "2", batch: 0 }] }));
		assert.deepEqual(await readTestArchiveInWorker(json.slice()), readTestArchive(json));
	});

	it("refuses with the TestArchiveError readTestArchive throws: its type, status, message and file", async () => {
		const uploads: [Uint8Array, object][] = [
			[text("hello"), {}],
			[zipSync({ "1.in": text("1") }), {}],
			[zipSync({ "1.in": text("x".repeat(2000)), "1.out": text("1") }), { maxFileBytes: 1000 }],
			[text('{"tests":[]}'), {}]
		];
		for (const [upload, limits] of uploads) {
			const expected = shapeOf(thrownHere(upload, limits));
			assert.deepEqual(shapeOf(await thrownInWorker(upload.slice(), limits)), expected);
		}
	});

	it("leaves bytes that share their buffer (a small Buffer of Node's pool) usable", async () => {
		const small = Buffer.from(JSON.stringify({ tests: [{ input: "1", output: "1" }] }));
		const neighbour = Buffer.from("neighbour");
		assert.notEqual(small.byteLength, small.buffer.byteLength, "a Buffer of the pool");
		assert.equal((await readTestArchiveInWorker(small)).length, 1);
		assert.equal(small.toString(), '{"tests":[{"input":"1","output":"1"}]}');
		assert.equal(neighbour.toString(), "neighbour");
	});

	it("reads off the caller's thread: a timer due at once fires before the answer to a zip bomb", async () => {
		const bomb = zipSync({ "1.in": new Uint8Array(60 * MIB), "1.out": text("1") }, { level: 9 });
		let fired = false;
		setTimeout(() => (fired = true), 0);
		const error = await thrownInWorker(bomb, { maxFileBytes: 100 * MIB, maxTotalBytes: 100 * MIB });
		assert.equal(error.type, "TESTS_TOO_COMPRESSED");
		assert.ok(fired, "the timer fired while the worker read");
	});

	it("when a read passes its time limit then the worker is ended and the upload refused with 413", async () => {
		const error = await thrownInWorker(VALID(), {}, { ...READ_BOUNDS, timeLimitMs: 1 });
		assert.equal(error.type, "TESTS_TOO_LARGE");
		assert.equal(error.code, 413);
		assert.match(error.message, /longer than 0\.001 s/);
	});

	it("when a read passes its memory limit then the upload is refused with 413", async () => {
		const small = { ...READ_BOUNDS, maxHeapMb: 16 };
		assert.equal((await readTestArchiveInWorker(VALID(), {}, small)).length, 2, "a small read fits");
		const json = text(JSON.stringify({ tests: Array.from({ length: 8 }, () => ({ input: "x".repeat(3 * MIB), output: "1" })) }));
		const error = await thrownInWorker(json, {}, small);
		assert.equal(error.type, "TESTS_TOO_LARGE");
		assert.match(error.message, /memory/);
	});

	it("answers every read of several at once, past the two that run at a time", async () => {
		const answers = await Promise.all(Array.from({ length: 5 }, () => readTestArchiveInWorker(VALID())));
		assert.deepEqual(
			answers.map(tests => tests.length),
			[2, 2, 2, 2, 2]
		);
	});
});
