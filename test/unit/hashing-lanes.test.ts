import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HashingLane, hashingLanes } from "../../services/users/hashing-lanes";

/** Work that finishes when the test says so. */
function gate() {
	let open!: () => void;
	const opened = new Promise<void>(resolve => (open = resolve));
	return { open, work: () => opened };
}

describe("hashing lanes", () => {
	it("when a lane's slots are busy then work waits its turn, in order, and runs when a slot frees", async () => {
		const lane = new HashingLane(1, 5);
		const first = gate();
		const order: string[] = [];
		const running = lane.run(async () => (await first.work(), order.push("first")));
		const queued = lane.run(async () => order.push("second"));
		assert.deepEqual(lane.stats(), { running: 1, queued: 1 });
		first.open();
		await Promise.all([running, queued]);
		assert.deepEqual(order, ["first", "second"]);
		assert.deepEqual(lane.stats(), { running: 0, queued: 0 });
	});

	it("when a lane's queue is full then the next caller gets 429 at once, with Retry-After", async () => {
		const lane = new HashingLane(1, 1);
		const blocker = gate();
		const held = [lane.run(blocker.work), lane.run(blocker.work)];
		await assert.rejects(
			lane.run(async () => "never"),
			(err: { code: number; data: { retryAfter: number } }) => {
				assert.equal(err.code, 429);
				assert.equal(err.data.retryAfter, 1);
				return true;
			}
		);
		blocker.open();
		await Promise.all(held);
	});

	it("when work fails then its slot is given back", async () => {
		const lane = new HashingLane(1, 1);
		await assert.rejects(
			lane.run(async () => Promise.reject(new Error("boom"))),
			/boom/
		);
		assert.equal(await lane.run(async () => "ran"), "ran");
		assert.deepEqual(lane.stats(), { running: 0, queued: 0 });
	});

	it("when the account lane is full then logins still run: each kind of work has its own lane", async () => {
		const lanes = hashingLanes();
		const flood = gate();
		const registrations = Array.from({ length: lanes.account.slots + lanes.account.maxQueue }, () => lanes.account.run(flood.work));
		await assert.rejects(lanes.account.run(flood.work), { code: 429 });
		assert.equal(await lanes.login.run(async () => "logged in"), "logged in");
		flood.open();
		await Promise.all(registrations);
	});
});
