import fs from "node:fs";
import path from "node:path";
import type { Measurement, ScenarioId } from "./scenarios";
import { SCENARIO_IDS, SCENARIOS } from "./scenarios";
import { TOPOLOGIES, type TopologyId } from "./topologies";

export function median(values: number[]): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface SummaryRow {
	scenario: ScenarioId;
	topology: TopologyId;
	rounds: number;
	/** Seconds of each measured window. */
	durationS: number;
	/** Medians over the rounds. */
	reqPerSec: number;
	p50Ms: number;
	p99Ms: number;
	/** reqPerSec / the baseline's reqPerSec of the same run. */
	ratioToBaseline: number | null;
	/** Non-2xx responses, errors and timeouts, summed over the rounds. */
	failed: number;
	cpuCores: Record<string, number>;
	runnerCpuCores: number;
	/** Little's law: connections / req/s, the mean time a request spends in the system. */
	littleLatencyS: number | null;
	diagnostic: boolean;
}

/** The CPU name of a process without its topology prefix: "two-node/users" → "users". */
const shortName = (name: string) => name.slice(name.indexOf("/") + 1);

export function summarize(measurements: Measurement[], connections: number): SummaryRow[] {
	const baseline = median(measurements.filter(m => m.scenario === "raw").map(m => m.reqPerSec));
	const rows: SummaryRow[] = [];
	for (const scenario of SCENARIO_IDS) {
		for (const topology of Object.keys(TOPOLOGIES) as TopologyId[]) {
			const runs = measurements.filter(m => m.scenario === scenario && m.topology === topology);
			if (!runs.length) continue;
			const reqPerSec = median(runs.map(m => m.reqPerSec));
			const cpuCores: Record<string, number> = {};
			for (const name of Object.keys(runs[0].cpuCores)) {
				cpuCores[shortName(name)] = median(runs.map(m => m.cpuCores[name] ?? NaN).filter(Number.isFinite));
			}
			rows.push({
				scenario,
				topology,
				rounds: runs.length,
				durationS: runs[0].durationS,
				reqPerSec,
				p50Ms: median(runs.map(m => m.latencyMs.p50)),
				p99Ms: median(runs.map(m => m.latencyMs.p99)),
				ratioToBaseline: Number.isFinite(baseline) && baseline > 0 ? reqPerSec / baseline : null,
				failed: runs.reduce((sum, m) => sum + m.non2xx + m.errors, 0),
				cpuCores,
				runnerCpuCores: median(runs.map(m => m.runnerCpuCores)),
				littleLatencyS: reqPerSec > 0 ? connections / reqPerSec : null,
				diagnostic: TOPOLOGIES[topology].diagnostic
			});
		}
	}
	return rows;
}

export interface Checks {
	/** Two-node cached read req/s over one-process cached read req/s (medians). */
	readRatio: number | null;
	/** The same ratio taken round by round (each pair measured minutes apart at most), then the median. */
	readRatioPerRound: number[];
	readRatioTarget: number;
	readRatioMet: boolean | null;
	twoNodeReadP99Ms: number | null;
	twoNodeReadP99Limit: number;
	twoNodeReadP99Met: boolean | null;
	/** Is the two-node gateway answering cache hits itself? From the users node's CPU and the no-Redis run. */
	remoteCache: {
		usersNodeCpuCoresWithRedis: number | null;
		usersNodeCpuCoresWithoutRedis: number | null;
		readWithRedisOverWithoutRedis: number | null;
		gatewayServesHits: boolean | null;
	};
}

const READ_RATIO_TARGET = 0.25;
const P99_LIMIT_MS = 100;
/** Below this the users node is idle: heartbeats only, no request handling. */
const IDLE_CORES = 0.05;

