import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";

/** Polls until `ok` holds for what `probe` returns; fails at the deadline with the last value. */
export async function eventually<T>(
	what: string,
	probe: () => Promise<T>,
	ok: (value: T) => boolean,
	timeoutMs: number,
	everyMs = 50
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (ok(value)) return value;
		if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
		await delay(everyMs);
	}
}
