import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const REPO_ROOT = path.resolve(__dirname, "..");
const LOG_DIR = path.join(__dirname, "results", "logs");
const TAIL_LINES = 40;

/** A port nobody listens on right now (bind port 0, read it, release it). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, host, () => resolve());
	});
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

/** Every process the bench has spawned, for the last-resort kill when the runner exits. */
const spawned = new Set<BenchProcess>();

/** SIGKILL to every spawned process still running (synchronous: usable in an 'exit' handler). */
export function killAllNow(): void {
	for (const p of spawned) if (!p.exit()) p.child.kill("SIGKILL");
}

export interface BenchProcess {
	/** `<topology>/<node>`, used in logs and reports. */
	name: string;
	pid: number;
	child: ChildProcess;
	logFile: string;
	/** Exit code or signal once the process has ended, else undefined. */
	exit(): string | undefined;
	/** The last lines it wrote to stdout/stderr. */
	tail(): string;
	stop(): Promise<void>;
}

/**
 * Spawns `node --import tsx <script>` from the repository root, its output kept in a log file
 * (named after `logName`, by default the process name: a restarted process needs its own).
 */
export function spawnScript(name: string, script: string, env: NodeJS.ProcessEnv, logName = name): BenchProcess {
	fs.mkdirSync(LOG_DIR, { recursive: true });
	const logFile = path.join(LOG_DIR, `${logName.replace(/[^A-Za-z0-9_-]+/g, "_")}.log`);
	const log = fs.createWriteStream(logFile);
	const lines: string[] = [];
	const child = spawn(process.execPath, ["--import", "tsx", script], {
		cwd: REPO_ROOT,
		env,
		stdio: ["ignore", "pipe", "pipe"]
	});
	if (child.pid === undefined) throw new Error(`${name}: could not spawn ${process.execPath}`);
	const keep = (chunk: Buffer) => {
		log.write(chunk);
		for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(line);
		if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
	};
	child.stdout!.on("data", keep);
	child.stderr!.on("data", keep);

	let exitDescription: string | undefined;
	const exited = new Promise<void>(resolve => {
		child.once("exit", (code, signal) => {
			exitDescription = signal ? `signal ${signal}` : `code ${code}`;
			resolve();
		});
		child.once("error", err => {
			exitDescription = `spawn error: ${err.message}`;
			resolve();
		});
	});
	void exited.then(() => log.end());

	const proc: BenchProcess = {
		name,
		pid: child.pid,
		child,
		logFile,
		exit: () => exitDescription,
		tail: () => lines.join("\n"),
		async stop() {
			if (exitDescription) return;
			child.kill("SIGTERM");
			const graceful = await Promise.race([exited.then(() => true), sleep(12_000).then(() => false)]);
			if (!graceful) {
				child.kill("SIGKILL");
				await exited;
			}
		}
	};
	spawned.add(proc);
	return proc;
}

/** Throws, with the last output, if any of these processes has ended. */
export function assertAlive(processes: BenchProcess[]): void {
	for (const p of processes) {
		const exit = p.exit();
		if (exit) throw new Error(`${p.name} (pid ${p.pid}) exited (${exit}); last output:\n${p.tail()}\n(log: ${p.logFile})`);
	}
}

/**
 * Polls `url` until it answers 200, or throws at the deadline (or when the process dies first).
 */
export async function waitForOk(url: string, deadline: number, processes: BenchProcess[]): Promise<void> {
	let last = "no answer";
	while (Date.now() < deadline) {
		assertAlive(processes);
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			const text = await res.text();
			if (res.status === 200) return;
			last = `${res.status} ${text.slice(0, 300)}`;
		} catch (err) {
			last = (err as Error).message;
		}
		await sleep(250);
	}
	throw new Error(`${url} not ready before the deadline; last answer: ${last}`);
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) the process has used, from /proc; undefined where there is none. */
export function cpuSeconds(pid: number): number | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		// After the command: state is field 3, utime field 14, stime field 15 (1-based).
		return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
	} catch {
		return undefined;
	}
}

/**
 * Waits until the processes together use less than `maxCores` of CPU over half a second (e.g. a
 * login run's queued scrypt calls have drained). Returns false if they never did by the deadline.
 */
export async function waitQuiet(pids: number[], timeoutS: number, maxCores = 0.15): Promise<boolean> {
	const deadline = Date.now() + timeoutS * 1000;
	const total = () => pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
	for (;;) {
		const before = total();
		await sleep(500);
		if ((total() - before) / 0.5 < maxCores) return true;
		if (Date.now() >= deadline) return false;
	}
}

/** Busy and total CPU time of the whole machine (every process, the bench's and others'), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } | undefined {
	try {
		const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
		// cpu user nice system idle iowait irq softirq steal (guest time is already counted in user)
		const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
		const total = user + nice + system + idle + iowait + irq + softirq + steal;
		return { busy: total - idle - iowait, total };
	} catch {
		return undefined;
	}
}

/** Cores the whole machine kept busy between two machineCpu() readings. */
export function machineCores(before: ReturnType<typeof machineCpu>, after: ReturnType<typeof machineCpu>): number | null {
	if (!before || !after || after.total <= before.total) return null;
	return ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;
}

/**
 * Waits until the whole machine (PostgreSQL and RabbitMQ included, which waitQuiet does not
 * watch) uses less than `maxCores` over a second. Returns the cores of the last second, and
 * whether it went quiet by the deadline.
 */
export async function waitMachineQuiet(timeoutS: number, maxCores: number): Promise<{ quiet: boolean; cores: number | null }> {
	const deadline = Date.now() + timeoutS * 1000;
	for (;;) {
		const before = machineCpu();
		await sleep(1000);
		const cores = machineCores(before, machineCpu());
		if (cores === null || cores < maxCores) return { quiet: true, cores };
		if (Date.now() >= deadline) return { quiet: false, cores };
	}
}