export function computeChecks(rows: SummaryRow[], measurements: Measurement[]): Checks {
	const row = (scenario: ScenarioId, topology: TopologyId) => rows.find(r => r.scenario === scenario && r.topology === topology);
	const one = row("read", "one-process");
	const two = row("read", "two-node");
	const noRedis = row("read", "two-node-no-redis");
	const readRatio = one && two && one.reqPerSec > 0 ? two.reqPerSec / one.reqPerSec : null;
	const readRatioPerRound: number[] = [];
	for (const round of new Set(measurements.map(m => m.round))) {
		const a = measurements.find(m => m.round === round && m.scenario === "read" && m.topology === "one-process");
		const b = measurements.find(m => m.round === round && m.scenario === "read" && m.topology === "two-node");
		if (a && b && a.reqPerSec > 0) readRatioPerRound.push(b.reqPerSec / a.reqPerSec);
	}
	const usersWith = two?.cpuCores.users ?? null;
	const usersWithout = noRedis?.cpuCores.users ?? null;
	return {
		readRatio,
		readRatioPerRound,
		readRatioTarget: READ_RATIO_TARGET,
		readRatioMet: readRatio === null ? null : readRatio >= READ_RATIO_TARGET,
		twoNodeReadP99Ms: two?.p99Ms ?? null,
		twoNodeReadP99Limit: P99_LIMIT_MS,
		twoNodeReadP99Met: two ? two.p99Ms < P99_LIMIT_MS : null,
		remoteCache: {
			usersNodeCpuCoresWithRedis: usersWith,
			usersNodeCpuCoresWithoutRedis: usersWithout,
			readWithRedisOverWithoutRedis: two && noRedis && noRedis.reqPerSec > 0 ? two.reqPerSec / noRedis.reqPerSec : null,
			gatewayServesHits: usersWith === null ? null : usersWith < IDLE_CORES
		}
	};
}

function fmtRate(n: number): string {
	if (!Number.isFinite(n)) return "n/a";
	return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1);
}

function fmtMs(n: number): string {
	if (!Number.isFinite(n)) return "n/a";
	return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

function fmtRatio(n: number | null, digits = 2): string {
	if (n === null || !Number.isFinite(n)) return "n/a";
	// Login is ~10⁻⁴ of the baseline: keep two significant digits rather than print 0.000.
	return n === 0 || n >= 10 ** -digits ? n.toFixed(digits) : n.toPrecision(2);
}

const yesNo = (b: boolean | null, yes = "yes", no = "NO") => (b === null ? "n/a" : b ? yes : no);

function table(header: string[], body: string[][], rightAligned: Set<number>): string {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
	return [line(header), widths.map(w => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function renderReport(rows: SummaryRow[], checks: Checks, context: string): string {
	const header = ["Scenario", "Topology", "req/s", "p50 ms", "p99 ms", "× baseline", "failed", "CPU cores during run"];
	const body = rows.map(r => [
		SCENARIOS[r.scenario].label,
		TOPOLOGIES[r.topology].label + (r.diagnostic ? " *" : ""),
		fmtRate(r.reqPerSec),
		fmtMs(r.p50Ms),
		fmtMs(r.p99Ms),
		fmtRatio(r.ratioToBaseline, 3),
		String(r.failed),
		[...Object.entries(r.cpuCores).map(([name, c]) => `${name} ${c.toFixed(2)}`), `runner ${r.runnerCpuCores.toFixed(2)}`].join(", ")
	]);
	const rc = checks.remoteCache;
	const lines = [
		context,
		"",
		table(header, body, new Set([2, 3, 4, 5, 6])),
		"",
		"req/s: 2xx responses per second; all figures are medians over the rounds; 'failed' sums non-2xx and errors.",
		"* diagnostic topology, measured only to explain the two-node cached read.",
		...rows
			.filter(r => r.littleLatencyS !== null && r.littleLatencyS > r.durationS / 2)
			.map(
				r =>
					`${SCENARIOS[r.scenario].label} @ ${TOPOLOGIES[r.topology].label}: latencies count only requests finished within the ` +
					`${r.durationS} s window; by Little's law a request there waits ≈ ${r.littleLatencyS!.toFixed(1)} s on average.`
			),
		"",
		`Cached read, two nodes / one process: ${fmtRatio(checks.readRatio)} (target ≥ ${checks.readRatioTarget}: ${yesNo(checks.readRatioMet, "met", "NOT met")})` +
			(checks.readRatioPerRound.length > 1 ? `; per round: ${checks.readRatioPerRound.map(r => r.toFixed(2)).join(", ")}` : ""),
		`Cached read p99 on two nodes: ${checks.twoNodeReadP99Ms === null ? "n/a" : `${fmtMs(checks.twoNodeReadP99Ms)} ms`} (under ${checks.twoNodeReadP99Limit} ms: ${yesNo(checks.twoNodeReadP99Met)})`,
		`Gateway answers cache hits itself (two nodes + Redis): ${yesNo(rc.gatewayServesHits)}` +
			` (users node CPU during the read: ${fmtRatio(rc.usersNodeCpuCoresWithRedis)} cores with Redis, ${fmtRatio(rc.usersNodeCpuCoresWithoutRedis)} without;` +
			` read req/s with Redis / without: ${fmtRatio(rc.readWithRedisOverWithoutRedis)})`
	];
	return lines.join("\n");
}

export function writeJson(file: string, data: unknown): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
