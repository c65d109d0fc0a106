/** The host process's own duties, against a stand-in child: the wall clock, deaths, respawns, closing. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunResult } from "../sandbox.types";
import { HostGoneError, HostProcess } from "./host-process";

/** A child that answers probes at once, hangs on "run", and dies on "dispose". */
const STAND_IN = `
process.on("message", ({ id, request }) => {
	if (request.op === "run") for (;;) {}
	if (request.op === "dispose") process.exit(3);
	process.send({ type: "reply", id, ok: true, value: { available: true, version: String(process.pid) } });
});
process.on("disconnect", () => process.exit(0));
process.send({ type: "ready" });
`;

const LIMITS = { timeMs: 100, memoryMb: 8, outputBytes: 10 };
const KILLED: RunResult = { outcome: "time-limit", exitCode: null, signal: "SIGKILL", stdout: "", stderr: "", timeMs: 0, memoryKb: 0 };

let folder: string;
let host: HostProcess;

before(() => {
	folder = mkdtempSync(path.join(os.tmpdir(), "js-host-"));
	writeFileSync(path.join(folder, "child.js"), STAND_IN);
	host = new HostProcess({ path: path.join(folder, "child.js"), execArgv: [] });
});

after(async () => {
	await host.close();
	rmSync(folder, { recursive: true, force: true });
});

async function probePid(): Promise<{ pid: number; generation: number }> {
	const answer = await host.request({ op: "probe" }, 5000);
	assert.ok(answer.value.available);
	return { pid: Number(answer.value.version), generation: answer.generation };
}

describe("HostProcess", () => {
	it("answers requests from one child", async () => {
		const first = await probePid();
		const second = await probePid();
		assert.equal(first.pid, second.pid);
		assert.equal(host.pid, first.pid);
		assert.ok(host.isCurrent(first.generation));
	});

	it("kills a child past the wall clock, answers as told, fails the queue as not started, and starts another", async () => {
		const before = await probePid();
		const started = performance.now();
		const run = host.request({ op: "run", program: 1, input: { stdin: "" }, limits: LIMITS }, 300, wallMs => ({
			...KILLED,
			timeMs: wallMs
		}));
		const queued = host.request({ op: "probe" }, 5000);
		const answer = await run;
		assert.deepEqual(answer.value, { ...KILLED, timeMs: 300 });
		assert.ok(performance.now() - started < 2000);
		await assert.rejects(queued, (err: unknown) => err instanceof HostGoneError && !err.started);
		const after = await probePid();
		assert.notEqual(after.pid, before.pid);
		assert.ok(!host.isCurrent(before.generation) && host.isCurrent(after.generation));
	});

	it("fails a request whose child dies under it as started", async () => {
		await probePid();
		await assert.rejects(
			host.request({ op: "dispose", program: 1 }, 5000),
			(err: unknown) => err instanceof HostGoneError && err.started && /code 3/.test(err.message)
		);
		assert.ok((await probePid()).pid > 0);
	});

	it("refuses requests once closed, and leaves no child", async () => {
		const { pid } = await probePid();
		await host.close();
		assert.equal(host.pid, undefined);
		assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
		await assert.rejects(host.request({ op: "probe" }, 1000), /closed/);
	});
});
