import autocannon from "autocannon";
import type { BenchOptions } from "./options";
import { cpuSeconds } from "./processes";
import type { RunningTopology } from "./topologies";

export const SCENARIO_IDS = ["raw", "health", "read", "login"] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

interface Request {
	method: "GET" | "POST";
	path: string;
	headers?: Record<string, string>;
	body?: string;
}

export interface ScenarioInfo {
	id: ScenarioId;
	label: string;
	request(t: RunningTopology): Request;
	/**
	 * Least warm-up, in seconds. Logins take seconds of scrypt each and finish in batches: the
	 * first answers come seconds after the load starts, so a short warm-up under-counts them.
	 */
	minWarmup?: number;
	/** Measured over options.loginDuration instead of options.duration (see there). */
	longWindow?: boolean;
}

function user(t: RunningTopology) {
	if (!t.user) throw new Error(`${t.info.id} has no bench user`);
	return t.user;
}

export const SCENARIOS: Record<ScenarioId, ScenarioInfo> = {
	raw: { id: "raw", label: "GET / (raw http)", request: () => ({ method: "GET", path: "/" }) },
	health: { id: "health", label: "GET /health/live", request: () => ({ method: "GET", path: "/health/live" }) },
	read: {
		id: "read",
		label: "GET /api/users/:name (cached)",
		request: t => ({ method: "GET", path: `/api/users/${encodeURIComponent(user(t).username)}` })
	},
	login: {
		id: "login",
		label: "POST /api/auth/login",
		minWarmup: 8,
		longWindow: true,
		request: t => ({
			method: "POST",
			path: "/api/auth/login",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ login: user(t).username, password: user(t).password })
		})
	}
};

export interface Measurement {
	round: number;
	topology: string;
	scenario: ScenarioId;
	startedAt: string;
	/** The measured window; the warm-up before it loaded the target but was not counted. */
	durationS: number;
	warmupS: number;
	/** 2xx responses per second: errors don't count as throughput. */
	reqPerSec: number;
	/** Every response (any status) per second. */
	allReqPerSec: number;
	latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
	/** Responses and errors (timeouts included) are counted within the measured window only. */
	ok: number;
	non2xx: number;
	errors: number;
	timeouts: number;
	statusCodes: Record<string, number>;
	/** CPU used during the measured window, in cores (1 = one core busy all the time), per process. */
	cpuCores: Record<string, number>;
	/** The runner's own CPU (autocannon), in cores. */
	runnerCpuCores: number;
	/** Whether every process was idle before the run started. */
	settled: boolean;
}

/** The active load generator, so that an interrupt can stop it. */
let current: autocannon.Instance | undefined;
export function stopLoad(): void {
	current?.stop();
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function cpuSnapshot(t: RunningTopology) {
	return { at: performance.now(), runner: process.cpuUsage(), processes: new Map(t.processes.map(p => [p.name, cpuSeconds(p.pid)])) };
}

/**
 * One continuous autocannon run: the first `warmup` seconds load the target but are not counted
 * (so the measured window starts in steady state, with the server's queues already full), then
 * `duration` seconds are measured from autocannon's per-response events.
 */
export async function measure(
	t: RunningTopology,
	scenario: ScenarioId,
	options: BenchOptions,
	round: number,
	settled: boolean
): Promise<Measurement> {
	const info = SCENARIOS[scenario];
	const request = info.request(t);
	const warmup = Math.max(options.warmup, info.minWarmup ?? 0);
	const duration = info.longWindow ? options.loginDuration : options.duration;

	const responses: { at: number; status: number; ms: number }[] = [];
	let errors = 0;
	let timeouts = 0;
	const instance = autocannon({
		url: t.baseUrl + request.path,
		method: request.method,
		headers: request.headers,
		body: request.body,
		connections: options.connections,
		duration: warmup + duration,
		// Queued scrypt logins take many seconds; a short client timeout would only hide them.
		timeout: Math.max(60, Math.ceil(options.requestTimeoutMs / 1000) + 5)
	});
	current = instance;
	const began = performance.now();
	const windowStart = began + warmup * 1000;
	const windowEnd = windowStart + duration * 1000;
	instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
		responses.push({ at: performance.now(), status, ms });
	});
	instance.on("reqError", (err: Error) => {
		const now = performance.now();
		if (now < windowStart || now > windowEnd) return;
		errors++;
		if (err.message.includes("timed out")) timeouts++;
	});

	let cpuBefore: ReturnType<typeof cpuSnapshot> | undefined;
	let cpuAfter: ReturnType<typeof cpuSnapshot> | undefined;
	const startTimer = setTimeout(() => (cpuBefore = cpuSnapshot(t)), windowStart - began);
	const endTimer = setTimeout(() => (cpuAfter = cpuSnapshot(t)), windowEnd - began);
	try {
		await instance;
	} finally {
		current = undefined;
		clearTimeout(startTimer);
		clearTimeout(endTimer);
	}
	cpuAfter ??= cpuSnapshot(t);
	if (!cpuBefore) throw new Error("the load run ended before its measured window began");

	const counted = responses.filter(r => r.at >= windowStart && r.at <= windowEnd);
	const ok = counted.filter(r => r.status >= 200 && r.status < 300).length;
	const statusCodes: Record<string, number> = {};
	for (const r of counted) statusCodes[r.status] = (statusCodes[r.status] ?? 0) + 1;
	const latencies = counted.map(r => r.ms).sort((a, b) => a - b);

	const cpuWindowS = (cpuAfter.at - cpuBefore.at) / 1000;
	const cpuCores: Record<string, number> = {};
	for (const [name, after] of cpuAfter.processes) {
		const before = cpuBefore.processes.get(name);
		if (after !== undefined && before !== undefined) cpuCores[name] = round2((after - before) / cpuWindowS);
	}
	const runnerCpuS = (cpuAfter.runner.user + cpuAfter.runner.system - cpuBefore.runner.user - cpuBefore.runner.system) / 1e6;

	return {
		round,
		topology: t.info.id,
		scenario,
		startedAt: new Date(Date.now() - (performance.now() - windowStart)).toISOString(),
		durationS: duration,
		warmupS: warmup,
		reqPerSec: ok / duration,
		allReqPerSec: counted.length / duration,
		latencyMs: {
			p50: round2(percentile(latencies, 50)),
			p90: round2(percentile(latencies, 90)),
			p99: round2(percentile(latencies, 99)),
			mean: round2(latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1)),
			max: round2(latencies.at(-1) ?? NaN)
		},
		ok,
		non2xx: counted.length - ok,
		errors,
		timeouts,
		statusCodes,
		cpuCores,
		runnerCpuCores: round2(runnerCpuS / cpuWindowS),
		settled
	};
}
