/**
 * The C and C++ runtimes (clang → WebAssembly/WASI) against hostile programs: each case asserts the
 * verdict the judge must give and that the host process is unaffected (alive, responsive, its files
 * unread and unwritten, no process started, no connection made). Measured compile times and runs
 * per second are printed as the tests' diagnostics.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { once } from "node:events";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClangRuntime } from "../../services/judge/sandbox/wasi";
import type { LanguageRuntime, RunInput, RunLimits, RunResult } from "../../services/judge/sandbox/sandbox.types";

const LIMITS: RunLimits = { timeMs: 1000, memoryMb: 64, outputBytes: 64 * 1024 };
const PROJECT_PACKAGE = path.resolve(__dirname, "../../package.json");
const PASSWD_LINE = /root:.*:0:0:/;
const PACKAGE_TEXT = /"name":\s*"code-learn"|"dependencies"/;

let c: LanguageRuntime;
let cpp: LanguageRuntime;

async function prepareOk(runtime: LanguageRuntime, source: string, limits = LIMITS) {
	const prepared = await runtime.prepare(source, limits);
	if (!prepared.ok) assert.fail(`expected it to compile, got: ${prepared.compileError}`);
	return prepared.program;
}

async function compileAndRun(runtime: LanguageRuntime, source: string, input: RunInput = { stdin: "" }, limits = LIMITS) {
	const program = await prepareOk(runtime, source, limits);
	const started = performance.now();
	const result = await program.run(input, limits);
	await program.dispose();
	return { result, elapsedMs: performance.now() - started };
}

/** The host is unaffected: its event loop still turns at once, and its heap is not swollen. */
async function assertHostFine(): Promise<void> {
	const started = performance.now();
	await new Promise(resolve => setImmediate(resolve));
	assert.ok(performance.now() - started < 200, "the host's event loop stalled");
	assert.ok(process.memoryUsage().heapUsed < 1024 * 1024 * 1024, "the host's heap grew past 1 GiB");
}

function assertTimeLimit(result: RunResult, elapsedMs: number): void {
	assert.equal(result.outcome, "time-limit");
	assert.ok(elapsedMs < LIMITS.timeMs * 3, `stopped after ${Math.round(elapsedMs)} ms`);
}

