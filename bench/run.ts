/**
 * Throughput bench: starts each topology as separate processes, drives them with autocannon
 * round by round (the machine is noisy), and prints one table of medians; the results also go to
 * bench/results/latest.json. Options: `npm run bench -- --help`.
 */
import { execFileSync } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { shareBodies } from "./bodies";
import { cleanUp } from "./cleanup";
import { warmLeaderboard } from "./contests";
import { type RatingTiming, timeRating, warmRanking } from "./rankings";
import type { OutboxInsertCost } from "./events";
import { renderGatewayTargets } from "./gateway-targets";
import { runJudge } from "./judge";
import type { JudgeResult } from "./judge-types";
import { type BenchOptions, parseOptions } from "./options";
import { assertAlive, type BenchProcess, killAllNow, REPO_ROOT, waitMachineQuiet, waitQuiet } from "./processes";
import { computeChecks, type ContestSetup, type RankingSetup, renderReport, summarize, writeJson } from "./report";
import {
	type Calibration,
	type Measurement,
	type RunningTopology,
	SAME_BYTES,
	SCENARIO_IDS,
	type ScenarioId,
	STEADY_LEADERBOARD,
	TOPOLOGIES
} from "./model";
import { measure, SCENARIOS, stopLoad } from "./scenarios";
import { measureScaleOut } from "./scale-out";
import { runSoak } from "./soak";
import { renderSoak } from "./soak-report";
import type { SoakResult } from "./soak-types";
import { startTopology } from "./topologies";

const log = (line: string) => process.stderr.write(`${line}\n`);
/** Longest wait, in seconds, for the whole machine to go quiet after the audit node drained its backlog. */
const POST_DRAIN_COOL_DOWN_S = 30;
/** The whole machine counts as quiet below this (the bench's idle nodes, PostgreSQL and RabbitMQ idling). */
const MACHINE_QUIET_CORES = 0.5;
/** Pairs of SQL write transactions, with and without the outbox INSERT, measured after the rounds. */
const OUTBOX_COST_PAIRS = 300;
/** Runs of the timed rating recomputation; the median is reported. */
const RATING_RUNS = 5;

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
		if (
			id.startsWith("two-node") ||
			id === "posts-two-node" ||
			id === "posts-scale-out" ||
			id === "contests-two-node" ||
			id === "rankings-two-node" ||
			id === "events"
		)
			needs.add(options.amqpUrl);
		if (
			id === "two-node" ||
			id === "posts-two-node" ||
			id === "posts-scale-out" ||
			id === "contests-two-node" ||
			id === "rankings-two-node"
		)
			needs.add(options.redisUrl);
	}
	if (options.judge || options.soak) for (const url of [options.postgresUrl, options.amqpUrl, options.redisUrl]) needs.add(url);
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
		if (t.seeded) log(`    seeded ${t.seeded.posts} posts in ${t.seeded.seconds.toFixed(1)} s before its nodes started`);
		if (t.contest) {
			const c = t.contest;
			log(
				`    seeded ${c.users.length} users with sessions in ${c.seedUsersS.toFixed(1)} s, and a running contest (${c.participants} participants, ` +
					`${c.problems.length} problems, ${c.submissionsSeeded} submissions) in ${c.seedContestS.toFixed(1)} s before its nodes started`
			);
		}
		if (t.ranking) log(`    seeded ${t.ranking.players} rated players in ${t.ranking.seedS.toFixed(1)} s before its nodes started`);
	}
	return topologies;
}

/**
 * Reads each contest topology's leaderboard for the first time, one topology after the other with
 * every process idle: the store is empty, so that read rebuilds it from PostgreSQL (timed).
 */
