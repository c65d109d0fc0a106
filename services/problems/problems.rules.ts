import { fieldError } from "../../lib/errors";
import { type CreateProblemParams, MAX_SOURCE_BYTES } from "./problems.types";

/** Submissions of one user waiting or being judged at once: a stranger cannot fill the judges' queue. */
export const MAX_UNFINISHED_PER_USER = 5;

/** The schema bounds characters; a source is bounded in bytes (64 KiB of UTF-8). */
export function checkSourceBytes(source: string) {
	if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) throw fieldError("source", "stringMax", "A source holds at most 64 KiB");
}

/** Tests name batches the problem has, and with batches every test names one. */
export function checkBatches(tests: readonly { batch?: number }[], batches: readonly unknown[]) {
	tests.forEach((test, i) => {
		if (batches.length && test.batch === undefined)
			throw fieldError(`tests[${i}].batch`, "batch", "With batches, every test names its batch");
		if (test.batch !== undefined && test.batch >= batches.length) throw fieldError(`tests[${i}].batch`, "batch", "No such batch");
	});
}

/** A problem's parts must agree: batches exist for the tests naming them, a custom checker has its program. */
export function checkConsistent(params: CreateProblemParams) {
	const { checker, batches, tests } = params;
	if (checker.kind === "custom" && (!checker.language || !checker.source))
		throw fieldError("checker", "customChecker", "A custom checker needs its language and source");
	if (checker.kind !== "custom" && (checker.language || checker.source))
		throw fieldError("checker", "builtInChecker", "Only a custom checker takes a language and source");
	if (checker.kind !== "floats" && (checker.absolute !== undefined || checker.relative !== undefined))
		throw fieldError("checker", "floatsOnly", "Only the floats checker takes a tolerance");
	checkBatches(tests, batches);
}
