import { readTests } from "./read-tests";
import { TestArchiveRefusal } from "./refusal";
import { TestArchiveError } from "./test-archive.errors";
import type { ArchivedTest, TestArchiveLimits } from "./test-archive.types";

export type { ArchivedTest, TestArchiveLimits } from "./test-archive.types";
export { DEFAULT_TEST_ARCHIVE_LIMITS } from "./test-archive.types";

/**
 * An organiser's upload of tests, a zip (see readTestsZip for its conventions) or JSON (see readTestsJson),
 * told apart by their first bytes. Refusals throw TestArchiveError. Synchronous and CPU-bound (inflating up to
 * the total limit): a service calls readTestArchiveInWorker (read-in-worker.ts) instead, off its event loop.
 */
export function readTestArchive(upload: Uint8Array, limits: Partial<TestArchiveLimits> = {}): ArchivedTest[] {
	try {
		return readTests(upload, limits);
	} catch (error) {
		throw error instanceof TestArchiveRefusal ? new TestArchiveError(error.type, error.message, error.file) : error;
	}
}
