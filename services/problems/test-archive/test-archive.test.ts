import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { strToU8, Zip, ZipDeflate, zipSync, type Zippable } from "fflate";
import { readTestArchive } from ".";
import { TestArchiveError, type TestArchiveErrorType } from "./test-archive.errors";

const MIB = 1024 * 1024;
const text = (value: string) => strToU8(value);

/** Asserts the upload is refused with this type (and, when given, naming this file). */
function assertRefused(upload: Uint8Array, type: TestArchiveErrorType, limits = {}, file?: string): TestArchiveError {
	let refusal: unknown;
	assert.throws(
		() => readTestArchive(upload, limits),
		error => {
			refusal = error;
			return error instanceof TestArchiveError && error.type === type;
		},
		`expected ${type}`
	);
	const error = refusal as TestArchiveError;
	if (file !== undefined) assert.equal(error.data?.file, file);
	return error;
}

// --- Crafting archives: offsets of the central directory's records, to patch what zipSync wrote honestly ---

const view = (zip: Uint8Array) => new DataView(zip.buffer, zip.byteOffset, zip.byteLength);

/** Each central directory record's offset and its entry's local header offset, in directory order. */
function records(zip: Uint8Array): { record: number; local: number; name: string }[] {
	const dv = view(zip);
	const end = zip.length - 22;
	const count = dv.getUint16(end + 10, true);
	const found: { record: number; local: number; name: string }[] = [];
	for (let at = dv.getUint32(end + 16, true), k = 0; k < count; k++) {
		const nameLength = dv.getUint16(at + 28, true);
		found.push({
			record: at,
			local: dv.getUint32(at + 42, true),
			name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength))
		});
		at += 46 + nameLength + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
	}
	return found;
}

/** Where a field sits in a central record, in a local header, and its width in bytes. */
const FIELDS = { flags: [8, 6, 2], method: [10, 8, 2], size: [24, 22, 4] } as const;

/** A copy of the zip with the named entry's fields patched in its central record and local header alike. */
function patched(zip: Uint8Array, name: string, patch: Partial<Record<keyof typeof FIELDS, number>>): Uint8Array {
	const copy = zip.slice();
	const dv = view(copy);
	const entry = records(copy).find(r => r.name === name)!;
	for (const [field, value] of Object.entries(patch) as [keyof typeof FIELDS, number][]) {
		const [inRecord, inLocal, width] = FIELDS[field];
		for (const at of [entry.record + inRecord, entry.local + inLocal]) {
			if (width === 2) dv.setUint16(at, value, true);
			else dv.setUint32(at, value, true);
		}
	}
	return copy;
}

let bombZip: Uint8Array | undefined;
/** 100 MiB of zeros, deflated to about 100 KB, as a test's input. */
const bomb = () => (bombZip ??= zipSync({ "1.in": new Uint8Array(100 * MIB), "1.out": text("0\n") }, { level: 9 }));

