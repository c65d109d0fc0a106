import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCounterStore } from "../../lib/counter-store";
import { RegistrationThrottle } from "../../services/users/registration-throttle";

describe("registration throttle", () => {
	it("when a client registers past the limit then 429 with the seconds left in the window; other clients go on", async () => {
		const throttle = new RegistrationThrottle(createCounterStore(null, ""), { maxPerClient: 2, windowS: 60 });
		await throttle.attempt("192.0.2.1");
		await throttle.attempt("192.0.2.1");
		await assert.rejects(throttle.attempt("192.0.2.1"), (err: { code: number; type: string; data: { retryAfter: number } }) => {
			assert.equal(err.code, 429);
			assert.equal(err.type, "TOO_MANY_REQUESTS");
			assert.ok(err.data.retryAfter > 0 && err.data.retryAfter <= 60);
			return true;
		});
		await throttle.attempt("192.0.2.2");
		await throttle.attempt("2001:db8:1:2::/64");
	});
});