async function warmLeaderboards(topologies: RunningTopology[], options: BenchOptions): Promise<void> {
	for (const t of topologies) {
		if (!t.contest) continue;
		await settle(topologies, options);
		await warmLeaderboard(t.baseUrl, t.contest);
		log(
			`leaderboard @ ${t.info.label}: first read (rebuild from PostgreSQL) ${t.contest.firstReadMs.toFixed(0)} ms, then a warm read ${t.contest.warmReadMs.toFixed(1)} ms`
		);
	}
	for (const t of topologies) {
		if (!t.ranking) continue;
		await settle(topologies, options);
		await warmRanking(t.baseUrl, t.ranking, t.processes, Date.now() + options.startupTimeout * 1000);
		log(
			`global board @ ${t.info.label}: first read (rebuild from PostgreSQL) ${t.ranking.firstReadMs.toFixed(0)} ms, then a warm read ${t.ranking.warmReadMs.toFixed(1)} ms`
		);
	}
}

/**
 * The order of a round, before rotation: scenario by scenario, so related rows run close together.
 * The event scenarios come before login, whose queued scrypt work and storm of rejected requests
 * (RabbitMQ and PostgreSQL busy too, which the idle wait does not watch) would otherwise always
 * precede the consumer-attached runs; after login comes the baseline, as it always did.
 */
const ROUND_ORDER: ScenarioId[] = [
	"raw",
	"stock",
	"health",
	"raw-health",
	"stock-cached",
	"read",
	"raw-read",
	"post-read",
	"raw-post-read",
	"post-search",
	"post-write",
	"leaderboard-read",
	"leaderboard-read-steady",
	"leaderboard-read-live",
	"ranking-read",
	"ranking-read-steady",
	"raw-steady",
	"submit",
	"write",
	"write-steady",
	"me-steady",
	"write-detached",
	"write-steady-detached",
	"scale-out",
	"login"
];

/** Every (topology, scenario) pair once, in ROUND_ORDER, of the scenarios selected. */
function plan(topologies: RunningTopology[], options: BenchOptions): { t: RunningTopology; scenario: ScenarioId }[] {
	const missing = SCENARIO_IDS.filter(id => !ROUND_ORDER.includes(id));
	if (missing.length) throw new Error(`ROUND_ORDER lacks ${missing.join(", ")}`);
	const items: { t: RunningTopology; scenario: ScenarioId }[] = [];
	for (const scenario of ROUND_ORDER.filter(s => options.scenarios.includes(s))) {
		for (const t of topologies) if (t.info.scenarios.includes(scenario)) items.push({ t, scenario });
	}
	// raw-steady is the control of a steady leaderboard run: without one it has no rate.
	const controlled = items.some(i => STEADY_LEADERBOARD.includes(i.scenario));
	const measured = (route: ScenarioId | undefined) => route === undefined || items.some(i => i.scenario === route);
	return items.filter(i => (i.scenario !== "raw-steady" || controlled) && measured(SAME_BYTES[i.scenario]));
}

/**
 * Within a round's slots for the event scenarios: the consumer-attached group first in even
 * rounds, the detached group first in odd ones, so that neither always runs first (and the audit
 * node is stopped or restarted once per round).
 */
function alternateConsumerGroups(items: { t: RunningTopology; scenario: ScenarioId }[], round: number): typeof items {
	const rank = (scenario: ScenarioId) => {
		const consumer = SCENARIOS[scenario].consumer;
		if (!consumer) return 1;
		return (consumer === "attached") === (round % 2 === 0) ? 0 : 2;
	};
	const slots = items.flatMap((item, i) => (item.t.events ? [i] : []));
	const ordered = slots.map(i => items[i]).sort((a, b) => rank(a.scenario) - rank(b.scenario));
	const out = [...items];
	slots.forEach((slot, k) => (out[slot] = ordered[k]));
	return out;
}

/** Every process running now (the events topology stops and restarts its consumer). */
function runningProcesses(topologies: RunningTopology[]): BenchProcess[] {
	return [...new Set(topologies.flatMap(t => t.processes))];
}

async function settle(topologies: RunningTopology[], options: BenchOptions): Promise<boolean> {
	const settleStart = Date.now();
	const settled = await waitQuiet(
		runningProcesses(topologies).map(p => p.pid),
		options.settleTimeout
	);
	const settleS = (Date.now() - settleStart) / 1000;
	if (!settled) log(`  (processes still busy after ${options.settleTimeout} s; measuring anyway)`);
	else if (settleS > 5) log(`  (waited ${settleS.toFixed(0)} s for the processes to go idle)`);
	return settled;
}

