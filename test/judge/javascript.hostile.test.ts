/**
 * Hostile programs against the JavaScript runtime: each must end with exactly the outcome the judge expects, and the
 * hosts must come out of it unharmed — the same child processes still answering a normal program correctly.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import type { RunInput, RunLimits, RunResult } from "../../services/judge/sandbox/sandbox.types";
import { createJavascriptRuntime, type JavascriptRuntime } from "../../services/judge/sandbox/javascript";

const LIMITS: RunLimits = { timeMs: 500, memoryMb: 64, outputBytes: 64 * 1024 };
/** Memory bombs get time enough to reach the memory limit first. */
const MEMORY_LIMITS: RunLimits = { ...LIMITS, timeMs: 5000 };
/** What the runtime promises for the wall clock of one run: 3 × the time limit plus a margin. */
const WALL_BOUND_MS = 3 * LIMITS.timeMs + 1000;
const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);`;
const PACKAGE_JSON = path.resolve(__dirname, "../../package.json");

let runtime: JavascriptRuntime;

async function runOnce(
	source: string,
	input: RunInput = { stdin: "" },
	limits: RunLimits = LIMITS
): Promise<RunResult & { elapsedMs: number }> {
	const prepared = await runtime.prepare(source, limits);
	assert.ok(prepared.ok, `compiles: ${prepared.ok ? "" : prepared.compileError}`);
	try {
		const started = performance.now();
		const result = await prepared.program.run(input, limits);
		return { ...result, elapsedMs: Math.round(performance.now() - started) };
	} finally {
		await prepared.program.dispose();
	}
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		assert.ok(Date.now() < deadline, "condition not met in time");
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

/** The hosts are the same processes as before and still judge a normal program correctly. */
async function assertHostsUnharmed(pidsBefore: number[]): Promise<void> {
	const result = await runOnce(SUM, { stdin: "20 22\n" });
	assert.equal(result.outcome, "ok");
	assert.equal(result.stdout, "42\n");
	assert.deepEqual(runtime.hostPids().sort(), [...pidsBefore].sort(), "no host child died or was replaced");
}

/** Runs a hostile source, checks its outcome, reports its times, and checks the hosts after it. */
async function hostile(
	t: TestContext,
	source: string,
	outcome: RunResult["outcome"],
	limits: RunLimits = LIMITS
): Promise<RunResult & { elapsedMs: number }> {
	const pids = runtime.hostPids();
	const result = await runOnce(source, { stdin: "" }, limits);
	assert.equal(result.outcome, outcome, `outcome (stderr: ${result.stderr})`);
	t.diagnostic(`${outcome}: run took ${result.elapsedMs} ms wall, ${result.timeMs} ms measured, ${result.memoryKb} KB`);
	await assertHostsUnharmed(pids);
	return result;
}

before(async () => {
	runtime = createJavascriptRuntime({ hosts: 2 });
	const availability = await runtime.probe();
	assert.ok(availability.available, availability.available ? "" : availability.reason);
	assert.match(availability.version, /^Node\.js \d+\.\d+\.\d+ \(V8 [\d.]+[^)]*\) in isolated-vm 7\.0\.1$/);
	// Both children up, so every case can check that none was replaced.
	await Promise.all([runOnce(SUM, { stdin: "1 2" }), runOnce(SUM, { stdin: "1 2" })]);
	assert.equal(runtime.hostPids().length, 2);
});

after(async () => {
	await runtime.close();
	assert.deepEqual(runtime.hostPids(), []);
});

describe("time", () => {
	it("an infinite loop ends as time-limit, within the wall bound", async t => {
		const result = await hostile(t, "while (true) {}", "time-limit");
		assert.ok(result.elapsedMs >= LIMITS.timeMs * 0.9 && result.elapsedMs < WALL_BOUND_MS, `elapsed ${result.elapsedMs} ms`);
		assert.ok(result.timeMs >= LIMITS.timeMs * 0.9, `measured ${result.timeMs} ms`);
	});

	it("an infinite loop of awaits ends as time-limit", async t => {
		const result = await hostile(t, "(async () => { while (true) { await null; } })();", "time-limit");
		assert.ok(result.elapsedMs < WALL_BOUND_MS, `elapsed ${result.elapsedMs} ms`);
	});

	it("an infinite loop in a line handler ends as time-limit", async () => {
		const source = `require("readline").createInterface({ input: process.stdin }).on("line", () => { for (;;) {} });`;
		const pids = runtime.hostPids();
		const result = await runOnce(source, { stdin: "1\n" });
		assert.equal(result.outcome, "time-limit");
		await assertHostsUnharmed(pids);
	});

	it("sleeping in Atomics.wait past the limit ends as time-limit, within the wall bound", async t => {
		const source = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);";
		const result = await hostile(t, source, "time-limit");
		assert.ok(result.elapsedMs < WALL_BOUND_MS, `elapsed ${result.elapsedMs} ms`);
	});
});

describe("memory", () => {
	it("growing arrays end as memory-limit", async t => {
		const result = await hostile(t, "const a = []; for (;;) a.push(new Array(1e5).fill(1.5));", "memory-limit", MEMORY_LIMITS);
		assert.equal(result.memoryKb, MEMORY_LIMITS.memoryMb * 1024);
	});

	it("huge strings end as memory-limit", async t => {
		await hostile(t, "const a = []; for (let i = 0; ; i++) a.push(String(i).repeat(1e6));", "memory-limit", MEMORY_LIMITS);
	});

	it("growing typed arrays end as memory-limit", async t => {
		await hostile(t, "const a = []; for (;;) a.push(new Float64Array(1e6));", "memory-limit", MEMORY_LIMITS);
	});

	it("one typed array far over the limit ends as memory-limit", async t => {
		await hostile(t, "new Uint8Array(2 ** 31).fill(1);", "memory-limit", MEMORY_LIMITS);
	});
});

describe("stack and output", () => {
	it("unbounded recursion ends as runtime-error", async t => {
		const result = await hostile(t, "function f(n) { return f(n + 1) + 1; }\nf(0);", "runtime-error");
		assert.equal(result.signal, "uncaught exception");
		assert.match(result.stderr, /RangeError: Maximum call stack size exceeded/);
	});

	it("a flood of writes ends as output-limit, stdout cut at the limit", async t => {
		const line = `${"x".repeat(99)}\n`;
		const result = await hostile(t, `const line = "x".repeat(99) + "\\n"; for (;;) process.stdout.write(line);`, "output-limit");
		assert.equal(result.stdout.length, LIMITS.outputBytes);
		assert.equal(result.stdout, line.repeat(Math.ceil(LIMITS.outputBytes / line.length)).slice(0, LIMITS.outputBytes));
	});

	it("a flood of console.log that swallows the stop still ends as output-limit", async t => {
		const result = await hostile(t, `for (;;) { try { console.log("y"); } catch {} }`, "output-limit");
		assert.equal(result.stdout, "y\n".repeat(LIMITS.outputBytes / 2));
	});

	it("one write far over the limit ends as output-limit", async t => {
		const result = await hostile(t, `process.stdout.write("z".repeat(5e7));`, "output-limit");
		assert.equal(result.stdout, "z".repeat(LIMITS.outputBytes));
	});
});

describe("no escape", () => {
	const files: [string, string][] = [
		["/etc/passwd", "/etc/passwd"],
		["the project's package.json by absolute path", PACKAGE_JSON],
		["package.json relative to the working directory", "package.json"],
		["package.json up the tree", "../../../package.json"]
	];
	for (const [name, file] of files) {
		it(`reading ${name} is a runtime-error that shows nothing of the file`, async t => {
			const source = `console.log(String(require("fs").readFileSync(${JSON.stringify(file)})));`;
			const result = await hostile(t, source, "runtime-error");
			assert.match(result.stderr, /ENOENT: no such file or directory/);
			for (const secret of ["root:", "code-learn", "dependencies"]) {
				assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `no ${secret} in the output`);
			}
		});
	}

	const escapes: [string, string, RegExp][] = [
		["require('child_process')", `require("child_process").execSync("id");`, /Cannot find module 'child_process'/],
		["require('net')", `require("net").connect(80, "127.0.0.1");`, /Cannot find module 'net'/],
		["fetch", `fetch("http://127.0.0.1/");`, /ReferenceError: fetch is not defined/],
		["process.binding", `process.binding("fs");`, /TypeError: process\.binding is not a function/],
		[
			"the Function constructor's process",
			`const p = this.constructor.constructor("return process")();\np.mainModule.require("child_process").execSync("id");`,
			/TypeError: Cannot read properties of undefined \(reading 'require'\)/
		],
		["a dynamic import", `import("child_process").then(m => m.execSync("id"));`, /Error: Not supported/]
	];
	for (const [name, source, message] of escapes) {
		it(`${name} is a runtime-error`, async t => {
			const result = await hostile(t, source, "runtime-error");
			assert.match(result.stderr, message);
		});
	}

	it("the process a program can reach is the sandbox's own", async () => {
		const source = `const p = this.constructor.constructor("return process")();\nconsole.log(p === process, typeof p.dlopen, typeof p.kill, Object.keys(p.env).length, p.pid);`;
		const result = await runOnce(source);
		assert.equal(result.outcome, "ok");
		assert.equal(result.stdout, "true undefined undefined 0 1\n");
	});
});

describe("normal programs", () => {
	it("reads two numbers from stdin and prints the sum", async () => {
		const result = await runOnce(SUM, { stdin: "3 4\n" });
		assert.deepEqual(
			{ outcome: result.outcome, exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr },
			{ outcome: "ok", exitCode: 0, signal: null, stdout: "7\n", stderr: "" }
		);
	});

	it("a syntax error is a compile error", async () => {
		const prepared = await runtime.prepare("let x = ;\nconsole.log(x);", LIMITS);
		assert.equal(prepared.ok, false);
		assert.match(prepared.ok ? "" : prepared.compileError, /^main\.js:1\nlet x = ;\n {8}\^\n\nSyntaxError: Unexpected token ';'$/);
	});
});

describe("a host child killed mid-run", () => {
	it("fails the run in flight, and the pool serves the next runs", async () => {
		const survivor = await runtime.prepare(SUM, LIMITS);
		assert.ok(survivor.ok);
		const looping = await runtime.prepare("while (true) {}", { ...LIMITS, timeMs: 10_000 });
		assert.ok(looping.ok);
		const pidsBefore = runtime.hostPids();
		const inFlight = looping.program.run({ stdin: "" }, { ...LIMITS, timeMs: 10_000 });
		await new Promise(resolve => setTimeout(resolve, 300));
		for (const pid of pidsBefore) process.kill(pid, "SIGKILL");
		await assert.rejects(inFlight, /exited \(SIGKILL\)/);
		// Both children were killed: wait until the pool has seen both exits, as it would before the next request.
		await waitFor(() => !runtime.hostPids().some(pid => pidsBefore.includes(pid)));

		const next = await survivor.program.run({ stdin: "5 6" }, LIMITS);
		assert.equal(next.outcome, "ok");
		assert.equal(next.stdout, "11\n");
		const fresh = await runOnce(SUM, { stdin: "7 8" });
		assert.equal(fresh.stdout, "15\n");
		const pidsAfter = runtime.hostPids();
		assert.ok(pidsAfter.length >= 1 && pidsAfter.every(pid => !pidsBefore.includes(pid)), "new children replaced the killed ones");
		await survivor.program.dispose();
		await looping.program.dispose();
	});
});

describe("throughput", () => {
	it("judges submissions of 10 tests on 2 hosts", async t => {
		const SUBMISSIONS = 120;
		const CONCURRENCY = 4;
		let next = 0;
		let wrong = 0;
		const started = performance.now();
		const worker = async (): Promise<void> => {
			while (next < SUBMISSIONS) {
				const id = ++next;
				const prepared = await runtime.prepare(SUM, LIMITS);
				assert.ok(prepared.ok);
				for (let test = 0; test < 10; test++) {
					const result = await prepared.program.run({ stdin: `${test} ${id}\n` }, LIMITS);
					if (result.outcome !== "ok" || result.stdout !== `${test + id}\n`) wrong++;
				}
				await prepared.program.dispose();
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		const seconds = (performance.now() - started) / 1000;
		t.diagnostic(
			`${SUBMISSIONS} submissions of 10 tests in ${seconds.toFixed(2)} s: ${(SUBMISSIONS / seconds).toFixed(1)} submissions/s on 2 hosts`
		);
		assert.equal(wrong, 0);
	});
});
