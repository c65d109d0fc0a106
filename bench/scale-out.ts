/**
 * The scale-out scenario (issue 8, item 7): a gateway (+ users) node and two posts nodes over
 * AMQP, Redis cacher, under a closed-loop read load (autocannon) of a logged-in reader: cached
 * GET /api/posts/:slug and list pages no cache holds. Throughput is counted in 1-s windows with
 * two posts nodes, then one posts node is killed -9 and the load goes on: the failures (and when), the time until the gateway
 * dropped the dead node, the one-node level; then a third posts node starts: the seconds until it
 * serves posts.get (its own Prometheus moleculer_request_total) and the two-node level again.
 */
import autocannon from "autocannon";
import { setTimeout as sleep } from "node:timers/promises";
import type { Measurement, RunningTopology, ScaleOutStats, ScalePostsNode } from "./model";
import type { BenchOptions } from "./options";
import { cpuSeconds, machineCores, machineCpu } from "./processes";
import { latencySummary, round2 } from "./stats";

/** Seconds of 1-s windows with two posts nodes, before the kill. */
const TWO_NODE_S = 6;
/** Seconds of 1-s windows with one posts node, from RECOVERY_MARGIN_S after the gateway dropped the dead node. */
const ONE_NODE_S = 5;
const RECOVERY_MARGIN_S = 1;
/** Seconds of 1-s windows once the third node serves, from RECOVERY_MARGIN_S after its first request. */
const AGAIN_S = 4;
/** Longest wait for both posts nodes to serve the load before the first window, and for the third to serve. */
const SERVE_DEADLINE_MS = 20_000;
const DROP_DEADLINE_MS = 15_000;
/** Of every LIST_EVERY requests, one is an uncached list page. */
const LIST_EVERY = 3;

function median(values: number[]): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Sum of a Prometheus metric's samples whose labels include all of `labels`. */
function metricSum(text: string, name: string, labels: Record<string, string>): number {
	let sum = 0;
	for (const line of text.split("\n")) {
		if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
		const close = line.lastIndexOf("}");
		const labelText = close > 0 ? line.slice(name.length + 1, close) : "";
		if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
		const value = Number(
			line
				.slice(close + 1)
				.trim()
				.split(/\s+/)[0]
		);
		if (Number.isFinite(value)) sum += value;
	}
	return sum;
}

async function metrics(url: string): Promise<string> {
	const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
	if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
	return res.text();
}

/** posts.get requests a posts node has served (its own counter, as test/helpers/load.ts servedBy()); NaN if it does not answer. */
async function servedGets(node: ScalePostsNode): Promise<number> {
	try {
		return metricSum(await metrics(node.metricsUrl), "moleculer_request_total", { action: "posts.get", type: "local" });
	} catch {
		return NaN;
	}
}

async function servedByNode(nodes: ScalePostsNode[]): Promise<Record<string, number>> {
	const counts = await Promise.all(nodes.map(servedGets));
	return Object.fromEntries(nodes.map((n, i) => [n.name, counts[i]]));
}

const delta = (after: Record<string, number>, before: Record<string, number>) =>
	Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));

/** Polls until `ok`, every `everyMs`; the performance.now() when it held, or null at the deadline. */
async function pollUntil(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<number | null> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		if (await probe().catch(() => false)) return performance.now();
		if (performance.now() > deadline) return null;
		await sleep(everyMs);
	}
}

/** 2xx responses per 1-s window over [from, from + seconds). */
function windows(responses: { at: number; status: number }[], from: number, seconds: number): number[] {
	const counts = Array.from({ length: seconds }, () => 0);
	for (const r of responses) {
		if (r.status < 200 || r.status >= 300 || r.at < from) continue;
		const i = Math.floor((r.at - from) / 1000);
		if (i < seconds) counts[i]++;
	}
	return counts;
}

/** A few popular posts' slugs, each read once so that its page is cached. */
async function cachedSlugs(baseUrl: string): Promise<string[]> {
	const res = await fetch(`${baseUrl}/api/posts?sort=popular&pageSize=20`, { signal: AbortSignal.timeout(15_000) });
	if (res.status !== 200) throw new Error(`listing posts: ${res.status} ${(await res.text()).slice(0, 300)}`);
	const slugs = ((await res.json()) as { rows: { slug: string }[] }).rows.map(r => r.slug);
	if (!slugs.length) throw new Error("no seeded post in the list");
	for (const slug of slugs) await (await fetch(`${baseUrl}/api/posts/${slug}`, { signal: AbortSignal.timeout(15_000) })).text();
	return slugs;
}

