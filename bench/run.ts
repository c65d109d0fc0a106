/**
 * Throughput bench: starts each topology as separate processes, drives them with autocannon
 * round by round (the machine is noisy), and prints one table of medians; the results also go to
 * bench/results/latest.json. Options: `npm run bench -- --help`.
 */
import { execFileSync } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { cleanUp } from "./cleanup";
import { type BenchOptions, parseOptions } from "./options";
import { assertAlive, killAllNow, REPO_ROOT, waitQuiet } from "./processes";
import { computeChecks, renderReport, summarize, writeJson } from "./report";
import { type Measurement, measure, type ScenarioId, SCENARIOS, stopLoad } from "./scenarios";
import { type RunningTopology, startTopology, TOPOLOGIES } from "./topologies";

const log = (line: string) => process.stderr.write(`${line}\n`);

function installSignalHandlers() {
	let interrupted = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (interrupted) {
			log(`${signal} again: killing the spawned processes now`);
			killAllNow();
			process.exit(130);
		}
		interrupted = true;
		log(`${signal}: stopping the load and the spawned processes (again to kill at once)`);
		stopLoad();
		void cleanUp().finally(() => process.exit(130));
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);
	// Last resort (an uncaught error, process.exit elsewhere): no child outlives the runner.
	process.on("exit", killAllNow);
}

async function reachable(url: string): Promise<void> {
	const { hostname, port } = new URL(url);
	await new Promise<void>((resolve, reject) => {
		const socket = net.connect({ host: hostname, port: Number(port) });
		socket.setTimeout(3000, () => socket.destroy(new Error("timed out")));
		socket.once("connect", () => {
			socket.end();
			resolve();
		});
		socket.once("error", err => reject(new Error(`${hostname}:${port} (${url.split("@").pop()}) unreachable: ${err.message}`)));
	});
}

async function preflight(options: BenchOptions) {
	const needs = new Set<string>();
	for (const id of options.topologies) {
		if (id !== "baseline") needs.add(options.postgresUrl);
		if (id.startsWith("two-node")) needs.add(options.amqpUrl);
		if (id === "two-node") needs.add(options.redisUrl);
	}
	await Promise.all([...needs].map(reachable));
}

/** The commit measured, and whether the working tree differed from it. */
function gitRevision(): { commit: string; dirty: boolean } | undefined {
	try {
		const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
		return { commit: git("rev-parse", "HEAD"), dirty: git("status", "--porcelain", "--untracked-files=no") !== "" };
	} catch {
		return undefined;
	}
}

async function startAll(options: BenchOptions): Promise<RunningTopology[]> {
	const started = Date.now();
	const results = await Promise.allSettled(options.topologies.map(id => startTopology(id, options)));
	const failed = results.find(r => r.status === "rejected");
	if (failed) throw (failed as PromiseRejectedResult).reason;
	const topologies = results.map(r => (r as PromiseFulfilledResult<RunningTopology>).value);
	log(`started ${topologies.length} topologies in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
	for (const t of topologies) {
		log(`  ${t.info.id}: ${t.baseUrl} (${t.processes.map(p => `${p.name} pid ${p.pid}`).join(", ")}) — ${t.info.description}`);
	}
	return topologies;
}

/** Every (topology, scenario) pair once, scenario by scenario so related rows run close together. */
function plan(topologies: RunningTopology[]): { t: RunningTopology; scenario: ScenarioId }[] {
	const items: { t: RunningTopology; scenario: ScenarioId }[] = [];
	for (const scenario of Object.keys(SCENARIOS) as ScenarioId[]) {
		for (const t of topologies) if (t.info.scenarios.includes(scenario)) items.push({ t, scenario });
	}
	return items;
}

/** Round r starts at a different item, so no target always runs first or right after a login run. */
function rotate<T>(items: T[], round: number, rounds: number): T[] {
	const offset = Math.floor((round * items.length) / rounds) % items.length;
	return [...items.slice(offset), ...items.slice(0, offset)];
}

async function main() {
	const options = parseOptions();
	installSignalHandlers();
	await preflight(options);
	const startedAt = new Date();
	const revision = gitRevision();
	const items = plan(await startAll(options));
	const everyProcess = [...new Set(items.flatMap(i => i.t.processes))];
	const pids = everyProcess.map(p => p.pid);

	const total = items.length * options.rounds;
	const measurements: Measurement[] = [];
	for (let round = 0; round < options.rounds; round++) {
		for (const { t, scenario } of rotate(items, round, options.rounds)) {
			const settleStart = Date.now();
			const settled = await waitQuiet(pids, options.settleTimeout);
			const settleS = (Date.now() - settleStart) / 1000;
			if (!settled) log(`  (processes still busy after ${options.settleTimeout} s; measuring anyway)`);
			else if (settleS > 5) log(`  (waited ${settleS.toFixed(0)} s for the processes to go idle)`);
			const m = await measure(t, scenario, options, round + 1, settled);
			assertAlive(everyProcess);
			measurements.push(m);
			const failed = m.non2xx + m.errors;
			log(
				`[${measurements.length}/${total}] round ${round + 1}: ${SCENARIOS[scenario].label} @ ${t.info.label}: ` +
					`${m.reqPerSec.toFixed(1)} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms` +
					(failed ? `, ${failed} failed ${JSON.stringify(m.statusCodes)}` : "")
			);
		}
	}

	const rows = summarize(measurements, options.connections);
	const checks = computeChecks(rows, measurements);
	const context =
		`Code-Learn bench, ${startedAt.toISOString()}: ${options.rounds} round(s); windows of ${options.duration} s ` +
		`(login ${options.loginDuration} s) after ${options.warmup} s of warm-up load (login ${Math.max(options.warmup, SCENARIOS.login.minWarmup ?? 0)} s); ${options.connections} connections; node ${process.version}, ` +
		`${os.cpus().length} CPUs, load average before ${os.loadavg()[0].toFixed(2)}; REQUEST_TIMEOUT_MS=${options.requestTimeoutMs}` +
		(revision ? `; commit ${revision.commit.slice(0, 10)}${revision.dirty ? " (modified)" : ""}` : "");
	process.stdout.write(`\n${renderReport(rows, checks, context)}\n`);
	writeJson(options.output, {
		startedAt: startedAt.toISOString(),
		finishedAt: new Date().toISOString(),
		revision,
		machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: `${os.platform()} ${os.release()}` },
		options: { ...options, postgresUrl: undefined, redisUrl: undefined, amqpUrl: undefined },
		topologies: options.topologies.map(id => TOPOLOGIES[id]),
		summary: rows,
		checks,
		measurements
	});
	log(`results: ${options.output}`);
}

main()
	.catch(err => {
		process.exitCode = 1;
		log(`bench failed: ${(err as Error).stack ?? err}`);
	})
	.finally(() => cleanUp());
