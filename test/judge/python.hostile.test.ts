/**
 * Hostile programs against the Python runtime (native python3 in bubblewrap): each must end with its exact outcome,
 * inside its limits, and leave the host as it was (no process of the sandbox's uid, no run cgroup left, no file
 * written). Without the sandbox the suite fails in CI (CI=true) and skips, saying why, elsewhere.
 */
import { describe, it, before, after, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createPythonRuntime } from "../../services/judge/sandbox/python";
import type { Availability, PreparedProgram, RunInput, RunLimits, RunResult } from "../../services/judge/sandbox/sandbox.types";

const LIMITS: RunLimits = { timeMs: 1000, memoryMb: 128, outputBytes: 64 * 1024 };
const WALL_MS = 3 * LIMITS.timeMs + 1000;
const SANDBOX_UID = 65534;
const CGROUP_ROOT = "/sys/fs/cgroup";

const runtime = createPythonRuntime();
let availability: Availability = { available: false, reason: "probe() has not run" };
let unavailable: string | null = availability.reason;

/** True when the sandbox is there; else fails the test in CI and skips it, with the reason, elsewhere. */
function sandboxReady(t: TestContext): boolean {
	if (unavailable === null) return true;
	if (process.env.CI === "true") assert.fail(`the Python sandbox is unavailable in CI: ${unavailable}`);
	t.skip(`the Python sandbox is unavailable here: ${unavailable}`);
	return false;
}

async function prepare(source: string, limits: RunLimits = LIMITS): Promise<PreparedProgram> {
	const prepared = await runtime.prepare(source, limits);
	if (!prepared.ok) assert.fail(`unexpected compile error: ${prepared.compileError}`);
	return prepared.program;
}

async function runOnce(
	source: string,
	input: Partial<RunInput> = {},
	limits: RunLimits = LIMITS
): Promise<RunResult & { elapsedMs: number }> {
	const program = await prepare(source, limits);
	try {
		const started = performance.now();
		const result = await program.run({ stdin: "", ...input }, limits);
		return { ...result, elapsedMs: Math.round(performance.now() - started) };
	} finally {
		await program.dispose();
	}
}

function describeRun(result: RunResult & { elapsedMs: number }): string {
	return `${result.outcome} exit=${result.exitCode} signal=${result.signal} cpu=${result.timeMs}ms wall=${result.elapsedMs}ms mem=${result.memoryKb}KB`;
}

interface HostProcess {
	pid: number;
	ppid: number;
	uid: number;
	/** Clock ticks after boot (field 22 of /proc/<pid>/stat). */
	startTicks: number;
	cmdline: string;
}

function processes(): HostProcess[] {
	const found: HostProcess[] = [];
	for (const name of readdirSync("/proc")) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const status = readFileSync(`/proc/${name}/status`, "utf8");
			const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
			const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
			// The fields after the command's closing parenthesis: state is the 3rd field, starttime the 22nd.
			const stat = readFileSync(`/proc/${name}/stat`, "utf8");
			const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
			const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
			found.push({ pid: Number(name), ppid, uid, startTicks, cmdline });
		} catch {
			continue;
		}
	}
	return found;
}

/**
 * Processes of the sandbox's uid that this test started: its descendants, or orphans (reparented
 * to init) born after it. Other processes on a shared machine may run sandboxes of their own.
 */
function ourSandboxProcesses(): HostProcess[] {
	const all = processes();
	const self = all.find(p => p.pid === process.pid);
	const ours = new Set(descendants(all));
	return all.filter(
		p => p.uid === SANDBOX_UID && (ours.has(p) || (p.ppid === 1 && self !== undefined && p.startTicks >= self.startTicks))
	);
}

/** The processes this test process started, and theirs. */
function descendants(all: HostProcess[]): HostProcess[] {
	const byPid = new Map(all.map(p => [p.pid, p]));
	const descends = (p: HostProcess) => {
		for (let at = byPid.get(p.ppid); at; at = byPid.get(at.ppid)) if (at.pid === process.pid) return true;
		return false;
	};
	return all.filter(descends);
}

/** Run cgroups this test process left behind, on v1 or v2. */
function leftoverCgroups(): string[] {
	const parents = existsSync(join(CGROUP_ROOT, "cgroup.controllers"))
		? [join(CGROUP_ROOT, "code-learn-judge")]
		: ["memory", "pids", "cpuacct"].map(name => join(CGROUP_ROOT, name, "code-learn-judge"));
	return parents.flatMap(parent => (existsSync(parent) ? readdirSync(parent).filter(name => name.startsWith(`${process.pid}-`)) : []));
}

