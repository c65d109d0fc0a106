import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childEntry, childExecArgv } from "./child-entry";

describe("childExecArgv", () => {
	it("keeps only the flags that load code, each once, and adds --no-node-snapshot", () => {
		const parent = [
			"--test-isolation=process",
			"--inspect-port=127.0.0.1:9229",
			"--import=tsx",
			"--node-snapshot",
			"--import",
			"tsx",
			"-r",
			"./setup.js",
			"--conditions=development",
			"--stack-trace-limit=10"
		];
		assert.deepEqual(childExecArgv(parent), ["--import=tsx", "--require=./setup.js", "--conditions=development", "--no-node-snapshot"]);
	});

	it("ignores a value flag with no value", () => {
		assert.deepEqual(childExecArgv(["--import"]), ["--no-node-snapshot"]);
	});
});

describe("childEntry", () => {
	it("names the child beside this file, with this file's extension", () => {
		assert.match(childEntry().path, /[/\\]services[/\\]judge[/\\]sandbox[/\\]javascript[/\\]host-child\.ts$/);
	});
});
