import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { freePorts, startNode } from "../helpers/processes";

const EXIT_DEADLINE_MS = 60_000;

/** Starts server.ts with the environment and waits for it to exit on its own. */
async function exitOf(env: Record<string, string>) {
	const [port] = await freePorts(1);
	const node = startNode({ name: "misconfigured", env: { LOG_LEVEL: "warn", PORT: String(port), ...env } });
	const timer = setTimeout(() => void node.stop("SIGKILL"), EXIT_DEADLINE_MS);
	const exit = await node.exited;
	clearTimeout(timer);
	return { code: exit.code, output: node.output() };
}

describe("start-up errors are clear and stop the process", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "codelearn-startup-errors-"));

	after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

	it("when JWT_SECRET is missing in production then exit 1 naming it", async () => {
		const { code, output } = await exitOf({ NODE_ENV: "production", DATA_DIR: dataDir });
		assert.equal(code, 1);
		assert.match(output, /Invalid configuration:\n\s+JWT_SECRET: is required outside development/);
	});

	it("when variables are malformed then exit 1 listing each of them", async () => {
		const { code, output } = await exitOf({ TRANSPORTER: "kafka://broker", CACHER: "memcached", DATA_DIR: dataDir });
		assert.equal(code, 1);
		assert.match(output, /TRANSPORTER: must be a URL/);
		assert.match(output, /CACHER:/);
	});

	it("when the metrics port is taken then exit 1 saying which variable to change", async () => {
		const blocker = net.createServer().listen(0, "127.0.0.1");
		await new Promise(resolve => blocker.once("listening", resolve));
		const taken = (blocker.address() as net.AddressInfo).port;
		try {
			const { code, output } = await exitOf({ METRICS_PORT: String(taken), DATA_DIR: dataDir });
			assert.equal(code, 1);
			assert.match(output, new RegExp(`metrics port ${taken} on 127\\.0\\.0\\.1 is already in use.*METRICS_PORT`));
		} finally {
			blocker.close();
		}
	});
});
