/**
 * readTestArchive off the event loop: reading an archive up to the limits (64 MiB inflated) takes the CPU
 * for 0.1–0.3 s, which on the service's own thread stalls every call and the health probe.
 *
 * A fresh worker per read, not a pool (piscina and the like): uploads are rare, so ~0.1 s to start a
 * worker costs little (its code loads without moleculer, see refusal.ts), and a read at its time limit
 * is ended by terminating its worker, with nothing to replace or clean up; its heap goes with it.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { TestArchiveError } from "./test-archive.errors";
import type { ArchivedTest, TestArchiveLimits } from "./test-archive.types";
import type { ReadWorkerAnswer, ReadWorkerData } from "./read.worker";

// Workers inherit `--import tsx` in development; the built code runs the compiled .js file.
const READ_WORKER_FILE = path.join(__dirname, `read.worker${path.extname(__filename)}`);

export interface ReadBounds {
	/** From the worker's start to its answer: under the call's default deadline (3 s), so the organiser hears why. */
	timeLimitMs: number;
	/** The worker's JavaScript heap: the tests' text, ≤ 64 MiB as one-byte strings (typed arrays live outside it). */
	maxHeapMb: number;
}

/** The largest archive within the limits reads in ~0.4 s, the worker's start included, on an idle machine. */
export const READ_BOUNDS: Readonly<ReadBounds> = { timeLimitMs: 2000, maxHeapMb: 256 };

/** Reads at once per process; more wait their turn, as they did when reads were synchronous (bounding their memory). */
const MAX_READS = 2;
let reading = 0;
const waiting: (() => void)[] = [];

/**
 * The upload's tests, as readTestArchive reads them, with its TestArchiveError as it threw it. Past the time
 * or memory bound the upload is refused as TESTS_TOO_LARGE. The upload's bytes move to the worker: the caller
 * must not use them afterwards.
 */
export async function readTestArchiveInWorker(
	upload: Uint8Array,
	limits: Partial<TestArchiveLimits> = {},
	bounds: Readonly<ReadBounds> = READ_BOUNDS
): Promise<ArchivedTest[]> {
	if (reading >= MAX_READS) await new Promise<void>(resolve => waiting.push(resolve));
	else reading++;
	try {
		return await readOnce(upload, limits, bounds);
	} finally {
		// The turn passes on to the next in line, or is given back.
		const next = waiting.shift();
		if (next) next();
		else reading--;
	}
}

function readOnce(upload: Uint8Array, limits: Partial<TestArchiveLimits>, bounds: Readonly<ReadBounds>): Promise<ArchivedTest[]> {
	// Moved, not copied, unless they share their buffer (a small Buffer lives in Node's pool); Buffer#slice would not copy.
	const bytes = upload.byteOffset === 0 && upload.byteLength === upload.buffer.byteLength ? upload : new Uint8Array(upload);
	return new Promise((resolve, reject) => {
		const worker = new Worker(READ_WORKER_FILE, {
			workerData: { upload: bytes, limits } satisfies ReadWorkerData,
			transferList: [bytes.buffer as ArrayBuffer],
			resourceLimits: { maxOldGenerationSizeMb: bounds.maxHeapMb }
		});
		let settled = false;
		const settle = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			outcome();
		};
		const timer = setTimeout(() => {
			settle(() => reject(tooMuch(`The tests took longer than ${bounds.timeLimitMs / 1000} s to read`)));
			void worker.terminate();
		}, bounds.timeLimitMs);
		worker.once("message", (answer: ReadWorkerAnswer) =>
			settle(() => {
				if ("tests" in answer) resolve(answer.tests);
				else reject(new TestArchiveError(answer.refused.type, answer.refused.message, answer.refused.file));
			})
		);
		worker.once("error", (error: Error & { code?: string }) =>
			settle(() => reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? tooMuch("The tests took too much memory to read") : error))
		);
		worker.once("exit", code => settle(() => reject(new Error(`The tests' reader exited with code ${code} before it answered`))));
	});
}

const tooMuch = (why: string) => new TestArchiveError("TESTS_TOO_LARGE", `${why}; upload fewer or smaller tests`);