describe("reading a zip of tests", () => {
	it("pairs <name>.in with <name>.out or .ans, samples first, then in natural order, skipping folders and macOS litter", () => {
		const zip = zipSync({
			tests: {
				"10.in": text("ten\n"),
				"10.out": text("10\n"),
				"2.in": text("two\n"),
				"2.ans": text("2\n"),
				"1.IN": text("one\n"),
				"1.Out": text("1\n")
			},
			samples: { "1.in": text("s\n"), "1.out": text("S\n") },
			__MACOSX: { tests: { "._2.in": new Uint8Array([0, 5, 22, 7, 0xff]) } },
			".DS_Store": new Uint8Array([0, 0, 0, 1, 0xbd])
		});
		assert.deepEqual(readTestArchive(zip), [
			{ name: "samples/1", input: "s\n", output: "S\n", sample: true, pretest: true },
			{ name: "tests/1", input: "one\n", output: "1\n", sample: false, pretest: false },
			{ name: "tests/2", input: "two\n", output: "2\n", sample: false, pretest: false },
			{ name: "tests/10", input: "ten\n", output: "10\n", sample: false, pretest: false }
		]);
	});

	it("marks tests in a pretests folder as pretests, and reads stored (uncompressed) entries", () => {
		const zip = zipSync({ pretests: { "a.in": text("1"), "a.out": text("2") }, "b.in": text("3"), "b.out": text("4") }, { level: 0 });
		assert.deepEqual(
			readTestArchive(zip).map(t => [t.name, t.pretest, t.sample]),
			[
				["b", false, false],
				["pretests/a", true, false]
			]
		);
	});

	it("reads archives written as a stream, with data descriptors (as macOS and many tools write them)", () => {
		const pieces: Uint8Array[] = [];
		const zip = new Zip((error, piece) => {
			assert.ifError(error);
			pieces.push(piece);
		});
		for (const [name, content] of [
			["1.in", "1 2\n"],
			["1.out", "3\n"]
		]) {
			const file = new ZipDeflate(name);
			zip.add(file);
			file.push(text(content), true);
		}
		zip.end();
		assert.deepEqual(readTestArchive(Buffer.concat(pieces)), [
			{ name: "1", input: "1 2\n", output: "3\n", sample: false, pretest: false }
		]);
	});

	it("keeps empty inputs and answers, and drops a leading byte-order mark", () => {
		const zip = zipSync({ "1.in": new Uint8Array(0), "1.out": new Uint8Array([0xef, 0xbb, 0xbf, 0x34]) });
		assert.deepEqual(readTestArchive(zip), [{ name: "1", input: "", output: "4", sample: false, pretest: false }]);
	});

	it("when an input has no answer, or an answer no input, then it refuses naming the file", () => {
		assertRefused(zipSync({ "1.in": text("1"), "1.out": text("1"), "2.in": text("2") }), "TESTS_UNPAIRED", {}, "2.in");
		assertRefused(zipSync({ "1.in": text("1"), "1.out": text("1"), "3.ans": text("3") }), "TESTS_UNPAIRED", {}, "3.ans");
	});

	it("when a test has both .out and .ans, or the same name twice, then it refuses", () => {
		assertRefused(zipSync({ "1.in": text("1"), "1.out": text("1"), "1.ans": text("1") }), "TESTS_DUPLICATE");
		assertRefused(zipSync({ "1.in": text("1"), "1.IN": text("1"), "1.out": text("1") }), "TESTS_DUPLICATE");
	});

	it("when a file is neither an input nor an answer then it refuses", () => {
		assertRefused(
			zipSync({ "1.in": text("1"), "1.out": text("1"), "README.txt": text("hi") }),
			"TESTS_UNEXPECTED_FILE",
			{},
			"README.txt"
		);
	});

	it("when the archive holds another archive, by its name or by its content, then it refuses", () => {
		const inner = zipSync({ "x.in": text("1") });
		assertRefused(zipSync({ "1.in": text("1"), "1.out": text("1"), "more.zip": inner }), "TESTS_NESTED_ARCHIVE", {}, "more.zip");
		assertRefused(zipSync({ "1.in": inner, "1.out": text("1") }), "TESTS_NESTED_ARCHIVE", {}, "1.in");
		assertRefused(zipSync({ "1.in": text("1"), "1.out": new Uint8Array([0x1f, 0x8b, 8, 0]) }), "TESTS_NESTED_ARCHIVE", {}, "1.out");
	});

	it("when a name climbs out with .. or is absolute then it refuses, whichever slash it uses", () => {
		for (const name of ["../1.in", "tests/../../1.in", "..\\1.in", "/etc/1.in", "C:\\tests\\1.in", "c:/1.in"]) {
			const files: Zippable = { "1.in": text("1"), "1.out": text("1"), [name]: text("x") };
			assertRefused(zipSync(files), "TESTS_UNSAFE_PATH", {}, name);
		}
	});

	it("when a file is not UTF-8 text then it refuses", () => {
		assertRefused(zipSync({ "1.in": new Uint8Array([0x31, 0xff, 0xfe]), "1.out": text("1") }), "TESTS_NOT_UTF8", {}, "1.in");
	});

	it("when there are more tests than allowed then it refuses", () => {
		const files: Zippable = {};
		for (let k = 1; k <= 3; k++) {
			files[`${k}.in`] = text(`${k}`);
			files[`${k}.out`] = text(`${k}`);
		}
		assertRefused(zipSync(files), "TESTS_TOO_MANY", { maxTests: 2 });
		assert.equal(readTestArchive(zipSync(files), { maxTests: 3 }).length, 3);
	});

	it("when the archive holds no test then it refuses", () => {
		assertRefused(zipSync({}), "TESTS_EMPTY");
		assertRefused(zipSync({ tests: {} }), "TESTS_EMPTY");
	});

	it("when a file is over the per-file limit then it refuses with 413", () => {
		const zip = zipSync({ "1.in": text("x".repeat(2000)), "1.out": text("1") });
		const error = assertRefused(zip, "TESTS_TOO_LARGE", { maxFileBytes: 1000 }, "1.in");
		assert.equal(error.code, 413);
		assert.equal(readTestArchive(zip, { maxFileBytes: 2000 }).length, 1);
	});

	it("when the files together are over the total limit then it refuses", () => {
		const files: Zippable = {};
		for (let k = 1; k <= 4; k++) {
			files[`${k}.in`] = text("y".repeat(300));
			files[`${k}.out`] = text("1");
		}
		assertRefused(zipSync(files), "TESTS_TOO_LARGE", { maxTotalBytes: 1000 });
		assert.equal(readTestArchive(zipSync(files), { maxTotalBytes: 1204 }).length, 4);
	});

	it("when a zip bomb (100 MiB of zeros) says its true size then it is refused before inflating", () => {
		const honest = bomb();
		const started = performance.now();
		assertRefused(honest, "TESTS_TOO_LARGE", {}, "1.in");
		assert.ok(performance.now() - started < 100, "refused from the directory, without inflating");
	});

	it("when a zip bomb lies that it is small then counting the inflated bytes stops it at the limit", () => {
		const liar = patched(bomb(), "1.in", { size: 10 });
		const started = performance.now();
		assertRefused(liar, "TESTS_TOO_LARGE", {}, "1.in");
		assert.ok(performance.now() - started < 2000, `stopped early (${Math.round(performance.now() - started)} ms)`);
	});

	it("when an archive inflates more than 200 times its size past 1 MiB then it refuses, even within the size limits", () => {
		const liar = patched(bomb(), "1.in", { size: 10 });
		const roomy = { maxFileBytes: 200 * MIB, maxTotalBytes: 200 * MIB };
		const error = assertRefused(liar, "TESTS_TOO_COMPRESSED", roomy, "1.in");
		assert.equal(error.code, 413);
		const repetitive = zipSync({ "1.in": text("7 ".repeat(400_000)), "1.out": text("7\n") });
		assert.equal(readTestArchive(repetitive, roomy).length, 1, "under 1 MiB inflated, any ratio passes");
	});

	it("when an entry is encrypted or compressed other than by deflate or store then it refuses", () => {
		const zip = zipSync({ "1.in": text("1 2 3"), "1.out": text("6") });
		assertRefused(patched(zip, "1.in", { flags: 1 }), "TESTS_INVALID_ARCHIVE", {}, "1.in");
		assertRefused(patched(zip, "1.out", { method: 14 }), "TESTS_INVALID_ARCHIVE", {}, "1.out");
	});

	it("when an entry's content does not match its size or checksum then it refuses as corrupt", () => {
		const zip = zipSync({ "1.in": text("1 2 3"), "1.out": text("6") }, { level: 0 });
		const local = records(zip).find(r => r.name === "1.in")!.local;
		const corrupt = zip.slice();
		corrupt[local + 30 + "1.in".length] = 0x39;
		assertRefused(corrupt, "TESTS_INVALID_ARCHIVE", {}, "1.in");
		assertRefused(patched(zip, "1.out", { size: 2 }), "TESTS_INVALID_ARCHIVE", {}, "1.out");
	});

	it("reads a deflated entry of no bytes as empty, and refuses one whose bytes do not inflate as corrupt", () => {
		const empty = patched(zipSync({ "1.in": new Uint8Array(0), "1.out": text("1") }, { level: 0 }), "1.in", { method: 8 });
		assert.equal(readTestArchive(empty)[0].input, "");
		const zip = zipSync({ "1.in": text("1 2 3 ".repeat(100)), "1.out": text("6") }, { level: 9 });
		const garbage = zip.slice();
		garbage[records(zip).find(r => r.name === "1.in")!.local + 30 + "1.in".length] = 0xff; // a final block of the reserved type
		const error = assertRefused(garbage, "TESTS_INVALID_ARCHIVE", {}, "1.in");
		assert.match(error.message, /does not inflate/);
	});

	it("when two entries share the same bytes (an overlapping bomb) then it refuses", () => {
		const zip = zipSync({ "1.in": text("1"), "1.out": text("1") });
		const [first, second] = records(zip);
		const crafted = zip.slice();
		view(crafted).setUint32(second.record + 42, first.local, true);
		assertRefused(crafted, "TESTS_INVALID_ARCHIVE");
	});

	it("when the zip is cut short or its directory points outside it then it refuses", () => {
		const zip = zipSync({ "1.in": text("1"), "1.out": text("1") });
		assertRefused(zip.subarray(0, zip.length - 30), "TESTS_INVALID_ARCHIVE");
		const pointing = zip.slice();
		view(pointing).setUint32(pointing.length - 22 + 16, zip.length, true);
		assertRefused(pointing, "TESTS_INVALID_ARCHIVE");
	});
});

