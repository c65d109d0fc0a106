/** One test as an upload gives it. */
export interface ArchivedTest {
	/** Its name: the path without extension in a zip ("samples/1"), its position from 1 in JSON ("3"). */
	name: string;
	input: string;
	output: string;
	sample: boolean;
	pretest: boolean;
	/** Its batch, an index into the problem's batches from 0 (JSON only: a zip names no batches). */
	batch?: number;
}

export interface TestArchiveLimits {
	maxTests: number;
	/** Bytes of one input or answer, inflated. */
	maxFileBytes: number;
	/** Bytes of all inputs and answers together, inflated. */
	maxTotalBytes: number;
	/** Inflated bytes per byte of archive above which an archive is refused, once past `ratioCheckedFromBytes`. */
	maxCompressionRatio: number;
	/** Below this many inflated bytes no ratio is refused: a small archive cannot hurt, whatever its ratio. */
	ratioCheckedFromBytes: number;
}

const MIB = 1024 * 1024;

/** A byte count as a message shows a limit: "8 MiB", "0.5 MiB". */
export const inMiB = (bytes: number): string => `${Math.round((bytes / MIB) * 100) / 100} MiB`;

/**
 * 200 tests, 8 MiB a file, 64 MiB in all. Text deflates 3 to 10 times; 200:1 past 1 MiB is a zip bomb or
 * tests of one repeated value, which can be stored uncompressed (`zip -0`) or sent as JSON instead.
 */
export const DEFAULT_TEST_ARCHIVE_LIMITS: Readonly<TestArchiveLimits> = {
	maxTests: 200,
	maxFileBytes: 8 * MIB,
	maxTotalBytes: 64 * MIB,
	maxCompressionRatio: 200,
	ratioCheckedFromBytes: MIB
};
