import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServiceBroker } from "moleculer";
import { bannerLines, printBanner, urlHost, urlsOf } from "../../broker/banner";
import { loadConfig } from "../../config";
import { loggerOptions } from "../../lib/logger";
import { capture } from "../helpers/capture";

const METRICS_ON = { enabled: true, port: 3030 };

/** The banner as a node prints it: a broker that was never started, so the configured port stands. */
function printed(env: Record<string, string>) {
	const c = loadConfig({ PORT: "8080", ...env }, { stdoutIsTTY: false });
	const logs = capture();
	const stdout = capture();
	const broker = new ServiceBroker({ nodeID: "unit-node", logger: loggerOptions("info", { format: "json", destination: logs.stream }) });
	printBanner(broker, c, stdout.stream);
	return { logs: logs.text(), stdout: stdout.text() };
}

describe("start banner", () => {
	it("when the host is a wildcard address then the URLs name loopback, which a browser can open", () => {
		assert.equal(urlHost("0.0.0.0"), "127.0.0.1");
		assert.equal(urlHost("::"), "127.0.0.1");
		assert.equal(urlsOf("0.0.0.0", 8080, METRICS_ON).web, "http://127.0.0.1:8080/");
	});

	it("when the host is a name or an address then it stays, an IPv6 one in brackets", () => {
		assert.equal(urlHost("127.0.0.1"), "127.0.0.1");
		assert.equal(urlHost("localhost"), "localhost");
		assert.equal(urlHost("::1"), "[::1]");
		assert.deepEqual(urlsOf("::1", 8080, METRICS_ON), {
			web: "http://[::1]:8080/",
			docs: "http://[::1]:8080/api/docs",
			metrics: "http://[::1]:3030/metrics"
		});
	});

	it("when metrics are off, or on a port picked at start, then the banner names no metrics URL", () => {
		assert.equal(urlsOf("127.0.0.1", 8080, { enabled: false, port: 3030 }).metrics, null);
		assert.equal(urlsOf("127.0.0.1", 8080, { enabled: true, port: 0 }).metrics, null);
		const lines = bannerLines(urlsOf("127.0.0.1", 8080, { enabled: false, port: 3030 }));
		assert.ok(lines.includes("    Web client  http://127.0.0.1:8080/"), lines.join("\n"));
		assert.ok(lines.includes("    API docs    http://127.0.0.1:8080/api/docs"));
		assert.ok(!lines.some(line => line.includes("Metrics")));
	});

	it("when the logs are pretty then the banner is plain lines on stdout and no log line", () => {
		const { logs, stdout } = printed({ LOG_FORMAT: "pretty", HOST: "0.0.0.0" });
		assert.match(stdout, /^ {4}Web client {2}http:\/\/127\.0\.0\.1:8080\/$/m);
		assert.match(stdout, /^ {4}Metrics {5}http:\/\/127\.0\.0\.1:3030\/metrics$/m);
		assert.doesNotMatch(logs, /Code-Learn is running/);
	});

	it("when the logs are JSON then the banner is one info line with the URLs as fields, and nothing on stdout", () => {
		const { logs, stdout } = printed({ LOG_FORMAT: "json" });
		assert.equal(stdout, "");
		const banner = logs
			.trim()
			.split("\n")
			.map(line => JSON.parse(line))
			.filter(line => line.msg === "Code-Learn is running");
		assert.equal(banner.length, 1);
		assert.equal(banner[0].level, 30);
		assert.equal(banner[0].web, "http://127.0.0.1:8080/");
		assert.equal(banner[0].docs, "http://127.0.0.1:8080/api/docs");
		assert.equal(banner[0].metrics, "http://127.0.0.1:3030/metrics");
	});

	it("when the node runs no gateway then it prints no banner", () => {
		const { logs, stdout } = printed({ SERVICES: "users", LOG_FORMAT: "pretty" });
		assert.equal(stdout, "");
		assert.doesNotMatch(logs, /Code-Learn is running/);
	});
});
