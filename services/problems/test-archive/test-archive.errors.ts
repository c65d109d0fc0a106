import { Errors } from "moleculer";
import type { TestArchiveErrorType } from "./refusal";

export { TEST_ARCHIVE_ERROR_TYPES, type TestArchiveErrorType } from "./refusal";

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
