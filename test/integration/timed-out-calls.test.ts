import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../config";
import { brokerOptions } from "../../moleculer.config";
import { TEST_ENV } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

describe("remote calls that time out", { skip: unavailable("nats") }, () => {
	it("when a remote call times out then the caller gets 504-class RequestTimeoutError and still stops promptly", async () => {
		const namespace = `t${randomBytes(4).toString("hex")}`;
		const options = (nodeID: string) =>
			brokerOptions(
				loadConfig({
					...TEST_ENV,
					NAMESPACE: namespace,
					NODE_ID: nodeID,
					TRANSPORTER: TEST_SERVICES.nats,
					EVENTS_AMQP_URL: TEST_SERVICES.amqp,
					REQUEST_TIMEOUT_MS: "300",
					SERVICES: "users"
				})
			);
		const slow = new ServiceBroker(options(`${namespace}-slow`));
		let release: () => void = () => {};
		slow.createService({
			name: "slow",
			actions: { wait: () => new Promise<void>(resolve => (release = resolve)) }
		});
		const caller = new ServiceBroker(options(`${namespace}-caller`));
		await Promise.all([slow.start(), caller.start()]);
		try {
			await caller.waitForServices("slow", 10_000);
			await assert.rejects(caller.call("slow.wait"), { name: "RequestTimeoutError" });
			// The tracker must not wait for the abandoned call: stopping takes far less than its 10 s budget.
			const started = performance.now();
			await caller.stop();
			assert.ok(performance.now() - started < 3000, `stop took ${Math.round(performance.now() - started)} ms`);
		} finally {
			release();
			await slow.stop();
		}
	});
});
