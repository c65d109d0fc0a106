import { Errors } from "moleculer";

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
 * - TESTS_TOO_MANY, TESTS_TOO_LARGE: over the count, per-file or total limits;
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

/** Too much is 413 (Payload Too Large); anything else is content the server understood and refuses, 422. */
const STATUS_OF_TOO_MUCH = 413;
const STATUS_OF_REFUSED = 422;
const TOO_MUCH: ReadonlySet<TestArchiveErrorType> = new Set(["TESTS_TOO_MANY", "TESTS_TOO_LARGE", "TESTS_TOO_COMPRESSED"]);

/** A refused upload of tests: a stable type, a message for the organiser, and `data.file` naming the file at fault when one is. */
export class TestArchiveError extends Errors.MoleculerClientError {
	declare type: TestArchiveErrorType;

	constructor(type: TestArchiveErrorType, message: string, file?: string) {
		super(message, TOO_MUCH.has(type) ? STATUS_OF_TOO_MUCH : STATUS_OF_REFUSED, type, file === undefined ? undefined : { file });
		this.name = "TestArchiveError";
	}
}
