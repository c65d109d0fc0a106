/** What a learner's program meets in the sandbox, compared with what Node does with the same program. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunInput, RunLimits, RunResult } from "../sandbox.types";
import { createJavascriptRuntime, type JavascriptRuntime } from "./index";

const LIMITS: RunLimits = { timeMs: 1000, memoryMb: 64, outputBytes: 1 << 16 };

let runtime: JavascriptRuntime;

async function run(source: string, input: RunInput = { stdin: "" }, limits = LIMITS): Promise<RunResult> {
	const prepared = await runtime.prepare(source, limits);
	assert.ok(prepared.ok, prepared.ok ? "" : prepared.compileError);
	try {
		return await prepared.program.run(input, limits);
	} finally {
		await prepared.program.dispose();
	}
}

before(() => {
	runtime = createJavascriptRuntime({ hosts: 1 });
});

after(() => runtime.close());

describe("input", () => {
	it("reads stdin through fs by descriptor and by /dev/stdin", async () => {
		const source = `const fs = require("fs");\nconsole.log(fs.readFileSync(0, "utf8").length, fs.readFileSync("/dev/stdin").toString().trim().split("\\n"));`;
		const result = await run(source, { stdin: "a b\nc\n" });
		assert.equal(result.stdout, "6 [ 'a b', 'c' ]\n");
	});

	it("emits readline lines, the last unterminated one, then close", async () => {
		const source = `const rl = require("readline").createInterface({ input: process.stdin, output: process.stdout });
const lines = [];
rl.on("line", line => lines.push(line));
rl.on("close", () => console.log(lines.join("|")));
console.log("main done");`;
		const result = await run(source, { stdin: "1\r\n2\n\n3" });
		assert.equal(result.stdout, "main done\n1|2||3\n");
	});

	it("iterates readline lines with for await", async () => {
		const source = `(async () => {
	const rl = require("node:readline").createInterface({ input: process.stdin });
	let sum = 0;
	for await (const line of rl) sum += Number(line);
	console.log(sum);
})();`;
		const result = await run(source, { stdin: "1\n2\n3\n" });
		assert.equal(result.stdout, "6\n");
	});

	it("emits process.stdin data and end", async () => {
		const source = `let text = "";\nprocess.stdin.setEncoding("utf8");\nprocess.stdin.on("data", chunk => (text += chunk));\nprocess.stdin.on("end", () => console.log(JSON.stringify(text)));`;
		const result = await run(source, { stdin: "x\ny" });
		assert.equal(result.stdout, '"x\\ny"\n');
	});

	it("reads the run's named files and arguments", async () => {
		const source = `const fs = require("fs");\nconsole.log(process.argv, fs.readFileSync("answer.txt", "utf8"), fs.readFileSync("./input.txt", "utf8"), fs.existsSync("nope"));`;
		const result = await run(source, {
			stdin: "",
			files: { "answer.txt": "42", "input.txt": "in" },
			args: ["input.txt", "answer.txt"]
		});
		assert.equal(result.stdout, "[ 'node', 'main.js', 'input.txt', 'answer.txt' ] 42 in false\n");
	});
});

describe("output", () => {
	it("formats console.log like Node and sends console.error to stderr", async () => {
		const source = `console.log("%s=%d", "n", 42, [1, 2, 3], { a: "x", b: [null, undefined] }, 1.5, -0, 10n);\nconsole.error("oops", { e: 1 });\nprocess.stdout.write("raw");`;
		const result = await run(source);
		assert.equal(result.stdout, "n=42 [ 1, 2, 3 ] { a: 'x', b: [ null, undefined ] } 1.5 -0 10n\nraw");
		assert.equal(result.stderr, "oops { e: 1 }\n");
	});

	it("writes through fs to descriptors 1 and 2", async () => {
		const result = await run(`const fs = require("fs");\nfs.writeFileSync(1, "out\\n");\nfs.writeSync(2, "err\\n");`);
		assert.equal(result.stdout, "out\n");
		assert.equal(result.stderr, "err\n");
	});

	it("rejects a number written to stdout as Node does", async () => {
		const result = await run("process.stdout.write(5);");
		assert.equal(result.outcome, "runtime-error");
		assert.match(
			result.stderr,
			/TypeError: The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView\. Received type number \(5\)/
		);
	});

	it("trims stderr to 4 KB", async () => {
		const result = await run(`for (let i = 0; i < 1000; i++) console.error("e".repeat(99));`);
		assert.equal(result.outcome, "ok");
		assert.equal(result.stderr.length, 4096);
	});
});

describe("endings", () => {
	it("process.exit(0) ends the run normally and stops the program", async () => {
		const result = await run(`console.log("a");\nprocess.exit(0);\nconsole.log("b");`);
		assert.deepEqual([result.outcome, result.exitCode, result.stdout], ["ok", 0, "a\n"]);
	});

	it("process.exit(n) is a runtime error with that exit code", async () => {
		const result = await run(`process.on("exit", code => console.log("exiting", code));\nprocess.exit(3);`);
		assert.deepEqual([result.outcome, result.exitCode, result.signal, result.stdout], ["runtime-error", 3, null, "exiting 3\n"]);
	});

	it("process.exitCode set and left is the exit code", async () => {
		const result = await run("process.exitCode = 2;");
		assert.deepEqual([result.outcome, result.exitCode], ["runtime-error", 2]);
	});

	it("an uncaught error keeps the output before it and shows the program's frames only", async () => {
		const result = await run(`console.log("before");\nfunction fail() {\n\tthrow new TypeError("bad");\n}\nfail();`);
		assert.deepEqual(
			[result.outcome, result.exitCode, result.signal, result.stdout],
			["runtime-error", 1, "uncaught exception", "before\n"]
		);
		assert.equal(result.stderr, "TypeError: bad\n    at fail (main.js:3:8)\n    at Object.<anonymous> (main.js:5:1)\n");
	});

	it("a thrown value that is not an Error is shown as Node shows it", async () => {
		const result = await run("throw { code: 5 };");
		assert.equal(result.stderr, "Uncaught { code: 5 }\n");
	});

	it("an unhandled rejection is a runtime error, without the host's frames", async () => {
		const result = await run(`(async () => {\n\tawait null;\n\tthrow new RangeError("later");\n})();`);
		assert.equal(result.outcome, "runtime-error");
		assert.equal(result.stderr, "RangeError: later\n    at main.js:3:8\n");
		const other = await run("Promise.reject(42);");
		assert.deepEqual([other.outcome, other.stderr], ["runtime-error", "Uncaught 42\n"]);
		const object = await run("Promise.reject({ a: 1 });");
		assert.deepEqual([object.outcome, object.stderr], ["runtime-error", "Uncaught (in promise) a value that is not an Error\n"]);
	});

	it("reports time and memory for a normal run", async () => {
		const result = await run("let s = 0; for (let i = 0; i < 1e6; i++) s += i; console.log(s);");
		assert.equal(result.stdout, "499999500000\n");
		assert.ok(result.timeMs > 0 && result.timeMs < LIMITS.timeMs, `timeMs ${result.timeMs}`);
		assert.ok(result.memoryKb > 100, `memoryKb ${result.memoryKb}`);
	});
});

describe("module and sandbox", () => {
	it("runs as a CommonJS module", async () => {
		const source = `#!/usr/bin/env node\nconsole.log(this === module.exports, require.main === module, typeof exports, __filename, typeof global, typeof setTimeout);\nreturn;\nconsole.log("unreached");`;
		const result = await run(source);
		assert.equal(result.stdout, "true true object /sandbox/main.js object undefined\n");
	});

	it("gives every run fresh globals", async () => {
		const prepared = await runtime.prepare("globalThis.count = (globalThis.count ?? 0) + 1;\nconsole.log(count);", LIMITS);
		assert.ok(prepared.ok);
		const first = await prepared.program.run({ stdin: "" }, LIMITS);
		const second = await prepared.program.run({ stdin: "" }, LIMITS);
		assert.deepEqual([first.stdout, second.stdout], ["1\n", "1\n"]);
		await prepared.program.dispose();
		await prepared.program.dispose();
	});

	it("runs again normally after a time limit and after a memory limit", async () => {
		const source = `const mode = require("fs").readFileSync(0, "utf8");
if (mode === "loop") for (;;) {}
if (mode === "bomb") { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); }
console.log("fine");`;
		const prepared = await runtime.prepare(source, LIMITS);
		assert.ok(prepared.ok);
		const outcomes = [];
		for (const stdin of ["loop", "ok", "bomb", "ok"]) outcomes.push((await prepared.program.run({ stdin }, LIMITS)).outcome);
		assert.deepEqual(outcomes, ["time-limit", "ok", "memory-limit", "ok"]);
		await prepared.program.dispose();
	});

	it("has no WebAssembly", async () => {
		const result = await run("console.log(typeof WebAssembly);");
		assert.equal(result.stdout, "undefined\n");
	});

	it("trims a compile error to 4 KB, with the line and a caret", async () => {
		const prepared = await runtime.prepare(`const x = 1;\nlet y = "${"a".repeat(10_000)}" +;`, LIMITS);
		assert.equal(prepared.ok, false);
		const text = prepared.ok ? "" : prepared.compileError;
		assert.ok(Buffer.byteLength(text) <= 4096);
		assert.match(text, /^main\.js:2\n.*\n *\^\n\nSyntaxError: Unexpected token ';'$/);
	});
});
