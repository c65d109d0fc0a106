/**
 * Platform nodes as separate OS processes (`node --import tsx server.ts`), the way they run in a
 * cluster: each with its own environment, ports and output, waited for through its readiness
 * probe, and always ended by the test that started it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { TestContext } from "node:test";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** Output kept per process for diagnostics: the tail is what explains a failure. */
const OUTPUT_LIMIT = 256 * 1024;

/** Ports handed out by this process: never twice, even before their node has bound them. */
const handedOut = new Set<number>();

/** A port that was free a moment ago: bind port 0 on loopback, read it, close. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
	for (;;) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.once("error", reject);
			server.listen(0, host, () => {
				const { port } = server.address() as net.AddressInfo;
				server.close(err => (err ? reject(err) : resolve(port)));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/** Several distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
	const ports: number[] = [];
	while (ports.length < count) ports.push(await freePort());
	return ports;
}

export interface NodeExit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface NodeProcess {
	/** A short label for messages, e.g. "users-1". */
	readonly name: string;
	readonly nodeID: string;
	readonly child: ChildProcess;
	readonly pid: number;
	readonly env: Readonly<Record<string, string>>;
	/** Where this node answers `/health/ready`: the gateway's port, or HEALTH_PORT. */
	readonly healthUrl: string;
	/** `http://127.0.0.1:<METRICS_PORT>/metrics`, when the node has a metrics port. */
	readonly metricsUrl: string | undefined;
	/** Settles when the process has exited, however. */
	readonly exited: Promise<NodeExit>;
	/** The exit, once it happened. */
	readonly exit: NodeExit | undefined;
	/** Everything the process wrote (the last OUTPUT_LIMIT characters), stdout and stderr interleaved. */
	output(): string;
	/** Resolves when `/health/ready` answers 200; rejects with the output if it doesn't by the deadline. */
	waitReady(timeoutMs?: number): Promise<void>;
	/** Sends the signal and waits for the exit; SIGTERM escalates to SIGKILL after graceMs. */
	stop(signal?: NodeJS.Signals, graceMs?: number): Promise<NodeExit>;
	/** The node's Prometheus text. */
	metrics(): Promise<string>;
}

/** Every process started here and not yet exited: the last line of defence against orphans. */
const running = new Set<ChildProcess>();

process.once("exit", () => {
	for (const child of running) child.kill("SIGKILL");
});

export interface StartNodeOptions {
	name: string;
	/** The node's whole configuration; PATH and HOME come from this process, nothing else does. */
	env: Record<string, string>;
	/** A compiled build instead of the sources: its folder (holding package.json and dist/). */
	compiledIn?: string;
}

/**
 * Spawns `node --import tsx server.ts` in the repository root (or `node dist/server.js` in a
 * compiled build's folder). The environment is exactly `options.env` (plus PATH/HOME), so that no
 * variable of the test runner leaks into the node.
 */
