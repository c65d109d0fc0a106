import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { after, describe, it } from "node:test";
import { MAX_STREAMS_PER_USER, NotificationStreams } from "../../services/gateway/notification-streams";

/** What a stream writes, and whether it was ended; `close` is emitted as Node does after `end`. */
class FakeResponse extends EventEmitter {
	written = "";
	ended = false;
	writeHead() {
		return this;
	}
	write(chunk: string) {
		this.written += chunk;
		return true;
	}
	end(chunk?: string) {
		if (chunk) this.written += chunk;
		this.ended = true;
		queueMicrotask(() => this.emit("close"));
		return this;
	}
}

const alice = { id: "a1", sessionId: "s-alice-1" };
const aliceElsewhere = { id: "a1", sessionId: "s-alice-2" };
const bob = { id: "b1", sessionId: "s-bob-1" };

function open(streams: NotificationStreams, user: { id: string; sessionId: string }): FakeResponse {
	const res = new FakeResponse();
	streams.open(user, res as unknown as ServerResponse)([]);
	return res;
}

describe("notification streams on one gateway node", () => {
	const streams = new NotificationStreams();
	after(() => streams.close());

	it("when a session changes then its streams end with a close event, and other sessions' and users' stay", () => {
		const [mine, other, bobs] = [open(streams, alice), open(streams, aliceElsewhere), open(streams, bob)];
		streams.sessionsChanged([alice.sessionId]);
		assert.equal(mine.ended, true);
		assert.match(mine.written, /event: close\ndata: \{"reason":"session_changed"\}\n\n$/);
		assert.equal(other.ended, false);
		assert.equal(bobs.ended, false);
		assert.equal(streams.openCountOf(alice.id), 1);
		streams.sessionsChanged([aliceElsewhere.sessionId, bob.sessionId]);
		assert.equal(streams.openCount, 0);
	});

	it(`when a user opens stream ${MAX_STREAMS_PER_USER + 1} then their oldest ends (too_many_streams) and the others stay`, () => {
		const opened = Array.from({ length: MAX_STREAMS_PER_USER + 1 }, () => open(streams, bob));
		assert.deepEqual(
			opened.map(r => r.ended),
			[true, ...Array<boolean>(MAX_STREAMS_PER_USER).fill(false)]
		);
		assert.match(opened[0].written, /"reason":"too_many_streams"/);
		assert.equal(streams.openCountOf(bob.id), MAX_STREAMS_PER_USER);
		streams.sessionsChanged([bob.sessionId]);
	});

	it("when a session changed after a stream's check began then changedSince says so; a check begun later passes", () => {
		const before = performance.now();
		streams.sessionsChanged([alice.sessionId]);
		const later = performance.now() + 1;
		assert.equal(streams.changedSince(alice.sessionId, before), true);
		assert.equal(streams.changedSince(alice.sessionId, later), false);
		assert.equal(streams.changedSince("s-never-changed", 0), false);
	});
});
