/** Reads one upload of tests for read-in-worker.ts, off the service's event loop, and exits. */
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { readTests } from "./read-tests";
import { TestArchiveRefusal, type TestArchiveErrorType } from "./refusal";
import type { ArchivedTest, TestArchiveLimits } from "./test-archive.types";

export interface ReadWorkerData {
	upload: Uint8Array;
	limits: Partial<TestArchiveLimits>;
}

/** A refusal travels as its fields (a class does not survive postMessage): the main thread makes it a TestArchiveError. */
export type ReadWorkerAnswer = { tests: ArchivedTest[] } | { refused: { type: TestArchiveErrorType; message: string; file?: string } };

// The lowest priority, for this thread only (Linux's nice is per thread): on a busy node the service's own thread,
// its health probe with it, goes first.
setPriority(0, 19);

const { upload, limits } = workerData as ReadWorkerData;
let answer: ReadWorkerAnswer;
try {
	answer = { tests: readTests(upload, limits) };
} catch (error) {
	// Anything else is a bug: thrown, it reaches the main thread as the worker's "error".
	if (!(error instanceof TestArchiveRefusal)) throw error;
	answer = { refused: { type: error.type, message: error.message, file: error.file } };
}
parentPort!.postMessage(answer);