describe("C and C++ runtimes against hostile programs", () => {
	before(async () => {
		c = createClangRuntime({ language: "c", workers: 2 });
		cpp = createClangRuntime({ language: "cpp", workers: 2 });
		const [cAvailability, cppAvailability] = await Promise.all([c.probe(), cpp.probe()]);
		assert.deepEqual(cAvailability, { available: true, version: cAvailability.available ? cAvailability.version : "" });
		assert.ok(cppAvailability.available, JSON.stringify(cppAvailability));
		assert.match(cAvailability.available ? cAvailability.version : "", /^clang \d+\.\d+\.\d+ \(WebAssembly\/WASI\)$/);
	});

	after(async () => {
		await Promise.all([c?.close(), cpp?.close()]);
	});

	it("runs a correct A+B in C (scanf/printf)", async t => {
		const source =
			'#include <stdio.h>\nint main(void) { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); return 0; }\n';
		const started = performance.now();
		const program = await prepareOk(c, source);
		t.diagnostic(`C compile (A+B): ${Math.round(performance.now() - started)} ms`);
		const result = await program.run({ stdin: "2 40\n" }, LIMITS);
		assert.equal(result.outcome, "ok");
		assert.equal(result.stdout, "42\n");
		assert.equal(result.exitCode, 0);
		assert.equal((await program.run({ stdin: "-5 3" }, LIMITS)).stdout, "-2\n");
		await assertHostFine();
	});

	it("runs a correct A+B in C++ (iostream, bits/stdc++.h)", async t => {
		const iostream = "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << std::endl; }\n";
		let started = performance.now();
		const plain = await prepareOk(cpp, iostream);
		t.diagnostic(`C++ compile (A+B, <iostream>): ${Math.round(performance.now() - started)} ms`);
		assert.equal((await plain.run({ stdin: "1 2" }, LIMITS)).stdout, "3\n");

		const bits =
			"#include <bits/stdc++.h>\nusing namespace std;\nint main() { long long a, b; cin >> a >> b; cout << a + b << endl; }\n";
		started = performance.now();
		const program = await prepareOk(cpp, bits);
		t.diagnostic(
			`C++ compile (A+B, <bits/stdc++.h>, waiting for the precompiled header if need be): ${Math.round(performance.now() - started)} ms`
		);
		const again = performance.now();
		await prepareOk(cpp, bits.replace("a + b", "b + a"));
		t.diagnostic(`C++ compile (A+B, <bits/stdc++.h>, precompiled header ready): ${Math.round(performance.now() - again)} ms`);
		const result = await program.run({ stdin: "1000000000000 1" }, LIMITS);
		assert.equal(result.outcome, "ok");
		assert.equal(result.stdout, "1000000000001\n");

		const cached = performance.now();
		await prepareOk(cpp, bits);
		assert.ok(performance.now() - cached < 300, "the same source was compiled again instead of coming from the cache");
		started = performance.now();
		let rounds = 0;
		while (performance.now() - started < 2000) {
			for (let test = 0; test < 10; test++) {
				const run = await program.run({ stdin: `${test} ${test}` }, LIMITS);
				assert.equal(run.stdout, `${2 * test}\n`);
			}
			rounds++;
		}
		const seconds = (performance.now() - started) / 1000;
		t.diagnostic(
			`runs of a 10-test submission on the cached module: ${Math.round((rounds * 10) / seconds)} runs/s (${rounds} submissions)`
		);
		await assertHostFine();
	});

	it("reads a file given in RunInput.files and its arguments, and cannot write", async () => {
		const source = [
			"#include <stdio.h>",
			"int main(int argc, char **argv) {",
			'	FILE *f = fopen(argv[1], "r");',
			'	if (!f) { puts("cannot open"); return 1; }',
			"	char line[64];",
			"	fgets(line, sizeof line, f);",
			'	printf("%d %s %s", argc, argv[2], line);',
			'	printf("write: %s\\n", fopen("new.txt", "w") ? "yes" : "no");',
			'	printf("overwrite: %s\\n", fopen(argv[1], "w") ? "yes" : "no");',
			"	return 0;",
			"}"
		].join("\n");
		const { result } = await compileAndRun(c, source, {
			stdin: "",
			files: { "answer.txt": "forty-two\n" },
			args: ["answer.txt", "extra"]
		});
		assert.equal(result.outcome, "ok");
		assert.equal(result.stdout, "3 extra forty-two\nwrite: no\noverwrite: no\n");
	});

	it("stops an infinite loop at the time limit", async t => {
		const { result, elapsedMs } = await compileAndRun(c, "int main(void) { volatile unsigned x = 0; for (;;) x++; }\n");
		assertTimeLimit(result, elapsedMs);
		t.diagnostic(`infinite loop stopped after ${Math.round(elapsedMs)} ms`);
		await assertHostFine();
	});

	it("stops a program sleeping past the wall limit (sleep, nanosleep, a clock busy-wait)", async () => {
		const sleeping = await compileAndRun(c, '#include <stdio.h>\n#include <unistd.h>\nint main(void) { sleep(5); puts("awake"); }\n');
		assertTimeLimit(sleeping.result, sleeping.elapsedMs);
		assert.equal(sleeping.result.stdout, "");
		const nano = await compileAndRun(cpp, "#include <time.h>\nint main() { timespec t{10, 0}; nanosleep(&t, nullptr); return 0; }\n");
		assertTimeLimit(nano.result, nano.elapsedMs);
		const busy = await compileAndRun(
			c,
			"#include <time.h>\nint main(void) { clock_t start = clock(); while (clock() - start < 10 * CLOCKS_PER_SEC) {} return 0; }\n"
		);
		assertTimeLimit(busy.result, busy.elapsedMs);
		await assertHostFine();
	});

	it("judges a malloc loop touching its memory, and a vector bomb, as memory-limit", async () => {
		const bomb = [
			"#include <stdlib.h>",
			"#include <string.h>",
			"char *volatile kept;",
			"int main(void) { for (;;) { char *p = malloc(1 << 20); memset(p, 7, 1 << 20); kept = p; } }"
		].join("\n");
		const { result } = await compileAndRun(c, bomb);
		assert.equal(result.outcome, "memory-limit");
		assert.ok(result.memoryKb <= LIMITS.memoryMb * 1024, `reported ${result.memoryKb} KB`);
		assert.ok(result.memoryKb > (LIMITS.memoryMb / 2) * 1024, `reported ${result.memoryKb} KB`);

		const vectors = await compileAndRun(
			cpp,
			"#include <vector>\nint main() { std::vector<std::vector<int>> v; for (;;) v.emplace_back(1 << 18, 1); }\n"
		);
		assert.equal(vectors.result.outcome, "memory-limit");
		await assertHostFine();
	});

	it("judges a static array larger than the limit as memory-limit without running it", async () => {
		const source =
			'#include <stdio.h>\nstatic char big[128 << 20];\nint main(void) { big[4096] = 1; printf("%d %p\\n", big[4096], (void *)big); }\n';
		const { result } = await compileAndRun(c, source);
		assert.equal(result.outcome, "memory-limit");
		assert.equal(result.stdout, "");
		assert.ok(result.memoryKb >= 128 * 1024);
	});

	it("starts no process: fork() and system() do not compile or fail", async () => {
		const marker = path.join(os.tmpdir(), `code-learn-c-hostile-${process.pid}`);
		const sources = [
			'#include <stdio.h>\n#include <unistd.h>\nint main(void) { int pid = fork(); printf("forked %d\\n", pid); return 0; }\n',
			`#include <stdio.h>\n#include <stdlib.h>\nint main(void) { int r = system("touch ${marker}"); printf("system %d\\n", r); return 0; }\n`
		];
		for (const source of sources) {
			const prepared = await c.prepare(source, LIMITS);
			if (prepared.ok) {
				const result = await prepared.program.run({ stdin: "" }, LIMITS);
				assert.notEqual(result.outcome, "ok", `it ran: ${result.stdout}`);
			} else assert.match(prepared.compileError, /fork|system/);
		}
		assert.equal(existsSync(marker), false, "system() created a file");
	});

	it("refuses a program that imports anything from the host but WASI", async () => {
		const source =
			'__attribute__((import_module("env"), import_name("host_secret"))) int host_secret(void);\nint main(void) { return host_secret(); }\n';
		const prepared = await c.prepare(source, LIMITS);
		assert.equal(prepared.ok, false);
		if (!prepared.ok) assert.match(prepared.compileError, /imports env\.host_secret, which the judge does not provide/);
	});

	it("ends a stack overflow by recursion as a runtime error", async () => {
		const shadow = await compileAndRun(
			c,
			"int f(int n) { volatile char frame[256]; frame[0] = (char)n; return f(n + 1) + frame[0]; }\nint main(void) { return f(0); }\n"
		);
		assert.equal(shadow.result.outcome, "runtime-error");
		assert.match(shadow.result.signal ?? "", /SIGSEGV/);
		// Without locals in memory, frames live on the worker's own stack (256 MB): filling it takes a while.
		const slow = { ...LIMITS, timeMs: 5000 };
		const native = await compileAndRun(
			cpp,
			"int (*volatile next)(int);\nint f(int n) { return next(n + 1) + 1; }\nint main() { next = f; return f(0); }\n",
			{ stdin: "" },
			slow
		);
		assert.equal(native.result.outcome, "runtime-error");
		assert.match(native.result.signal ?? "", /SIGSEGV/);
		await assertHostFine();
	});

	it("stops huge output at the output limit, with stdout truncated there", async () => {
		const { result } = await compileAndRun(
			c,
			'#include <stdio.h>\nint main(void) { for (;;) fputs("0123456789abcdef\\n", stdout); }\n'
		);
		assert.equal(result.outcome, "output-limit");
		assert.equal(result.stdout.length, LIMITS.outputBytes);
		assert.ok(result.stdout.startsWith("0123456789abcdef\n0123456789abcdef\n"));
	});

	it("cannot open the host's files at run time", async () => {
		for (const file of ["/etc/passwd", PROJECT_PACKAGE, "../../../../../../etc/passwd"]) {
			const source = [
				"#include <stdio.h>",
				"int main(void) {",
				`	FILE *f = fopen(${JSON.stringify(file)}, "r");`,
				'	if (!f) { puts("could not open"); return 0; }',
				"	char line[256];",
				"	while (fgets(line, sizeof line, f)) fputs(line, stdout);",
				"	return 0;",
				"}"
			].join("\n");
			const { result } = await compileAndRun(c, source);
			assert.equal(result.outcome, "ok");
			assert.equal(result.stdout, "could not open\n", `${file} was read`);
			assert.doesNotMatch(result.stdout, PASSWD_LINE);
			assert.doesNotMatch(result.stdout, PACKAGE_TEXT);
		}
	});

	it("makes no connection: a socket to 127.0.0.1 does not compile or fails", async () => {
		const server = net.createServer();
		let connections = 0;
		server.on("connection", socket => {
			connections++;
			socket.destroy();
		});
		server.listen(0, "127.0.0.1");
		await once(server, "listening");
		const port = (server.address() as net.AddressInfo).port;
		try {
			for (const target of [5432, port]) {
				const source = [
					"#include <stdio.h>",
					"#include <string.h>",
					"#include <sys/socket.h>",
					"#include <netinet/in.h>",
					"#include <arpa/inet.h>",
					"int main(void) {",
					"	int s = socket(AF_INET, SOCK_STREAM, 0);",
					"	struct sockaddr_in a; memset(&a, 0, sizeof a);",
					`	a.sin_family = AF_INET; a.sin_port = htons(${target}); a.sin_addr.s_addr = inet_addr("127.0.0.1");`,
					'	printf("%d %d\\n", s, connect(s, (struct sockaddr *)&a, sizeof a));',
					"	return 0;",
					"}"
				].join("\n");
				const prepared = await c.prepare(source, LIMITS);
				if (prepared.ok) {
					const result = await prepared.program.run({ stdin: "" }, LIMITS);
					assert.doesNotMatch(result.stdout, /^\d+ 0$/m, "connect() succeeded");
				} else assert.match(prepared.compileError, /socket|connect|inet_addr/);
			}
			await new Promise(resolve => setTimeout(resolve, 100));
			assert.equal(connections, 0);
		} finally {
			server.close();
		}
	});

	it("cannot include the host's files at compile time", async () => {
		const passwd = existsSync("/etc/passwd") ? readFileSync("/etc/passwd", "utf8") : "";
		for (const file of ["/etc/passwd", PROJECT_PACKAGE, "../../../../../../etc/passwd"]) {
			for (const runtime of [c, cpp]) {
				const prepared = await runtime.prepare(`#include ${JSON.stringify(file)}\nint main(void) { return 0; }\n`, LIMITS);
				assert.equal(prepared.ok, false, `${file} was included`);
				if (prepared.ok) continue;
				assert.match(prepared.compileError, /file not found/);
				assert.doesNotMatch(prepared.compileError, PASSWD_LINE);
				assert.doesNotMatch(prepared.compileError, PACKAGE_TEXT);
				if (passwd) assert.ok(!prepared.compileError.includes(passwd.split("\n")[0]));
			}
		}
	});

	it("reports a compile error trimmed, without host paths", async () => {
		const prepared = await cpp.prepare(`int main() { ${"undeclared_thing_with_a_long_name(1, 2, 3); ".repeat(400)} }\n`, LIMITS);
		assert.equal(prepared.ok, false);
		if (prepared.ok) return;
		assert.match(prepared.compileError, /main\.cpp:1:\d+: error: use of undeclared identifier/);
		assert.ok(Buffer.byteLength(prepared.compileError) <= 4096);
		assert.ok(!prepared.compileError.includes(path.resolve(__dirname, "../..")), "a host path leaked");
		const link = await c.prepare("int missing(void);\nint main(void) { return missing(); }\n", LIMITS);
		assert.equal(link.ok, false);
		if (!link.ok) assert.match(link.compileError, /undefined symbol: missing/);
	});

	it("stops a compile that explodes (a preprocessor bomb) and compiles again after", async t => {
		const bomb = [
			"#define X1(x) x x",
			"#define X2(x) X1(X1(x))",
			"#define X3(x) X2(X2(x))",
			"#define X4(x) X3(X3(x))",
			"#define X5(x) X4(X4(x))",
			"#define X6(x) X5(X5(x))",
			"int main(void) { X6(;) return 0; }"
		].join("\n");
		const started = performance.now();
		const prepared = await c.prepare(bomb, LIMITS);
		const elapsedMs = performance.now() - started;
		assert.equal(prepared.ok, false);
		if (!prepared.ok) assert.match(prepared.compileError, /timed out|out of memory|stopped/);
		assert.ok(elapsedMs < 45_000, `compiled for ${Math.round(elapsedMs)} ms`);
		t.diagnostic(
			`preprocessor bomb stopped after ${Math.round(elapsedMs)} ms: ${prepared.ok ? "" : prepared.compileError.split("\n")[0]}`
		);
		const { result } = await compileAndRun(c, '#include <stdio.h>\nint main(void) { puts("fine"); }\n');
		assert.equal(result.stdout, "fine\n");
		await assertHostFine();
	});

	it("throws and catches C++ exceptions; an uncaught one is a runtime error", async () => {
		const source = [
			"#include <bits/stdc++.h>",
			"using namespace std;",
			"struct Base { virtual ~Base() {} };",
			"struct Derived : Base { int v = 7; };",
			'int depth(int n) { string guard = to_string(n); if (n == 0) throw runtime_error("bottom"); return depth(n - 1); }',
			"int main() {",
			'	try { depth(5); } catch (const exception &e) { cout << "caught " << e.what() << "\\n"; }',
			'	try { vector<int> v(3); (void)v.at(10); } catch (const out_of_range &) { cout << "out of range\\n"; }',
			'	try { throw Derived(); } catch (Base &b) { cout << "base " << dynamic_cast<Derived &>(b).v << "\\n"; }',
			'	try { try { throw 42; } catch (...) { throw; } } catch (int x) { cout << "rethrown " << x << "\\n"; }',
			'	int n; cin >> n; if (n) throw logic_error("nobody catches this");',
			"}"
		].join("\n");
		const program = await prepareOk(cpp, source);
		const caught = await program.run({ stdin: "0" }, LIMITS);
		assert.equal(caught.outcome, "ok");
		assert.equal(caught.stdout, "caught bottom\nout of range\nbase 7\nrethrown 42\n");
		const uncaught = await program.run({ stdin: "1" }, LIMITS);
		assert.equal(uncaught.outcome, "runtime-error");
		assert.match(uncaught.signal ?? "", /SIGABRT \(uncaught C\+\+ exception\)/);
		assert.match(uncaught.stderr, /what\(\): {2}nobody catches this/);
	});
});
