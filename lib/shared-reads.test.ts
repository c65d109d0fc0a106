import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SharedReads } from "./shared-reads";

/** A run the test finishes by hand, numbered in order of start. */
function runs() {
	const started: { finish(value: number): void; fail(err: Error): void }[] = [];
	const run = () =>
		new Promise<number>((resolve, reject) => {
			const n = started.length + 1;
			started.push({ finish: () => resolve(n), fail: reject });
		});
	return { started, run };
}

const tick = () => new Promise(resolve => setImmediate(resolve));

describe("SharedReads", () => {
	it("when reads of a key arrive while one runs then they share the next run, which starts once it is done", async () => {
		const reads = new SharedReads<number>();
		const { started, run } = runs();
		const first = reads.read("k", run);
		const second = reads.read("k", run);
		const third = reads.read("k", run);
		assert.equal(started.length, 1, "one run at a time");
		started[0].finish(0);
		assert.equal(await first, 1);
		await tick();
		assert.equal(started.length, 2, "the waiting reads' run starts after the first");
		started[1].finish(0);
		assert.deepEqual([await second, await third], [2, 2], "shared, and never the run that started before them");
		const fourth = reads.read("k", run);
		assert.equal(started.length, 3, "idle again: a new read runs at once");
		started[2].finish(0);
		assert.equal(await fourth, 3);
	});

	it("when keys differ or a run fails then each key runs on its own and the failure goes to its readers only", async () => {
		const reads = new SharedReads<number>();
		const { started, run } = runs();
		const a = reads.read("a", run);
		const b = reads.read("b", run);
		assert.equal(started.length, 2);
		started[0].fail(new Error("down"));
		started[1].finish(0);
		await assert.rejects(a, /down/);
		assert.equal(await b, 2);
		const again = reads.read("a", run);
		await tick();
		started[2].finish(0);
		assert.equal(await again, 3, "a failed run does not stay");
	});
});
