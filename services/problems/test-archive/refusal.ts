/**
 * Why an upload of tests was refused, each with its stable type:
 * - TESTS_INVALID_ARCHIVE: not a zip or JSON, corrupt, encrypted, multi-part, ZIP64 or an unknown compression;
 * - TESTS_INVALID_JSON: JSON that does not parse or is not `{tests: [{input, output, sample?, pretest?, batch?}]}`;
 * - TESTS_UNSAFE_PATH: a name with `..` or an absolute path;
 * - TESTS_NESTED_ARCHIVE: an archive inside the archive;
 * - TESTS_UNEXPECTED_FILE: a file that is neither an input (.in) nor an answer (.out, .ans);
 * - TESTS_UNPAIRED: an input without its answer, or an answer without its input;
 * - TESTS_DUPLICATE: two files for the same place (the same name twice, or both .out and .ans);
 * - TESTS_EMPTY: no test at all;
 * - TESTS_TOO_MANY, TESTS_TOO_LARGE: over the count, per-file or total limits, or the time and memory a read may take;
 * - TESTS_TOO_COMPRESSED: inflates far more than text does (a zip bomb, or tests better stored uncompressed);
 * - TESTS_NOT_UTF8: a file that is not UTF-8 text.
 */
export const TEST_ARCHIVE_ERROR_TYPES = [
	"TESTS_INVALID_ARCHIVE",
	"TESTS_INVALID_JSON",
	"TESTS_UNSAFE_PATH",
	"TESTS_NESTED_ARCHIVE",
	"TESTS_UNEXPECTED_FILE",
	"TESTS_UNPAIRED",
	"TESTS_DUPLICATE",
	"TESTS_EMPTY",
	"TESTS_TOO_MANY",
	"TESTS_TOO_LARGE",
	"TESTS_TOO_COMPRESSED",
	"TESTS_NOT_UTF8"
] as const;
export type TestArchiveErrorType = (typeof TEST_ARCHIVE_ERROR_TYPES)[number];

/**
 * A refusal as the readers throw it, which readTestArchive answers as TestArchiveError. Plain, without
 * moleculer: loading moleculer took a read's worker (read.worker.ts) ~170 ms of its ~300 ms start.
 */
export class TestArchiveRefusal extends Error {
	constructor(
		readonly type: TestArchiveErrorType,
		message: string,
		readonly file?: string
	) {
		super(message);
		this.name = "TestArchiveRefusal";
	}
}