/** Starts or stops the events topology's consumer node as the scenario needs. */
async function prepareConsumer(t: RunningTopology, scenario: ScenarioId): Promise<void> {
	const wanted = SCENARIOS[scenario].consumer;
	if (!wanted || !t.events || t.events.consumerAttached() === (wanted === "attached")) return;
	const started = Date.now();
	if (wanted === "attached") await t.events.attach();
	else await t.events.detach();
	const what = wanted === "attached" ? "restarted the audit node and drained its queue" : "stopped the audit node (consumer detached)";
	log(`  (${what} in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
	if (wanted === "attached") {
		// The drain wrote thousands of rows: let PostgreSQL and RabbitMQ finish what follows (not
		// watched by waitQuiet). Capped: the machine is shared and may never be idle.
		const cooled = Date.now();
		const { quiet, cores } = await waitMachineQuiet(POST_DRAIN_COOL_DOWN_S, MACHINE_QUIET_CORES);
		const waited = ((Date.now() - cooled) / 1000).toFixed(0);
		log(`  (machine ${quiet ? "quiet" : `still busy (${cores?.toFixed(2)} cores)`} after ${waited} s of cool-down)`);
	}
}

/**
 * Sets the steady event rate: --event-rate, or --event-load × the write throughput of one
 * saturated run with the consumer attached (not counted in the rounds; it also warms the path);
 * and the contest topologies' steady leaderboard read rate the same way.
 */
async function calibrate(topologies: RunningTopology[], options: BenchOptions): Promise<Calibration[]> {
	const results: Calibration[] = [];
	for (const t of topologies) {
		if (!t.events) continue;
		if (options.eventRate !== undefined) {
			t.events.rate = options.eventRate;
			results.push({
				topology: t.info.id,
				scenario: "write",
				source: "option",
				rate: options.eventRate,
				connections: options.connections
			});
			continue;
		}
		const settled = await settle(topologies, options);
		const m = await measure(t, "write", options, 0, settled);
		const rate = Math.max(1, Math.round(options.eventLoad * m.reqPerSec));
		t.events.rate = rate;
		results.push({
			topology: t.info.id,
			scenario: "write",
			source: "calibrated",
			rate,
			saturatedReqPerSec: m.reqPerSec,
			load: options.eventLoad,
			connections: options.connections,
			measurement: m
		});
		log(
			`calibration @ ${t.info.label}: ${m.reqPerSec.toFixed(1)} writes/s saturated (${options.connections} connections, consumer attached) ` +
				`→ steady rate ${options.eventLoad} × that = ${rate} writes/s`
		);
	}
	// The steady reads of a board: the option's rate, or --leaderboard-load × one saturated run of its read scenario.
	const steadyReads = async (t: RunningTopology, read: ScenarioId, fixed: number | undefined, what: string): Promise<number> => {
		if (fixed !== undefined) {
			results.push({ topology: t.info.id, scenario: read, source: "option", rate: fixed, connections: options.connections });
			return fixed;
		}
		const settled = await settle(topologies, options);
		const m = await measure(t, read, options, 0, settled);
		const rate = Math.max(1, Math.round(options.leaderboardLoad * m.reqPerSec));
		results.push({
			topology: t.info.id,
			scenario: read,
			source: "calibrated",
			rate,
			saturatedReqPerSec: m.reqPerSec,
			load: options.leaderboardLoad,
			connections: options.connections,
			measurement: m
		});
		log(
			`calibration @ ${t.info.label}: ${m.reqPerSec.toFixed(1)} ${what} reads/s saturated (${options.connections} connections) ` +
				`→ steady rate ${options.leaderboardLoad} × that = ${rate} reads/s`
		);
		return rate;
	};
	const runs = (t: RunningTopology, scenario: ScenarioId) => options.scenarios.includes(scenario) && t.info.scenarios.includes(scenario);
	for (const t of topologies) {
		if (t.contest && STEADY_LEADERBOARD.some(s => s !== "ranking-read-steady" && runs(t, s)))
			t.contest.steadyRate = await steadyReads(t, "leaderboard-read", options.leaderboardRate, "leaderboard");
		if (t.ranking && runs(t, "ranking-read-steady"))
			t.ranking.steadyRate = await steadyReads(t, "ranking-read", options.rankingRate, "global board");
	}
	// The control's rate: the one-process steady rate of a contest board, else of the global board.
	const oneFirst = (a: RunningTopology, b: RunningTopology) => Number(b.info.id === "one-process") - Number(a.info.id === "one-process");
	const control =
		topologies.filter(t => t.contest?.steadyRate).sort(oneFirst)[0]?.contest?.steadyRate ??
		topologies.filter(t => t.ranking?.steadyRate).sort(oneFirst)[0]?.ranking?.steadyRate;
	const baseline = topologies.find(t => t.info.id === "baseline");
	if (baseline && control) baseline.controlRate = control;
	return results;
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
	const loadBefore = os.loadavg()[0];
	const revision = gitRevision();
	const topologies = await startAll(options);
	await shareBodies(topologies, log);
	const items = plan(topologies, options);
	await warmLeaderboards(topologies, options);
	const calibration = await calibrate(topologies, options);

	const total = items.length * options.rounds;
	const measurements: Measurement[] = [];
	for (let round = 0; round < options.rounds; round++) {
		for (const { t, scenario } of alternateConsumerGroups(rotate(items, round, options.rounds), round)) {
			await prepareConsumer(t, scenario);
			const settled = await settle(topologies, options);
			const m =
				scenario === "scale-out"
					? await measureScaleOut(t, options, round + 1, settled)
					: await measure(t, scenario, options, round + 1, settled);
			assertAlive(runningProcesses(topologies));
			measurements.push(m);
			const failed = m.non2xx + m.errors;
			const ev = m.events;
			log(
				`[${measurements.length}/${total}] round ${round + 1}: ${SCENARIOS[scenario].label} @ ${t.info.label}: ` +
					`${m.reqPerSec.toFixed(1)} req/s${m.offeredPerSec ? ` (offered ${m.offeredPerSec}/s)` : ""}, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms` +
					(failed ? `, ${failed} failed ${JSON.stringify(m.statusCodes)}` : "") +
					(m.machineCpuCores !== null ? ` [machine ${m.machineCpuCores.toFixed(2)} cores]` : "") +
					(ev
						? `; events ${ev.arrived}/${ev.produced} arrived, commit → audit p50 ${ev.e2eMs?.p50 ?? "n/a"} ms, p99 ${ev.e2eMs?.p99 ?? "n/a"} ms`
						: m.producedEvents !== undefined
							? `; ${m.producedEvents} events produced (consumer detached)`
							: "")
			);
		}
	}

	// The outbox INSERT's own cost, in SQL on the idle topology (see EventProbe.outboxInsertCost).
	let outboxInsert: OutboxInsertCost | undefined;
	const eventsTopology = topologies.find(t => t.events);
	if (eventsTopology?.events) {
		await settle(topologies, options);
		outboxInsert = await eventsTopology.events.probe.outboxInsertCost(eventsTopology.events.writers[0].username, OUTBOX_COST_PAIRS);
		log(
			`outbox INSERT cost (${OUTBOX_COST_PAIRS} pairs of transactions, SQL): UPDATE only p50 ${outboxInsert.updateOnlyMs.p50} ms, ` +
				`with the outbox INSERT p50 ${outboxInsert.withOutboxMs.p50} ms (+${outboxInsert.addedP50Ms} ms)`
		);
	}

	// The rating recomputation (issue 15: a 10,000-person contest under 5 s): pure CPU, in the runner, the topologies idle.
	let rating: RatingTiming | undefined;
	if (topologies.some(t => t.ranking)) {
		await settle(topologies, options);
		rating = timeRating(options.ratingParticipants, RATING_RUNS);
		log(
			`rating recomputation (rateContest, ${rating.participants} participants, ${rating.distinctRatings} distinct ratings): ` +
				`median ${rating.medianMs.toFixed(0)} ms of ${RATING_RUNS} runs (${rating.runsMs.map(ms => ms.toFixed(0)).join(", ")} ms)`
		);
	}

	// The judge scenario (opt-in): once, on its own topology, with the others idle.
	let judge: JudgeResult | undefined;
	if (options.judge) {
		await settle(topologies, options);
		judge = await runJudge(options, log);
	}

	// The soak scenario (opt-in): once, on its own cluster, with the others idle.
	let soak: SoakResult | undefined;
	if (options.soak) {
		await settle(topologies, options);
		soak = await runSoak(options, log);
	}

	const rows = summarize(measurements, options.connections);
	const contestSetups: ContestSetup[] = topologies.flatMap(t =>
		t.contest
			? [
					{
						topology: t.info.id,
						participants: t.contest.participants,
						problems: t.contest.problems.length,
						submissionsSeeded: t.contest.submissionsSeeded,
						users: t.contest.users.length,
						seedUsersS: t.contest.seedUsersS,
						seedContestS: t.contest.seedContestS,
						firstReadMs: t.contest.firstReadMs,
						warmReadMs: t.contest.warmReadMs
					}
				]
			: []
	);
	const rankingSetups: RankingSetup[] = topologies.flatMap(t =>
		t.ranking
			? [
					{
						topology: t.info.id,
						players: t.ranking.players,
						seedS: t.ranking.seedS,
						firstReadMs: t.ranking.firstReadMs,
						warmReadMs: t.ranking.warmReadMs
					}
				]
			: []
	);
	const checks = computeChecks(rows, measurements, calibration, outboxInsert, contestSetups, judge, rankingSetups, rating);
	const context =
		`Code-Learn bench, ${startedAt.toISOString()}: ${options.rounds} round(s); windows of ${options.duration} s ` +
		`(login ${options.loginDuration} s) after ${options.warmup} s of warm-up load (login ${Math.max(options.warmup, SCENARIOS.login.minWarmup ?? 0)} s); ${options.connections} connections; node ${process.version}, ` +
		`${os.cpus().length} CPUs, load average before ${loadBefore.toFixed(2)}, after ${os.loadavg()[0].toFixed(2)}; REQUEST_TIMEOUT_MS=${options.requestTimeoutMs}` +
		(revision ? `; commit ${revision.commit.slice(0, 10)}${revision.dirty ? " (modified)" : ""}` : "") +
		(topologies.some(t => t.seeded) ? `; ${options.posts} posts seeded in each posts topology` : "") +
		(contestSetups.length ? `; a ${options.participants}-participant contest seeded in each contest topology` : "") +
		(rankingSetups.length ? `; ${options.rankingPlayers} rated players seeded in each ranking topology` : "");
	process.stdout.write(`\n${[renderReport(rows, checks, context), ...renderGatewayTargets(rows)].join("\n")}\n`);
	if (soak) process.stdout.write(`\n${renderSoak(soak).join("\n")}\n`);
	writeJson(options.output, {
		startedAt: startedAt.toISOString(),
		finishedAt: new Date().toISOString(),
		revision,
		machine: {
			node: process.version,
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model,
			platform: `${os.platform()} ${os.release()}`
		},
		options: { ...options, postgresUrl: undefined, redisUrl: undefined, amqpUrl: undefined },
		topologies: options.topologies.map(id => TOPOLOGIES[id]),
		summary: rows,
		checks,
		calibration,
		measurements,
		soak
	});
	log(`results: ${options.output}`);
	// A broken invariant fails the run, as a crash would: its figures are not the platform's.
	if (soak && !soak.held) process.exitCode = 1;
}

main()
	.catch(err => {
		process.exitCode = 1;
		log(`bench failed: ${(err as Error).stack ?? err}`);
	})
	.finally(() => cleanUp());
