import { TestArchiveRefusal } from "./refusal";
import { type ArchivedTest, inMiB, type TestArchiveLimits } from "./test-archive.types";
import { decodeUtf8 } from "./utf8";

const TEST_FIELDS = new Set(["input", "output", "sample", "pretest", "batch"]);
const SHAPE = 'expected {"tests": [{"input": "...", "output": "...", "sample"?: true, "pretest"?: true, "batch"?: 0}]}';

/**
 * Tests written out as JSON: `{tests: [{input, output, sample?, pretest?, batch?}]}`, kept in the order given.
 * Unknown fields are refused (a misspelt "samples" would otherwise be lost). A sample is a pretest unless
 * it says `pretest: false`; `batch` is an index into the problem's batches, from 0. The size of the JSON
 * itself is the upload's limit (the gateway's); the tests' bytes are counted here as UTF-8.
 */
export function readTestsJson(json: string | Uint8Array, limits: TestArchiveLimits): ArchivedTest[] {
	const text = typeof json === "string" ? json : decodeUtf8(json, "The JSON");
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw invalid(`The tests are not valid JSON: ${SHAPE}`);
	}
	if (!isRecord(parsed) || !Array.isArray(parsed.tests)) throw invalid(`The JSON has no "tests" list: ${SHAPE}`);
	const extra = Object.keys(parsed).find(key => key !== "tests");
	if (extra !== undefined) throw invalid(`"${extra}" is not read: ${SHAPE}`);
	const tests: unknown[] = parsed.tests;
	if (tests.length === 0) throw new TestArchiveRefusal("TESTS_EMPTY", "The JSON holds no test");
	if (tests.length > limits.maxTests) {
		throw new TestArchiveRefusal("TESTS_TOO_MANY", `The JSON holds ${tests.length} tests; at most ${limits.maxTests} are allowed`);
	}
	let total = 0;
	const counted = (value: string, at: string): string => {
		if (!value.isWellFormed())
			throw new TestArchiveRefusal("TESTS_NOT_UTF8", `${at} holds a lone surrogate, which is not UTF-8 text`, at);
		const bytes = Buffer.byteLength(value, "utf8");
		if (bytes > limits.maxFileBytes) {
			throw new TestArchiveRefusal("TESTS_TOO_LARGE", `${at} is larger than ${inMiB(limits.maxFileBytes)}`, at);
		}
		total += bytes;
		if (total > limits.maxTotalBytes) {
			throw new TestArchiveRefusal("TESTS_TOO_LARGE", `The tests add up to more than ${inMiB(limits.maxTotalBytes)}`, at);
		}
		return value;
	};
	return tests.map((test, index) => {
		const at = `tests[${index}]`;
		const { input, output, sample, pretest, batch } = fieldsOf(test, at);
		const archived: ArchivedTest = {
			name: String(index + 1),
			input: counted(input, `${at}.input`),
			output: counted(output, `${at}.output`),
			sample,
			pretest: pretest ?? sample
		};
		if (batch !== undefined) archived.batch = batch;
		return archived;
	});
}

const invalid = (message: string, at?: string) => new TestArchiveRefusal("TESTS_INVALID_JSON", message, at);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function fieldsOf(test: unknown, at: string): { input: string; output: string; sample: boolean; pretest?: boolean; batch?: number } {
	if (!isRecord(test)) throw invalid(`${at} is not an object: ${SHAPE}`, at);
	const unknown = Object.keys(test).find(key => !TEST_FIELDS.has(key));
	if (unknown !== undefined) throw invalid(`${at}.${unknown} is not a field of a test (input, output, sample, pretest, batch)`, at);
	const { input, output, sample, pretest, batch } = test;
	if (typeof input !== "string") throw invalid(`${at}.input must be a string`, at);
	if (typeof output !== "string") throw invalid(`${at}.output must be a string`, at);
	if (sample !== undefined && typeof sample !== "boolean") throw invalid(`${at}.sample must be true or false`, at);
	if (pretest !== undefined && typeof pretest !== "boolean") throw invalid(`${at}.pretest must be true or false`, at);
	if (batch !== undefined && !(Number.isSafeInteger(batch) && (batch as number) >= 0)) {
		throw invalid(`${at}.batch must be a whole number from 0`, at);
	}
	return { input, output, sample: sample ?? false, pretest, batch: batch as number | undefined };
}
