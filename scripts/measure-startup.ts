/**
 * Measures the one-process platform's start-up budgets: first start on a fresh data directory,
 * warm start on the same directory (time to /health/ready = 200), and resident memory once ready.
 *   npm run measure-startup
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const BUDGETS = { firstStartS: 30, warmStartS: 10, rssMiB: 1024 };

async function freePort(): Promise<number> {
	const server = net.createServer().listen(0, "127.0.0.1");
	await new Promise(resolve => server.once("listening", resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

function rssMiB(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
	return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function startAndMeasure(dataDir: string) {
	const port = await freePort();
	const started = performance.now();
	const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), METRICS_PORT: "0", LOG_LEVEL: "warn" },
		stdio: "ignore"
	});
	try {
		for (;;) {
			if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
			const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
				r => r.ok,
				() => false
			);
			if (ok) break;
			if (performance.now() - started > 120_000) throw new Error("not ready within 120 s");
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		const seconds = (performance.now() - started) / 1000;
		return { seconds, rss: rssMiB(child.pid!) };
	} finally {
		child.kill("SIGTERM");
		await new Promise(resolve => child.once("exit", resolve));
	}
}

async function main() {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "codelearn-startup-"));
	try {
		const first = await startAndMeasure(dataDir);
		const warm = await startAndMeasure(dataDir);
		const rows = [
			[
				"first start (fresh data dir)",
				`${first.seconds.toFixed(1)} s`,
				`< ${BUDGETS.firstStartS} s`,
				first.seconds < BUDGETS.firstStartS
			],
			["warm start", `${warm.seconds.toFixed(1)} s`, `< ${BUDGETS.warmStartS} s`, warm.seconds < BUDGETS.warmStartS],
			[
				"resident memory when ready",
				`${Math.max(first.rss, warm.rss).toFixed(0)} MiB`,
				`< ${BUDGETS.rssMiB} MiB`,
				Math.max(first.rss, warm.rss) < BUDGETS.rssMiB
			]
		] as const;
		for (const [what, value, budget, ok] of rows)
			process.stdout.write(`${what.padEnd(30)} ${value.padStart(10)}  budget ${budget}  ${ok ? "ok" : "OVER"}\n`);
		if (rows.some(r => !r[3])) process.exitCode = 1;
	} finally {
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

void main();
