import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, it } from "node:test";
import { ServiceBroker } from "moleculer";
import { ConfigError, loadConfig } from "../../config";
import { type LogFormat, loggerOptions } from "../../lib/logger";
import { capture } from "../helpers/capture";

/** A broker logging through our logger options into a captured stream; never started. */
function brokerLoggingAs(format: LogFormat) {
	const out = capture();
	const broker = new ServiceBroker({
		nodeID: "unit-node",
		logger: loggerOptions("info", { format, destination: out.stream, colorize: false })
	});
	return { broker, out };
}

describe("log format", () => {
	it("when stdout is a terminal then logs are pretty; when it is not then they are JSON", () => {
		assert.equal(loadConfig({}, { stdoutIsTTY: true }).logFormat, "pretty");
		assert.equal(loadConfig({}, { stdoutIsTTY: false }).logFormat, "json");
	});

	it("when LOG_FORMAT is set then it wins over the terminal, either way", () => {
		assert.equal(loadConfig({ LOG_FORMAT: "json" }, { stdoutIsTTY: true }).logFormat, "json");
		assert.equal(loadConfig({ LOG_FORMAT: "pretty" }, { stdoutIsTTY: false }).logFormat, "pretty");
	});

	it("when LOG_FORMAT is neither pretty nor json then loading fails naming the variable and the choices", () => {
		assert.throws(
			() => loadConfig({ LOG_FORMAT: "yaml" }, { stdoutIsTTY: true }),
			(err: Error) => {
				assert.ok(err instanceof ConfigError);
				assert.match(err.message, /LOG_FORMAT: .*"pretty".*"json"/);
				return true;
			}
		);
	});

	it("when pretty then each line reads time, level, node/MODULE and message, with an error's stack below it", async () => {
		const { broker, out } = brokerLoggingAs("pretty");
		broker.logger.info("Ready to learn");
		broker.logger.error("Start-up failed", new Error("port taken"));
		await nextTurn();
		assert.match(out.text(), /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: unit-node\/BROKER: Ready to learn$/m);
		assert.match(out.text(), /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] ERROR: unit-node\/BROKER: Start-up failed$/m);
		assert.match(out.text(), /Error: port taken\n\s+at /);
		assert.doesNotMatch(out.text(), /^\{/m);
	});

	it("when JSON then each line is one object with the node, module and message as fields", async () => {
		const { broker, out } = brokerLoggingAs("json");
		broker.logger.info("Ready to learn", { port: 8080 });
		await nextTurn();
		const lines = out
			.text()
			.trim()
			.split("\n")
			.map(line => JSON.parse(line));
		const line = lines.find(l => l.msg === "Ready to learn");
		assert.ok(line, out.text());
		assert.equal(line.level, 30);
		assert.equal(line.nodeID, "unit-node");
		assert.equal(line.mod, "broker");
		assert.equal(line.port, 8080);
	});
});
