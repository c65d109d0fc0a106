import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { encodeFrame, FrameQueue, FrameReader } from "./frames";

describe("FrameReader", () => {
	it("cuts frames split across chunks at any byte, and several in one chunk", () => {
		const bytes = Buffer.concat([encodeFrame("O", "hello"), encodeFrame("X", "0"), encodeFrame("D"), encodeFrame("E", "é")]);
		for (let cut = 0; cut <= bytes.length; cut++) {
			const reader = new FrameReader();
			const frames = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
			assert.deepEqual(
				frames.map(frame => [frame.kind, frame.payload.toString("utf8")]),
				[
					["O", "hello"],
					["X", "0"],
					["D", ""],
					["E", "é"]
				],
				`cut at ${cut}`
			);
		}
	});
});

describe("FrameQueue", () => {
	it("hands frames over in order, then fails every wait once the channel fails", async () => {
		const queue = new FrameQueue();
		const first = queue.next();
		queue.push({ kind: "R", payload: Buffer.alloc(0) });
		queue.push({ kind: "F", payload: Buffer.from("2") });
		assert.equal((await first).kind, "R");
		queue.fail(new Error("closed"));
		assert.equal((await queue.next()).kind, "F");
		await assert.rejects(queue.next(), /closed/);
	});
});
