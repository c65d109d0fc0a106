import { readTestsJson } from "./json-tests";
import { TestArchiveRefusal } from "./refusal";
import { type ArchivedTest, DEFAULT_TEST_ARCHIVE_LIMITS, type TestArchiveLimits } from "./test-archive.types";
import { readTestsZip } from "./zip-tests";

/** readTestArchive (index.ts) as its worker runs it: refusals throw TestArchiveRefusal, and moleculer is not loaded. */
export function readTests(upload: Uint8Array, limits: Partial<TestArchiveLimits> = {}): ArchivedTest[] {
	const all: TestArchiveLimits = { ...DEFAULT_TEST_ARCHIVE_LIMITS, ...limits };
	if (startsWith(upload, ZIP_MAGIC) || startsWith(upload, EMPTY_ZIP_MAGIC)) return readTestsZip(upload, all);
	if (looksLikeJson(upload)) return readTestsJson(upload, all);
	throw new TestArchiveRefusal("TESTS_INVALID_ARCHIVE", "Upload the tests as a zip archive or as JSON");
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06];
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];
const OPEN_BRACE = 0x7b;

const startsWith = (bytes: Uint8Array, magic: readonly number[], from = 0) =>
	magic.length + from <= bytes.length && magic.every((byte, k) => bytes[from + k] === byte);

/** JSON of an object: `{` first, after a byte-order mark and whitespace. */
function looksLikeJson(bytes: Uint8Array): boolean {
	let at = startsWith(bytes, BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length : 0;
	while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
	return bytes[at] === OPEN_BRACE;
}
