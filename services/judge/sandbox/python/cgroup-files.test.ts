import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keyedValue, ownerIsGone } from "./cgroup-files";

describe("keyedValue", () => {
	it("reads v1 memory.oom_control and v2 memory.events / cpu.stat", () => {
		assert.equal(keyedValue("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", "oom_kill"), 2);
		assert.equal(keyedValue("low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n", "oom_kill"), 1);
		assert.equal(keyedValue("usage_usec 12345\nuser_usec 10000\n", "usage_usec"), 12345);
		assert.equal(keyedValue("oom_kill_disable 0\nunder_oom 0\n", "oom_kill"), null);
	});
});

describe("ownerIsGone", () => {
	it("sweeps only cgroups named after a process that no longer exists", () => {
		assert.equal(ownerIsGone(`${process.pid}-1-abcdef`), false);
		assert.equal(ownerIsGone("4194303-1-abcdef"), true);
		assert.equal(ownerIsGone("someone-else"), false);
	});
});