export function startNode(options: StartNodeOptions): NodeProcess {
	const env = { ...options.env };
	const host = env.HOST ?? "127.0.0.1";
	const isGateway = (env.SERVICES ?? "gateway,users")
		.split(",")
		.map(s => s.trim())
		.includes("gateway");
	const healthPort = isGateway ? env.PORT : env.HEALTH_PORT;
	if (!healthPort || healthPort === "0") {
		throw new Error(`${options.name}: set ${isGateway ? "PORT" : "HEALTH_PORT"} to a known free port to probe readiness`);
	}
	const metricsEnabled = env.METRICS_ENABLED !== "false" && env.METRICS_ENABLED !== "0";
	const metricsUrl =
		metricsEnabled && env.METRICS_PORT && env.METRICS_PORT !== "0" ? `http://${host}:${env.METRICS_PORT}/metrics` : undefined;

	const command = options.compiledIn ? ["dist/server.js"] : ["--import", "tsx", "server.ts"];
	const child = spawn(process.execPath, command, {
		cwd: options.compiledIn ?? REPO_ROOT,
		env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
		stdio: ["ignore", "pipe", "pipe"]
	});
	if (child.pid === undefined) throw new Error(`${options.name}: spawn failed`);
	running.add(child);

	let output = "";
	const append = (chunk: Buffer) => {
		output += chunk.toString("utf8");
		if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
	};
	child.stdout!.on("data", append);
	child.stderr!.on("data", append);

	let exit: NodeExit | undefined;
	const exited = new Promise<NodeExit>(resolve => {
		child.once("exit", (code, signal) => {
			exit = { code, signal };
			running.delete(child);
			resolve(exit);
		});
		child.once("error", err => {
			append(Buffer.from(`\n[spawn error] ${err.message}\n`));
		});
	});

	const node: NodeProcess = {
		name: options.name,
		nodeID: env.NODE_ID ?? `(pid ${child.pid})`,
		child,
		pid: child.pid,
		env,
		healthUrl: `http://${host}:${healthPort}/health/ready`,
		metricsUrl,
		exited,
		get exit() {
			return exit;
		},
		output: () => output,

		async waitReady(timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			let last = "no answer yet";
			while (Date.now() < deadline) {
				if (exit) throw new NodeError(node, `exited (${describeExit(exit)}) before it was ready`);
				try {
					const res = await fetch(node.healthUrl, { signal: AbortSignal.timeout(2000) });
					const text = await res.text();
					if (res.status === 200) return;
					last = `${res.status} ${text}`;
				} catch (err) {
					last = (err as Error).message;
				}
				await delay(100);
			}
			throw new NodeError(node, `not ready within ${timeoutMs} ms (last probe: ${last})`);
		},

		async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 15_000) {
			if (exit) return exit;
			child.kill(signal);
			if (signal !== "SIGKILL") {
				const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
				try {
					return await exited;
				} finally {
					clearTimeout(timer);
				}
			}
			return exited;
		},

		async metrics() {
			if (!metricsUrl) throw new Error(`${options.name}: started without a METRICS_PORT`);
			// A fresh connection each time (no keep-alive): tests scrape a node every few ms while it
			// shuts down, and a connection kept busy that way holds up the metrics server's close().
			const { status, body } = await getOnce(metricsUrl);
			if (status !== 200) throw new NodeError(node, `metrics answered ${status}`);
			return body;
		}
	};
	return node;
}

function getOnce(url: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent: false, timeout: 5000 }, res => {
			let body = "";
			res.setEncoding("utf8");
			res.on("data", chunk => (body += chunk));
			res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on("timeout", () => req.destroy(new Error(`${url}: no answer within 5 s`)));
		req.on("error", reject);
	});
}

function describeExit(exit: NodeExit): string {
	return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** An error that carries the tail of the node's output, so a failing test says why. */
export class NodeError extends Error {
	constructor(node: NodeProcess, message: string) {
		super(`${node.name} (${node.nodeID}, pid ${node.pid}): ${message}\n${outputTail(node)}`);
		this.name = "NodeError";
	}
}

/** The last lines a node wrote, framed for an assertion message or a log. */
export function outputTail(node: NodeProcess, maxChars = 6000): string {
	const text = node.output();
	const tail = text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
	return `--- output of ${node.name} ---\n${tail || "(nothing)"}\n--- end of ${node.name} ---`;
}

/**
 * A group of nodes that is stopped as a whole, in `after`: SIGTERM (graceful) for those still
 * running, SIGKILL for any that don't leave within the grace period.
 */
export class NodeGroup {
	readonly nodes: NodeProcess[] = [];

	start(options: StartNodeOptions): NodeProcess {
		const node = startNode(options);
		this.nodes.push(node);
		return node;
	}

	/** Nodes still running. */
	get alive(): NodeProcess[] {
		return this.nodes.filter(n => !n.exit);
	}

	async stopAll(graceMs = 15_000): Promise<void> {
		await Promise.all(this.alive.map(n => n.stop("SIGTERM", graceMs)));
	}

	/** All outputs, for a failure report. */
	outputs(): string {
		return this.nodes.map(n => outputTail(n)).join("\n");
	}

	/** Runs a test's body; if it fails, the nodes' output goes into the test's diagnostics. */
	async diagnosed(t: TestContext, body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (err) {
			t.diagnostic(this.outputs());
			throw err;
		}
	}
}

// --- Prometheus text ---

export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus' text exposition format into samples (comments skipped). */
export function parsePrometheus(text: string): Sample[] {
	const samples: Sample[] = [];
	for (const line of text.split("\n")) {
		if (!line || line.startsWith("#")) continue;
		const match = SAMPLE_LINE.exec(line.trim());
		if (!match) continue;
		const labels: Record<string, string> = {};
		for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) {
			labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
		}
		samples.push({ name: match[1], labels, value: Number(match[3]) });
	}
	return samples;
}

/** The sum of a series' samples whose labels include all of `labels` (0 when there is none). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
	return parsePrometheus(text)
		.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
		.reduce((sum, s) => sum + s.value, 0);
}
