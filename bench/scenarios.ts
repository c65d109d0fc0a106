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
	durationS: number;
	/** 2xx responses per second: errors don't count as throughput. */
	reqPerSec: number;
	/** Every completed response per second, as autocannon counts them. */
	allReqPerSec: number;
	latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
	ok: number;
	non2xx: number;
	errors: number;
	timeouts: number;
	statusCodes: Record<string, number>;
	/** CPU used during the measured run, in cores (1 = one core busy all the time), per process. */
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

async function load(options: autocannon.Options): Promise<autocannon.Result> {
	current = autocannon(options);
	try {
		return await current;
	} finally {
		current = undefined;
	}
}

function cpuSnapshot(t: RunningTopology): Map<string, number | undefined> {
	return new Map(t.processes.map(p => [p.name, cpuSeconds(p.pid)]));
}

/** A warm-up run, then the measured run, of one scenario against one topology. */
export async function measure(
	t: RunningTopology,
	scenario: ScenarioId,
	options: BenchOptions,
	round: number,
	settled: boolean
): Promise<Measurement> {
	const request = SCENARIOS[scenario].request(t);
	const base: autocannon.Options = {
		url: t.baseUrl + request.path,
		method: request.method,
		headers: request.headers,
		body: request.body,
		connections: options.connections,
		// Queued scrypt logins take seconds; a client-side timeout would only hide them.
		timeout: Math.max(30, Math.ceil(options.requestTimeoutMs / 1000) + 5)
	};
	if (options.warmup > 0) await load({ ...base, duration: options.warmup });

	const startedAt = new Date().toISOString();
	const cpuBefore = cpuSnapshot(t);
	const runnerBefore = process.cpuUsage();
	const result = await load({ ...base, duration: options.duration });
	const runnerCpu = process.cpuUsage(runnerBefore);
	const cpuAfter = cpuSnapshot(t);

	const seconds = result.duration || options.duration;
	const cpuCores: Record<string, number> = {};
	for (const [name, after] of cpuAfter) {
		const before = cpuBefore.get(name);
		if (after !== undefined && before !== undefined) cpuCores[name] = (after - before) / seconds;
	}
	const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
	return {
		round,
		topology: t.info.id,
		scenario,
		startedAt,
		durationS: seconds,
		reqPerSec: result["2xx"] / seconds,
		allReqPerSec: result.requests.total / seconds,
		latencyMs: {
			p50: result.latency.p50,
			p90: result.latency.p90,
			p99: result.latency.p99,
			mean: result.latency.mean,
			max: result.latency.max
		},
		ok: result["2xx"],
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		statusCodes,
		cpuCores,
		runnerCpuCores: (runnerCpu.user + runnerCpu.system) / 1e6 / seconds,
		settled
	};
}