function cpu(t: RunningTopology) {
	return {
		at: performance.now(),
		runner: process.cpuUsage(),
		machine: machineCpu(),
		processes: new Map(t.processes.map(p => [p.name, cpuSeconds(p.pid)]))
	};
}

export async function measureScaleOut(t: RunningTopology, options: BenchOptions, round: number, settled: boolean): Promise<Measurement> {
	const rig = t.scaleOut;
	if (!rig) throw new Error(`${t.info.id} has no scale-out rig`);
	if (rig.postsNodes.length < 2) throw new Error(`${t.info.id}: ${rig.postsNodes.length} posts node(s) running, the scenario needs 2`);
	const [survivor, victim] = rig.postsNodes.slice(-2);
	if (!t.accessToken) throw new Error(`${t.info.id} has no bench user's token`);
	const slugs = await cachedSlugs(t.baseUrl);
	const mix = { post: 0, list: 0 };
	let n = 0;
	const next = () => {
		const i = n++;
		if (i % LIST_EVERY === LIST_EVERY - 1) {
			mix.list++;
			const q = Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, "x");
			return { path: `/api/posts?q=${q}&page=${1 + (i % 3)}&pageSize=5` };
		}
		mix.post++;
		return { path: `/api/posts/${slugs[i % slugs.length]}` };
	};

	const responses: { at: number; status: number; ms: number }[] = [];
	const errors: { at: number; message: string }[] = [];
	const instance = autocannon({
		url: `${t.baseUrl}/api/posts/${slugs[0]}`,
		connections: options.connections,
		// Stopped once the phases are measured; this only bounds a run gone wrong.
		duration: 300,
		timeout: Math.max(60, Math.ceil(options.requestTimeoutMs / 1000) + 5),
		// With a token: the gateway answers anonymous post reads from its own copies, and this is about the posts nodes.
		headers: { authorization: `Bearer ${t.accessToken}` },
		requests: [{ method: "GET", setupRequest: req => ({ ...req, ...next() }) }]
	});
	instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) =>
		responses.push({ at: performance.now(), status, ms })
	);
	instance.on("reqError", (err: Error) => errors.push({ at: performance.now(), message: err.message }));
	const done = Promise.resolve(instance);
	const began = performance.now();

	let killAt: number, droppedAt: number | null, twoFrom: number, oneFrom: number, againFrom: number;
	let spawnedAt: number, readyAt: number, servingAt: number | null;
	let servedBefore: Record<string, number>, servedAgain: Record<string, number>;
	let third: ScalePostsNode | undefined;
	let cpuBefore: ReturnType<typeof cpu> | undefined, cpuAfter: ReturnType<typeof cpu> | undefined;
	try {
		// Warm-up: at least options.warmup, and until both posts nodes serve the load.
		const base = await servedByNode([survivor, victim]);
		await sleep(options.warmup * 1000);
		await pollUntil(async () => {
			const now = await servedByNode([survivor, victim]);
			return [survivor, victim].every(p => now[p.name] - base[p.name] >= 20);
		}, SERVE_DEADLINE_MS);

		// Two posts nodes.
		const s0 = await servedByNode([survivor, victim]);
		twoFrom = performance.now();
		cpuBefore = cpu(t);
		await sleep(TWO_NODE_S * 1000);
		cpuAfter = cpu(t);
		servedBefore = delta(await servedByNode([survivor, victim]), s0);

		// kill -9 one; the gateway's registry gauge tells when it stopped routing there.
		killAt = performance.now();
		victim.process.child.kill("SIGKILL");
		rig.forget(victim);
		droppedAt = await pollUntil(
			async () =>
				metricSum(await metrics(rig.gatewayMetricsUrl), "moleculer_registry_service_endpoints_total", { service: "posts" }) <= 1,
			DROP_DEADLINE_MS
		);

		// One posts node, from a moment after the drop (or the deadline).
		oneFrom = (droppedAt ?? performance.now()) + RECOVERY_MARGIN_S * 1000;
		await sleep(oneFrom + ONE_NODE_S * 1000 - performance.now());

		// A third posts node: until it serves posts.get.
		spawnedAt = performance.now();
		const started = await rig.startPosts();
		third = started.node;
		await started.ready;
		readyAt = performance.now();
		servingAt = await pollUntil(async () => (await servedGets(third!)) > 0, SERVE_DEADLINE_MS, 50);

		// Two posts nodes again.
		const a0 = await servedByNode([survivor, third]);
		againFrom = Math.max(performance.now(), (servingAt ?? performance.now()) + RECOVERY_MARGIN_S * 1000);
		await sleep(againFrom + AGAIN_S * 1000 - performance.now());
		servedAgain = delta(await servedByNode([survivor, third]), a0);
	} finally {
		instance.stop();
		await done;
	}

	const failures = [
		...responses.filter(r => r.status < 200 || r.status >= 300).map(r => ({ at: r.at, status: String(r.status) })),
		...errors.map(e => ({ at: e.at, status: e.message.includes("timed out") ? "timeout" : "error" }))
	].sort((a, b) => a.at - b.at);
	const exposedUntil = (droppedAt ?? killAt + DROP_DEADLINE_MS) + 1000;
	const twoNodes = windows(responses, twoFrom, TWO_NODE_S);
	const oneNode = windows(responses, oneFrom, ONE_NODE_S);
	const again = windows(responses, againFrom, AGAIN_S);
	const medians = { twoNodes: median(twoNodes), oneNode: median(oneNode), again: median(again) };
	const stats: ScaleOutStats = {
		connections: options.connections,
		windowS: { twoNodes: TWO_NODE_S, oneNode: ONE_NODE_S, again: AGAIN_S },
		killed: victim.name,
		survivor: survivor.name,
		third: third?.name ?? "n/a",
		reqPerSec: { twoNodes, oneNode, again },
		medians,
		oneOverTwo: medians.twoNodes > 0 ? round2(medians.oneNode / medians.twoNodes) : null,
		againOverTwo: medians.twoNodes > 0 ? round2(medians.again / medians.twoNodes) : null,
		droppedAfterMs: droppedAt === null ? null : Math.round(droppedAt - killAt),
		failures: failures.map(f => ({ afterKillMs: Math.round(f.at - killAt), status: f.status })),
		failuresStopMs: failures.length ? Math.round(failures[failures.length - 1].at - killAt) : null,
		failuresOutsideKill: failures.filter(f => f.at < killAt || f.at > exposedUntil).length,
		thirdReadyS: round2((readyAt - spawnedAt) / 1000),
		thirdServingS: servingAt === null ? null : round2((servingAt - spawnedAt) / 1000),
		servedBefore,
		servedAgain,
		mix
	};

	// The table's row: the two-node level (its latencies and CPU), failures over the whole run.
	const twoTo = twoFrom + TWO_NODE_S * 1000;
	const inTwo = responses.filter(r => r.at >= twoFrom && r.at < twoTo);
	const latencies = inTwo.map(r => r.ms).sort((a, b) => a - b);
	const statusCodes: Record<string, number> = {};
	for (const r of responses) statusCodes[r.status] = (statusCodes[r.status] ?? 0) + 1;
	const ok = responses.filter(r => r.status >= 200 && r.status < 300).length;
	const cpuCores: Record<string, number> = {};
	const cpuS = cpuBefore && cpuAfter ? (cpuAfter.at - cpuBefore.at) / 1000 : NaN;
	if (cpuBefore && cpuAfter) {
		for (const [name, after] of cpuAfter.processes) {
			const before = cpuBefore.processes.get(name);
			if (after !== undefined && before !== undefined) cpuCores[name] = round2((after - before) / cpuS);
		}
	}
	const runnerS =
		cpuBefore && cpuAfter
			? (cpuAfter.runner.user + cpuAfter.runner.system - cpuBefore.runner.user - cpuBefore.runner.system) / 1e6
			: NaN;
	const machine = cpuBefore && cpuAfter ? machineCores(cpuBefore.machine, cpuAfter.machine) : null;
	return {
		round,
		topology: t.info.id,
		scenario: "scale-out",
		startedAt: new Date(Date.now() - (performance.now() - twoFrom)).toISOString(),
		durationS: TWO_NODE_S,
		warmupS: round2((twoFrom - began) / 1000),
		reqPerSec: medians.twoNodes,
		allReqPerSec: inTwo.length / TWO_NODE_S,
		latencyMs: latencySummary(latencies),
		ok,
		non2xx: responses.length - ok,
		errors: errors.length,
		timeouts: errors.filter(e => e.message.includes("timed out")).length,
		statusCodes,
		cpuCores,
		runnerCpuCores: round2(runnerS / cpuS),
		machineCpuCores: machine === null ? null : round2(machine),
		settled,
		scaleOut: stats
	};
}