/** The host after a run: no process of the sandbox's uid and no run cgroup left. */
function assertHostUnaffected(baselineSandboxProcesses: number): void {
	const sandboxed = ourSandboxProcesses();
	assert.ok(
		sandboxed.length <= baselineSandboxProcesses,
		`processes left with the sandbox uid: ${sandboxed.map(p => p.cmdline).join(" | ")}`
	);
	assert.deepEqual(leftoverCgroups(), [], "run cgroups left behind");
}

let baselineSandboxProcesses = 0;

describe("Python runtime against hostile programs", () => {
	before(async () => {
		availability = await runtime.probe();
		unavailable = availability.available ? null : availability.reason;
		baselineSandboxProcesses = ourSandboxProcesses().length;
	});

	after(async () => {
		await runtime.close();
		assert.deepEqual(leftoverCgroups(), []);
	});

	it("probe: the sandbox is available and names its versions", t => {
		if (!sandboxReady(t)) return;
		assert.ok(availability.available);
		t.diagnostic(`python sandbox: ${availability.version}`);
		assert.match(availability.version, /^Python 3\.\d+\.\d+ \(bubblewrap \d+\.\d+\.\d+\)$/);
	});

	it("a correct A+B reading sys.stdin → ok with the right output", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n", {
			stdin: "123456789012 987654321098\n"
		});
		t.diagnostic(`A+B: ${describeRun(result)}`);
		assert.equal(result.outcome, "ok");
		assert.equal(result.stdout, "1111111110110\n");
		assert.equal(result.exitCode, 0);
		assert.ok(result.memoryKb > 0, "peak memory measured");
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("files and argv of the RunInput reach the program", async t => {
		if (!sandboxReady(t)) return;
		const source =
			"import os, sys\nprint(sys.argv[1:])\nprint(open('input.txt').read(), open('answer.txt').read())\nprint(sorted(os.listdir('.')))\n";
		const result = await runOnce(source, { files: { "input.txt": "3 4", "answer.txt": "7" }, args: ["--strict", "two words"] });
		assert.equal(result.outcome, "ok", result.stderr);
		assert.equal(result.stdout, "['--strict', 'two words']\n3 4 7\n['answer.txt', 'input.txt', 'main.py']\n");
		const program = await prepare("print(1)");
		await assert.rejects(program.run({ stdin: "", files: { "../escape": "x" } }, LIMITS), /invalid run file name/);
		await program.dispose();
		await program.dispose();
		await assert.rejects(program.run({ stdin: "" }, LIMITS), /disposed/);
	});

	it("a syntax error → compileError with Python's message and no host path", async t => {
		if (!sandboxReady(t)) return;
		const prepared = await runtime.prepare("def f(:\n    return 1\n", LIMITS);
		assert.equal(prepared.ok, false);
		if (prepared.ok) return;
		t.diagnostic(`compile error: ${JSON.stringify(prepared.compileError)}`);
		assert.match(prepared.compileError, /SyntaxError/);
		assert.match(prepared.compileError, /main\.py", line 1/);
		assert.doesNotMatch(prepared.compileError, /\/(?:work|tmp|root|home|usr)\//);
		assert.ok(Buffer.byteLength(prepared.compileError) <= 4096);
		const nul = await runtime.prepare("print(1)\0\n", LIMITS);
		assert.equal(nul.ok, false, "a NUL byte in the source is a compile error");
	});

	it("an uncaught exception → runtime-error with the traceback", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("print('before')\nx = 1 / 0\n");
		assert.equal(result.outcome, "runtime-error");
		assert.equal(result.exitCode, 1);
		assert.equal(result.stdout, "before\n");
		assert.match(result.stderr, /ZeroDivisionError: division by zero/);
		assert.match(result.stderr, /line 2/);
	});

	it("an infinite loop → time-limit by RLIMIT_CPU / the CPU poll, within its bound", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("while True:\n    pass\n");
		t.diagnostic(`infinite loop: ${describeRun(result)}`);
		assert.equal(result.outcome, "time-limit");
		assert.ok(result.signal === "SIGXCPU" || result.signal === "SIGKILL", `ended by ${result.signal}`);
		assert.ok(result.elapsedMs < WALL_MS + 1000, `ended after ${result.elapsedMs} ms`);
		assert.ok(result.timeMs >= LIMITS.timeMs * 0.9, `CPU ${result.timeMs} ms`);
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("time.sleep(10) → time-limit by the wall deadline", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("import time\ntime.sleep(10)\nprint('woke')\n");
		t.diagnostic(`sleep(10): ${describeRun(result)}`);
		assert.equal(result.outcome, "time-limit");
		assert.equal(result.stdout, "");
		assert.ok(result.elapsedMs >= WALL_MS && result.elapsedMs < WALL_MS + 1500, `ended after ${result.elapsedMs} ms`);
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("a list that grows without end → memory-limit by the cgroup's OOM kill", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("chunks = []\nwhile True:\n    chunks.append(bytearray(1 << 20))\n");
		t.diagnostic(`list growth: ${describeRun(result)}`);
		assert.equal(result.outcome, "memory-limit");
		assert.equal(result.signal, "SIGKILL");
		assert.ok(result.memoryKb >= LIMITS.memoryMb * 1024 * 0.9, `peak ${result.memoryKb} KB`);
		assert.ok(result.memoryKb <= LIMITS.memoryMb * 1024, `peak ${result.memoryKb} KB within the limit`);
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("bytearray(2**34) → memory-limit: the data rlimit refuses it and Python raises MemoryError", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("b = bytearray(2**34)\nprint(len(b))\n");
		t.diagnostic(`bytearray(2**34): ${describeRun(result)}`);
		assert.equal(result.outcome, "memory-limit");
		assert.equal(result.stdout, "");
		assert.match(result.stderr, /MemoryError/);
		assert.ok(result.memoryKb < LIMITS.memoryMb * 1024);
	});

	it("a fork bomb → ends (runtime-error or time-limit), stopped by the pids cgroup, host unaffected", async t => {
		if (!sandboxReady(t)) return;
		const hostBefore = processes().length;
		const result = await runOnce("import os\nwhile True:\n    os.fork()\n");
		t.diagnostic(`fork bomb: ${describeRun(result)} host processes ${hostBefore} → ${processes().length}`);
		assert.ok(result.outcome === "runtime-error" || result.outcome === "time-limit", result.outcome);
		assert.ok(result.elapsedMs < WALL_MS + 1000);
		assert.ok(processes().length < hostBefore + 32, "no process of the bomb lives on");
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("subprocess sh -c id → no shell inside; the program runs as nobody, without capabilities, filtered, on the host too", async t => {
		if (!sandboxReady(t)) return;
		const source = `
import os, subprocess, sys, time
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
print("ids", os.getuid(), os.geteuid(), os.getgid())
print("caps", status["CapEff"].strip(), status["CapPrm"].strip(), status["CapBnd"].strip())
print("seccomp", status["Seccomp"].strip(), "nnp", status["NoNewPrivs"].strip())
try:
    done = subprocess.run(["sh", "-c", "id"], capture_output=True, text=True)
    print("sh", done.returncode, done.stdout.strip())
except OSError as error:
    print("sh", type(error).__name__)
child = subprocess.run([sys.executable, "-c", "import os; print(os.getuid())"], capture_output=True, text=True)
print("child", child.stdout.strip())
sys.stdout.flush()
time.sleep(1)
`;
		const seen: { uid: number; cmdline: string; capEff: string }[] = [];
		const watch = setInterval(() => {
			// Only this run's sandbox lives now: its bwrap, the zygote and the zygote's child (a fork: the same command line).
			for (const p of descendants(processes())) {
				try {
					const capEff = /^CapEff:\s+(\S+)/m.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"))?.[1] ?? "";
					seen.push({ uid: p.uid, cmdline: p.cmdline, capEff });
				} catch {
					continue;
				}
			}
		}, 50);
		const result = await runOnce(source);
		clearInterval(watch);
		t.diagnostic(`subprocess: ${describeRun(result)}\n${result.stdout}`);
		assert.equal(result.outcome, "ok", result.stderr);
		assert.match(result.stdout, /^ids 65534 65534 65534$/m);
		assert.match(result.stdout, /^caps 0+ 0+ 0+$/m);
		assert.match(result.stdout, /^seccomp 2 nnp 1$/m);
		assert.match(result.stdout, /^sh FileNotFoundError$/m);
		assert.match(result.stdout, /^child 65534$/m);
		const python = seen.filter(p => /^\S*python3\S* /.test(p.cmdline));
		const bwrap = seen.filter(p => /^\S*bwrap /.test(p.cmdline));
		assert.ok(python.length > 0 && bwrap.length > 0, "the sandboxed python3 and its bwrap were seen from the host");
		// setpriv drops root before bwrap starts (the moments before, the process is still sh, prlimit or setpriv).
		if (process.getuid?.() === 0) {
			for (const p of [...python, ...bwrap]) assert.equal(p.uid, SANDBOX_UID, `host uid of ${p.cmdline}`);
		}
		for (const p of python) assert.match(p.capEff, /^0+$/, "no capability on the host either");
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("deep recursion through C (setrecursionlimit(10**9)) → runtime-error by SIGSEGV on the 8 MB stack", async t => {
		if (!sandboxReady(t)) return;
		const source =
			"import functools, sys\nsys.setrecursionlimit(10**9)\n@functools.lru_cache(maxsize=None)\ndef f(n):\n    return f(n + 1) + 1\nprint(f(0))\n";
		const result = await runOnce(source);
		t.diagnostic(`C recursion: ${describeRun(result)}`);
		assert.equal(result.outcome, "runtime-error");
		// Python 3.12+ bounds C recursion itself and raises RecursionError instead of crashing.
		assert.ok(result.signal === "SIGSEGV" || /RecursionError/.test(result.stderr), `${result.signal} ${result.stderr.slice(-200)}`);
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("deep pure-Python recursion (setrecursionlimit(10**9)) → memory-limit: 3.11+ keeps Python frames on the heap", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("import sys\nsys.setrecursionlimit(10**9)\ndef f(n):\n    return f(n + 1) + 1\nprint(f(0))\n");
		t.diagnostic(`Python recursion: ${describeRun(result)}`);
		assert.ok(
			result.outcome === "memory-limit" || (result.outcome === "runtime-error" && result.signal === "SIGSEGV"),
			describeRun(result)
		);
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("huge output → output-limit with stdout truncated at outputBytes", async t => {
		if (!sandboxReady(t)) return;
		const result = await runOnce("while True:\n    print('y' * 1000)\n");
		t.diagnostic(`huge output: ${describeRun(result)} stdout ${result.stdout.length} bytes`);
		assert.equal(result.outcome, "output-limit");
		assert.equal(Buffer.byteLength(result.stdout), LIMITS.outputBytes);
		assert.match(result.stdout, /^y+\ny+/);
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("host files: /etc/passwd, the project's package.json, / and /root show nothing of the host", async t => {
		if (!sandboxReady(t)) return;
		const source = `
import os
for path in ("/etc/passwd", "/work/main/package.json", "/root/.bashrc", "/proc/1/environ"):
    try:
        print("read", path, repr(open(path).read()[:300]))
    except OSError as error:
        print("read", path, type(error).__name__)
print("ls /", sorted(os.listdir("/")))
for path in ("/root", "/home", "/etc", "/work", "/tmp", "/usr", "/usr/bin"):
    try:
        print("ls", path, sorted(os.listdir(path)))
    except OSError as error:
        print("ls", path, type(error).__name__)
`;
		const result = await runOnce(source);
		t.diagnostic(`host files:\n${result.stdout}`);
		assert.equal(result.outcome, "ok", result.stderr);
		const hostPasswd = readFileSync("/etc/passwd", "utf8");
		const hostPackage = readFileSync(join(__dirname, "../../package.json"), "utf8");
		assert.ok(!result.stdout.includes(hostPasswd.split("\n")[0]), "no line of the host's /etc/passwd");
		assert.ok(
			!result.stdout.includes('"name": "code-learn"') && !result.stdout.includes(hostPackage.slice(0, 40)),
			"nothing of package.json"
		);
		assert.match(result.stdout, /^read \/etc\/passwd FileNotFoundError$/m);
		assert.match(result.stdout, /^read \/work\/main\/package\.json FileNotFoundError$/m);
		assert.match(result.stdout, /^read \/root\/\.bashrc FileNotFoundError$/m);
		assert.match(result.stdout, /^ls \/root FileNotFoundError$/m);
		assert.match(result.stdout, /^ls \/etc FileNotFoundError$/m);
		assert.match(result.stdout, /^ls \/work FileNotFoundError$/m);
		const root = /^ls \/ \[(.*)\]$/m.exec(result.stdout)?.[1].replaceAll("'", "").split(", ") ?? [];
		for (const name of root) assert.ok(["box", "dev", "lib", "lib64", "proc", "usr"].includes(name), `unexpected /${name}`);
		assert.doesNotMatch(result.stdout, /^ls \/usr\/bin .*'sh'/m, "no shell inside");
	});

	it("sockets to 127.0.0.1:5432 and :6379 fail (seccomp refuses AF_INET; the net namespace is empty anyway)", async t => {
		if (!sandboxReady(t)) return;
		const hostRedis = await new Promise<boolean>(resolve => {
			const socket = connect(6379, "127.0.0.1", () => (socket.destroy(), resolve(true)));
			socket.on("error", () => resolve(false));
		});
		const source = `
import socket
for port in (5432, 6379):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2)
        print(port, "connected")
    except OSError as error:
        print(port, "failed", error.errno)
try:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)
    print("netlink opened")
except OSError as error:
    print("netlink failed", error.errno)
a, b = socket.socketpair()
a.sendall(b"unix ok")
print(b.recv(16).decode())
`;
		const result = await runOnce(source);
		t.diagnostic(`network (host redis listening: ${hostRedis}):\n${result.stdout}`);
		assert.equal(result.outcome, "ok", result.stderr);
		assert.match(result.stdout, /^5432 failed 97$/m);
		assert.match(result.stdout, /^6379 failed 97$/m);
		assert.match(result.stdout, /^netlink failed 97$/m);
		assert.match(result.stdout, /^unix ok$/m);
		assert.doesNotMatch(result.stdout, /connected/);
	});

	it("seccomp refuses ptrace, unshare, mount, keyctl, bpf and io_uring with EPERM", async t => {
		if (!sandboxReady(t)) return;
		const numbers: Record<string, Record<string, number>> = {
			x64: { ptrace: 101, unshare: 272, mount: 165, keyctl: 250, bpf: 321, io_uring_setup: 425 },
			arm64: { ptrace: 117, unshare: 97, mount: 40, keyctl: 219, bpf: 280, io_uring_setup: 425 }
		};
		const table = numbers[process.arch];
		assert.ok(table, `syscall numbers for ${process.arch}`);
		const source = `
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
for pair in sys.argv[1:]:
    name, nr = pair.split("=")
    result = libc.syscall(int(nr), 0x10000000, 0, 0, 0, 0)
    print(name, result, ctypes.get_errno())
`;
		const result = await runOnce(source, { args: Object.entries(table).map(([name, nr]) => `${name}=${nr}`) });
		t.diagnostic(`seccomp:\n${result.stdout}`);
		assert.equal(result.outcome, "ok", result.stderr);
		for (const name of Object.keys(table)) assert.match(result.stdout, new RegExp(`^${name} -1 1$`, "m"), name);
	});

	it("writing outside the scratch folder fails; the scratch folder is writable", async t => {
		if (!sandboxReady(t)) return;
		const marker = `sandbox-write-${randomBytes(4).toString("hex")}`;
		const targets = ["/", "/usr/", "/usr/lib/python3.11/", "/dev/", "/dev/shm/", "/proc/", "/tmp/", "/etc/", "/root/", "/box/"];
		const source = `
import sys
for folder in sys.argv[2:]:
    try:
        with open(folder + sys.argv[1], "w") as f:
            f.write("x")
        print(folder, "written")
    except OSError as error:
        print(folder, type(error).__name__)
`;
		const result = await runOnce(source, { args: [marker, ...targets] });
		t.diagnostic(`writes:\n${result.stdout}`);
		assert.equal(result.outcome, "ok", result.stderr);
		for (const folder of targets) {
			const line = new RegExp(`^${folder.replaceAll("/", "\\/")} (\\w+)$`, "m").exec(result.stdout)?.[1];
			if (folder === "/box/") assert.equal(line, "written");
			else assert.notEqual(line, "written", `wrote into ${folder}`);
			if (folder !== "/box/") assert.equal(existsSync(join(folder, marker)), false, `host ${folder}${marker}`);
		}
	});

	it("runs of one submission share nothing: a file, a process left running, a changed global are gone by the next run", async t => {
		if (!sandboxReady(t)) return;
		const source = `
import os, sys, time
print("seen", sorted(os.listdir(".")), sorted(name for name in os.listdir("/proc") if name.isdigit()), getattr(sys, "marked", None))
sys.marked = True
with open("left.txt", "w") as f:
    f.write("from the first run")
os.makedirs("deep/er", exist_ok=True)
os.chmod("deep", 0o500)
if os.fork() == 0:
    os.setsid()
    time.sleep(30)
    os._exit(0)
`;
		const program = await prepare(source);
		try {
			const first = await program.run({ stdin: "" }, LIMITS);
			const second = await program.run({ stdin: "" }, LIMITS);
			t.diagnostic(`first: ${first.stdout}second: ${second.stdout}`);
			assert.equal(first.outcome, "ok", first.stderr);
			assert.equal(second.outcome, "ok", second.stderr);
			// Only main.py in the folder; only the zygote (1) and the run itself in the namespace; a fresh interpreter state.
			const expected = /^seen \['main\.py'\] \['1', '(\d+)'\] None$/;
			assert.match(first.stdout.trim(), expected);
			assert.match(second.stdout.trim(), expected);
		} finally {
			await program.dispose();
		}
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("a run attacking the zygote (signals to pid 1, /proc/1/mem, a deleted main.py) leaves the next run unharmed", async t => {
		if (!sandboxReady(t)) return;
		const source = `
import os, signal, sys
if sys.stdin.read() == "attack":
    for name in ("SIGKILL", "SIGTERM", "SIGINT", "SIGSTOP", "SIGSEGV"):
        try:
            os.kill(1, getattr(signal, name))
            print(name, "sent")
        except OSError as error:
            print(name, type(error).__name__)
    for path, mode in (("/proc/1/mem", "rb+"), ("/proc/1/environ", "rb")):
        try:
            open(path, mode)
            print(path, "opened")
        except OSError as error:
            print(path, type(error).__name__)
    os.unlink("main.py")
    print("attacked")
else:
    print("unharmed", os.path.exists("main.py"))
`;
		const program = await prepare(source);
		try {
			const attack = await program.run({ stdin: "attack" }, LIMITS);
			t.diagnostic(`attack: ${attack.stdout}`);
			assert.equal(attack.outcome, "ok", attack.stderr);
			assert.match(attack.stdout, /^attacked$/m);
			assert.match(attack.stdout, /^\/proc\/1\/mem PermissionError$/m);
			assert.match(attack.stdout, /^\/proc\/1\/environ PermissionError$/m);
			const next = await program.run({ stdin: "" }, LIMITS);
			assert.equal(next.outcome, "ok", next.stderr);
			assert.equal(next.stdout, "unharmed True\n");
		} finally {
			await program.dispose();
		}
		assertHostUnaffected(baselineSandboxProcesses);
	});

	it("measures: a trivial run, and judged submissions of 10 tests (runs sequential, two submissions at once)", async t => {
		if (!sandboxReady(t)) return;
		const trivial = await prepare("print(1)\n");
		const times: number[] = [];
		for (let i = 0; i < 20; i++) {
			const started = performance.now();
			const result = await trivial.run({ stdin: "" }, LIMITS);
			times.push(performance.now() - started);
			assert.equal(result.stdout, "1\n");
		}
		await trivial.dispose();
		times.sort((a, b) => a - b);
		t.diagnostic(`trivial run: median ${times[10].toFixed(1)} ms, p90 ${times[18].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`);

		const source = "import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n";
		const submissions = 12;
		let next = 0;
		let wrong = 0;
		const judge = async (): Promise<void> => {
			while (next < submissions) {
				next++;
				const program = await prepare(source);
				for (let test = 0; test < 10; test++) {
					const result = await program.run({ stdin: `${test} ${test * 7}\n` }, LIMITS);
					if (result.outcome !== "ok" || result.stdout !== `${test * 8}\n`) wrong++;
				}
				await program.dispose();
			}
		};
		const started = performance.now();
		await Promise.all([judge(), judge()]);
		const seconds = (performance.now() - started) / 1000;
		t.diagnostic(
			`throughput: ${submissions} submissions × 10 tests in ${seconds.toFixed(2)} s = ${(submissions / seconds).toFixed(2)} submissions/s, ${((submissions * 10) / seconds).toFixed(1)} runs/s`
		);
		assert.equal(wrong, 0);
		assertHostUnaffected(baselineSandboxProcesses);
	});
});