describe("reading tests as JSON", () => {
	const json = (value: unknown) => text(JSON.stringify(value));

	it("keeps the order given, names tests by position, and makes samples pretests unless they say otherwise", () => {
		const upload = json({
			tests: [
				{ input: "1\n", output: "1\n", sample: true },
				{ input: "2\n", output: "4\n", sample: true, pretest: false },
				{ input: "3\n", output: "9\n", pretest: true, batch: 0 },
				{ input: "4\n", output: "16\n", batch: 1 }
			]
		});
		assert.deepEqual(readTestArchive(upload), [
			{ name: "1", input: "1\n", output: "1\n", sample: true, pretest: true },
			{ name: "2", input: "2\n", output: "4\n", sample: true, pretest: false },
			{ name: "3", input: "3\n", output: "9\n", sample: false, pretest: true, batch: 0 },
			{ name: "4", input: "4\n", output: "16\n", sample: false, pretest: false, batch: 1 }
		]);
	});

	it("reads JSON after a byte-order mark and whitespace", () => {
		const upload = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n {"tests": [{"input": "", "output": "x"}]}')]);
		assert.equal(readTestArchive(upload)[0].output, "x");
	});

	it("when it is not JSON of the right shape then it refuses, naming what is wrong", () => {
		assertRefused(text("{not json"), "TESTS_INVALID_JSON");
		assertRefused(json({ test: [] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: [], batches: [] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: [{ input: "1" }] }), "TESTS_INVALID_JSON", {}, "tests[0]");
		assertRefused(json({ tests: [{ input: "1", output: 1 }] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: [{ input: "1", output: "1", samples: true }] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: [{ input: "1", output: "1", sample: "yes" }] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: [{ input: "1", output: "1", batch: -1 }] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: [{ input: "1", output: "1", batch: 1.5 }] }), "TESTS_INVALID_JSON");
		assertRefused(json({ tests: ["1"] }), "TESTS_INVALID_JSON");
	});

	it("when it holds no test, or more than allowed, then it refuses", () => {
		assertRefused(json({ tests: [] }), "TESTS_EMPTY");
		const three = json({ tests: [1, 2, 3].map(k => ({ input: `${k}`, output: `${k}` })) });
		assertRefused(three, "TESTS_TOO_MANY", { maxTests: 2 });
	});

	it("when a text is over the per-file limit, or all over the total, counted in UTF-8 bytes, then it refuses", () => {
		assertRefused(
			json({ tests: [{ input: "é".repeat(600), output: "" }] }),
			"TESTS_TOO_LARGE",
			{ maxFileBytes: 1000 },
			"tests[0].input"
		);
		const tests = [1, 2, 3].map(() => ({ input: "z".repeat(400), output: "" }));
		assertRefused(json({ tests }), "TESTS_TOO_LARGE", { maxTotalBytes: 1000 });
		assert.equal(readTestArchive(json({ tests }), { maxTotalBytes: 1200 }).length, 3);
	});

	it("when the JSON's bytes are not UTF-8, or a string holds a lone surrogate, then it refuses", () => {
		assertRefused(
			Buffer.concat([Buffer.from('{"tests": [{"input": "'), Buffer.from([0xc3]), Buffer.from('", "output": ""}]}')]),
			"TESTS_NOT_UTF8"
		);
		assertRefused(text('{"tests": [{"input": "\\ud800", "output": ""}]}'), "TESTS_NOT_UTF8", {}, "tests[0].input");
	});
});

describe("an upload of tests", () => {
	it("when it is neither a zip nor JSON then it refuses with 422", () => {
		const error = assertRefused(text("hello"), "TESTS_INVALID_ARCHIVE");
		assert.equal(error.code, 422);
		assertRefused(new Uint8Array(0), "TESTS_INVALID_ARCHIVE");
	});
});
