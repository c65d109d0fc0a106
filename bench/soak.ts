/**
 * The soak scenario (`--scenarios soak`, opt-in: minutes long; issue 17): a cluster over RabbitMQ
 * under a steady mixed load for `--soak-minutes`, one node of a random killable group SIGKILLed
 * every `--soak-kill-every` seconds and started again. Then, the load stopped and the outboxes
 * drained, the databases must show nothing lost, nothing doubled, no dead letter, and every keyed
 * write successful; it reports the failed unkeyed writes and the latency around each kill against
 * the latency between kills. It runs once, on its own cluster (soak-cluster.ts), after the rounds.
 */
import { setUpSoak } from "./soak-setup";
import { startSoakCluster } from "./soak-cluster";
import { startChaos } from "./soak-chaos";
import { SoakDatabases } from "./soak-databases";
import { betweenKills, kindStats, killsWithWindows, WINDOW_AFTER_S, WINDOW_BEFORE_S, windowOf } from "./soak-latency";
import { soakLoad } from "./soak-load";
import { buildRequests, sharesOf } from "./soak-mix";
import type { SoakResult } from "./soak-types";
import { verifyAfterDrain } from "./soak-verify";
import type { BenchOptions } from "./options";
import { assertAlive, machineCores, machineCpu } from "./processes";
import { round2 } from "./stats";

/** A request without an answer this long counts as failed (the gateway answers 504 at REQUEST_TIMEOUT_MS, 3 s, well before). */
const CLIENT_TIMEOUT_S = 15;
/** Sockets of the load at most, and requests outstanding beyond which new ones are dropped (counted as failed). */
const MAX_IN_FLIGHT = 64;
const MAX_OUTSTANDING = 2000;
/** A failed keyed write is sent again after a second (or its Retry-After, up to 5 s), for up to two minutes after it was due. */
const KEYED_RETRY = { delayMs: 1000, maxDelayMs: 5000, deadlineMs: 120_000 };
/** Longest wait after the load for the outboxes, retries and the judge to settle: five failed deliveries take 1 + 4 + 16 + 64 s. */
const DRAIN_DEADLINE_S = 180;

export async function runSoak(options: BenchOptions, log: (line: string) => void): Promise<SoakResult> {
	const startedAt = new Date().toISOString();
	const durationS = options.soakMinutes * 60;
	const clusterStart = performance.now();
	const cluster = await startSoakCluster(options, log);
	const setup = await setUpSoak(cluster.baseUrl, Date.now() + options.startupTimeout * 1000, () => assertAlive(cluster.processes()));
	const startS = round2((performance.now() - clusterStart) / 1000);
	const groups = cluster.groups.map(g => ({ services: g.services, nodes: g.nodes.length, killable: g.killable }));
	log(
		`soak: ${groups.map(g => `${g.services} × ${g.nodes}${g.killable ? "" : " (never killed)"}`).join(", ")} ready with ` +
			`${setup.users.length} users, ${setup.slugs.length} posts${setup.problemId ? " and a problem" : ""} in ${startS} s; ` +
			`${options.soakRate} req/s for ${options.soakMinutes} min, a kill every ${options.soakKillEvery} s (seed ${options.soakSeed})`
	);
	if (setup.submissionsSkipped) log(`  soak: no submissions: ${setup.submissionsSkipped}`);

	const requests = buildRequests(setup, Math.floor(options.soakRate * durationS), options.soakSeed);
	const cpuBefore = { machine: machineCpu(), runner: process.cpuUsage(), at: performance.now() };
	const load = soakLoad({
		baseUrl: cluster.baseUrl,
		rate: options.soakRate,
		timeoutS: CLIENT_TIMEOUT_S,
		maxInFlight: MAX_IN_FLIGHT,
		maxOutstanding: MAX_OUTSTANDING,
		retry: KEYED_RETRY,
		requests
	});
	const origin = await load.startedAt;
	const chaos = startChaos(cluster, { origin, everyS: options.soakKillEvery, durationS, seed: options.soakSeed }, log);
	const { outcomes } = await load.result;
	const kills = await chaos.stop();
	const cpuS = (performance.now() - cpuBefore.at) / 1000;
	const runner = process.cpuUsage(cpuBefore.runner);
	const machine = machineCores(cpuBefore.machine, machineCpu());
	log(`  soak: load done (${outcomes.length} requests, ${kills.length} kills); checking the databases as they drain`);

	const db = new SoakDatabases(cluster.databaseUrls);
	const verification = await verifyAfterDrain({ db, outcomes, runId: setup.runId }, DRAIN_DEADLINE_S, log).finally(() => db.close());
	// Killed nodes were started again: any other exit is one nobody here caused.
	const crashed = cluster.unkilledExits.map(e => `${e.node} (pid ${e.pid}) at +${round2((e.at - origin) / 1000)} s: ${e.how}`);
	const v = verification;
	const held =
		v.drained &&
		v.lostEvents === 0 &&
		v.doubledEffects === 0 &&
		v.deadLetters === 0 &&
		v.keyedNeverSucceeded === 0 &&
		v.keyedPosts.missing === 0 &&
		v.keyedSubmissions.missing === 0 &&
		crashed.length === 0;
	return {
		startedAt,
		seed: options.soakSeed,
		minutes: options.soakMinutes,
		killEveryS: options.soakKillEvery,
		rate: options.soakRate,
		mix: sharesOf(setup),
		groups,
		deadNodeWatch: cluster.deadNodeWatch,
		...(setup.submissionsSkipped ? { submissionsSkipped: setup.submissionsSkipped } : {}),
		startS,
		kinds: kindStats(outcomes),
		overall: windowOf(outcomes),
		betweenKills: betweenKills(outcomes, kills),
		kills: killsWithWindows(outcomes, kills, origin),
		windowS: { before: WINDOW_BEFORE_S, after: WINDOW_AFTER_S },
		machineCpuCores: machine === null ? null : round2(machine),
		runnerCpuCores: round2((runner.user + runner.system) / 1e6 / cpuS),
		crashed,
		verification,
		held
	};
}
