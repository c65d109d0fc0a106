import autocannon from "autocannon";
import { fakePost, prng } from "../scripts/seed/posts";
import { searchQueries } from "../scripts/seed/searches";
import { type ContestRig, nextLeaderboardPath, nextSubmission } from "./contests";
import type { EventStats } from "./events";
import { nextRankingPath, type RankingRig } from "./rankings";
import { type EventsRig, LIVE_SUBMISSIONS_PER_S, type Measurement, type RunningTopology, type ScenarioId } from "./model";
import type { BenchOptions } from "./options";
import { paced, type PacedRun } from "./pacer";
import { cpuSeconds, machineCores, machineCpu } from "./processes";
import { latencySummary, round2 } from "./stats";

interface Request {
	method: "GET" | "POST" | "PATCH";
	path: string;
	headers?: Record<string, string>;
	body?: string;
	/** What changes from one request to the next (merged into headers, replaces the path or the body). */
	next?: () => { path?: string; headers?: Record<string, string>; body?: string };
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
	/** The events topology's audit consumer must be running (attached) or stopped (detached). */
	consumer?: "attached" | "detached";
	/** An open-loop load at a steady rate (the topology's event rate, unless `rate`) instead of `connections` closed loops. */
	steady?: boolean;
	/** A steady scenario's rate, when it is not the events topology's. */
	rate?: (t: RunningTopology) => number | undefined;
	/** Each 2xx response emitted one user.updated event: count them in the outbox. */
	writes?: boolean;
	/** Another steady load beside the measured one, not measured itself: what the measured requests contend with. */
	beside?: { request(t: RunningTopology): Request; rate: number };
}

function user(t: RunningTopology) {
	if (!t.user) throw new Error(`${t.info.id} has no bench user`);
	return t.user;
}

export function eventsRig(t: RunningTopology): EventsRig {
	if (!t.events) throw new Error(`${t.info.id} has no event rig`);
	return t.events;
}

/** Rotates through the writers' tokens, so that concurrent writes spread over several rows. */
function asWriters(t: RunningTopology, body?: (n: number) => string): Request["next"] {
	const writers = eventsRig(t).writers;
	let n = 0;
	return () => {
		const i = n++;
		return {
			headers: { authorization: `Bearer ${writers[i % writers.length].accessToken}` },
			...(body ? { body: body(i) } : {})
		};
	};
}

/** PATCH /api/users/me with a new displayName each time: a real change, one user.updated event. */
function profileWrite(t: RunningTopology): Request {
	const run = Math.random().toString(36).slice(2, 8);
	return {
		method: "PATCH",
		path: "/api/users/me",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({ displayName: "Bench" }),
		next: asWriters(t, i => JSON.stringify({ displayName: `Bench ${run} ${i}` }))
	};
}

const WRITE_LABEL = "PATCH /api/users/me";

/** The bench user's access token (platform topologies). */
function accessToken(t: RunningTopology) {
	if (!t.accessToken) throw new Error(`${t.info.id} has no bench user's token`);
	return t.accessToken;
}

/** Enough distinct searches that no run repeats one, so the list cache (60 s TTL) never answers. */
const SEARCH_COUNT = 50_000;
let searches: string[] | undefined;
let searchesSent = 0;

/** scripts/measure-search.ts's mix of searches as GET /api/posts paths, each once across every run and topology. */
function nextSearch(): string {
	searches ??= searchQueries(SEARCH_COUNT).map(({ query }) => {
		const params = new URLSearchParams({ q: query.q! });
		if (query.tag) params.set("tag", query.tag);
		if (query.category) params.set("category", query.category);
		if (query.sort) params.set("sort", query.sort);
		return `/api/posts?${params}`;
	});
	if (searchesSent === searches.length)
		process.stderr.write(
			`  (all ${searches.length} distinct searches sent: they repeat from now on, and the list cache may answer some)\n`
		);
	return searches[searchesSent++ % searches.length];
}

/** POST /api/posts: a published post of a few hundred words, a new title each time (no slug collisions). */
function postWrite(t: RunningTopology): Request {
	const run = Math.random().toString(36).slice(2, 8);
	const random = prng(Date.now());
	const body = (i: number) => {
		const post = fakePost(random);
		return JSON.stringify({ ...post, title: `${post.title} (${run} ${i})`, status: "published" });
	};
	let n = 0;
	return {
		method: "POST",
		path: "/api/posts",
		headers: { "content-type": "application/json", authorization: `Bearer ${accessToken(t)}` },
		body: body(n++),
		next: () => ({ body: body(n++) })
	};
}

function contest(t: RunningTopology): ContestRig {
	if (!t.contest) throw new Error(`${t.info.id} has no seeded contest`);
	return t.contest;
}

/** Anonymous reads of leaderboard pages spread over the whole board (see nextLeaderboardPath). */
function leaderboardRead(t: RunningTopology): Request {
	const rig = contest(t);
	// The first path on a copy: the load generator builds every request it sends with next().
	return { method: "GET", path: nextLeaderboardPath({ ...rig }), next: () => ({ path: nextLeaderboardPath(rig) }) };
}

function ranking(t: RunningTopology): RankingRig {
	if (!t.ranking) throw new Error(`${t.info.id} has no seeded rated players`);
	return t.ranking;
}

/** Anonymous reads of the global rating board, pages spread over the whole board (see nextRankingPath). */
function rankingRead(t: RunningTopology): Request {
	const rig = ranking(t);
	// The first path on a copy: the load generator builds every request it sends with next().
	return { method: "GET", path: nextRankingPath({ ...rig }), next: () => ({ path: nextRankingPath(rig) }) };
}

/** Answers by the contest's users, round the users and problems (see nextSubmission): 429 when a pair comes back within the throttle. */
function submit(t: RunningTopology): Request {
	const rig = contest(t);
	// The first request on a copy: the load generator builds every request it sends with next(), and
	// a pair skipped would break the alternation of its right and wrong answers.
	const first = nextSubmission({ ...rig });
	return {
		method: "POST",
		path: first.path,
		headers: { "content-type": "application/json", ...first.headers },
		body: first.body,
		next: () => nextSubmission(rig)
	};
}

/** The baseline answering the bytes `route` answered (`bodies.ts` put them there at start). */
function sameBytes(id: ScenarioId, route: ScenarioId): ScenarioInfo {
	return { id, label: `the same bytes as ${route}, raw http`, request: () => ({ method: "GET", path: `/bodies/${route}` }) };
}

export const SCENARIOS: Record<ScenarioId, ScenarioInfo> = {
	raw: { id: "raw", label: "GET / (raw http)", request: () => ({ method: "GET", path: "/" }) },
	"raw-steady": {
		id: "raw-steady",
		label: "GET / (raw http), steady at the leaderboard's rate",
		steady: true,
		rate: t => t.controlRate,
		request: () => ({ method: "GET", path: "/" })
	},
	"raw-health": sameBytes("raw-health", "health"),
	"raw-read": sameBytes("raw-read", "read"),
	"raw-post-read": sameBytes("raw-post-read", "post-read"),
	stock: { id: "stock", label: "GET /local/:id (stock, local action)", request: () => ({ method: "GET", path: "/local/1" }) },
	"stock-cached": {
		id: "stock-cached",
		label: "GET /cached/:id (stock, cached action)",
		request: () => ({ method: "GET", path: "/cached/1" })
	},
	health: { id: "health", label: "GET /health/live", request: () => ({ method: "GET", path: "/health/live" }) },
	read: {
		id: "read",
		label: "GET /api/users/:name (cached)",
		request: t => ({ method: "GET", path: `/api/users/${encodeURIComponent(user(t).username)}` })
	},
	"post-read": {
		id: "post-read",
		label: "GET /api/posts/:slug (cached)",
		request: t => {
			if (!t.postSlug) throw new Error(`${t.info.id} has no seeded post`);
			return { method: "GET", path: `/api/posts/${t.postSlug}` };
		}
	},
	"post-search": {
		id: "post-search",
		label: "GET /api/posts?q=… (search, distinct q)",
		request: () => ({ method: "GET", path: nextSearch(), next: () => ({ path: nextSearch() }) })
	},
	"post-write": { id: "post-write", label: "POST /api/posts (published)", request: postWrite },
	"leaderboard-read": { id: "leaderboard-read", label: "GET /api/contests/:id/leaderboard?page=N (50 rows)", request: leaderboardRead },
	"leaderboard-read-steady": {
		id: "leaderboard-read-steady",
		label: "GET /api/contests/:id/leaderboard?page=N, steady",
		steady: true,
		rate: t => contest(t).steadyRate,
		request: leaderboardRead
	},
	"leaderboard-read-live": {
		id: "leaderboard-read-live",
		label: `GET /api/contests/:id/leaderboard?page=N, steady, ${LIVE_SUBMISSIONS_PER_S} submissions/s beside`,
		steady: true,
		rate: t => contest(t).steadyRate,
		request: leaderboardRead,
		beside: { request: submit, rate: LIVE_SUBMISSIONS_PER_S }
	},
	"ranking-read": { id: "ranking-read", label: "GET /api/leaderboard?by=rating&page=N (50 rows)", request: rankingRead },
	"ranking-read-steady": {
		id: "ranking-read-steady",
		label: "GET /api/leaderboard?by=rating&page=N, steady",
		steady: true,
		rate: t => ranking(t).steadyRate,
		request: rankingRead
	},
	submit: { id: "submit", label: "POST /api/contests/:id/problems/:p/submissions", request: submit },
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
	},
	write: { id: "write", label: `${WRITE_LABEL}, consumer attached`, consumer: "attached", writes: true, request: profileWrite },
	"write-steady": {
		id: "write-steady",
		label: `${WRITE_LABEL}, steady, consumer attached`,
		consumer: "attached",
		steady: true,
		writes: true,
		request: profileWrite
	},
	"me-steady": {
		id: "me-steady",
		label: "GET /api/users/me, steady (read, same path)",
		steady: true,
		request: t => ({ method: "GET", path: "/api/users/me", next: asWriters(t) })
	},
	"write-detached": {
		id: "write-detached",
		label: `${WRITE_LABEL}, consumer detached`,
		consumer: "detached",
		writes: true,
		request: profileWrite
	},
	"write-steady-detached": {
		id: "write-steady-detached",
		label: `${WRITE_LABEL}, steady, consumer detached`,
		consumer: "detached",
		steady: true,
		writes: true,
		request: profileWrite
	},
	"scale-out": {
		id: "scale-out",
		label: "GET /api/posts/:slug + list, 2 posts nodes, kill -9 one",
		// Only its first request: the run itself is scale-out.ts's (measureScaleOut), not measure().
		request: t => ({ method: "GET", path: `/api/posts/${t.postSlug}` })
	}
};

/** The active load generator, so that an interrupt can stop it. */
let current: { stop(): void } | undefined;
export function stopLoad(): void {
	current?.stop();
}

function cpuSnapshot(t: RunningTopology) {
	return {
		at: performance.now(),
		runner: process.cpuUsage(),
		machine: machineCpu(),
		processes: new Map(t.processes.map(p => [p.name, cpuSeconds(p.pid)]))
	};
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

	const began = performance.now();
	const windowStart = began + warmup * 1000;
	const windowEnd = windowStart + duration * 1000;
	// Queued scrypt logins take many seconds; a short client timeout would only hide them.
	const timeoutS = Math.max(60, Math.ceil(options.requestTimeoutMs / 1000) + 5);

	let cpuBefore: ReturnType<typeof cpuSnapshot> | undefined;
	let cpuAfter: ReturnType<typeof cpuSnapshot> | undefined;
	const startTimer = setTimeout(() => (cpuBefore = cpuSnapshot(t)), windowStart - began);
	const endTimer = setTimeout(() => (cpuAfter = cpuSnapshot(t)), windowEnd - began);

	let responses: { at: number; status: number; ms: number }[];
	let failures: { at: number; message: string }[];
	let offeredPerSec: number | undefined;
	const beside = info.beside && startPaced(t.baseUrl, info.beside.request(t), info.beside.rate, warmup + duration, timeoutS);
	try {
		if (info.steady) {
			const rate = info.rate ? info.rate(t) : eventsRig(t).rate;
			if (!rate) throw new Error(`${t.info.id}: no steady rate set for ${scenario}`);
			offeredPerSec = rate;
			({ responses, failures } = await runPaced(t.baseUrl, request, rate, warmup + duration, timeoutS));
		} else {
			({ responses, failures } = await runClosed(t.baseUrl, request, options.connections, warmup + duration, timeoutS));
		}
	} catch (err) {
		beside?.stop();
		throw err;
	} finally {
		current = undefined;
		clearTimeout(startTimer);
		clearTimeout(endTimer);
	}
	if (beside) {
		// Figures read beside a load that did not happen as labelled would mislead: fail the run instead.
		const { responses: answered, failures: lost } = await beside.result;
		const refused = answered.filter(r => r.status < 200 || r.status >= 300).length;
		if (refused || lost.length)
			throw new Error(`${scenario}: the load beside it had ${refused} non-2xx answers and ${lost.length} failures`);
	}
	// Steady runs count the requests due in the window (each waited for to the end); closed-loop
	// runs the responses and errors that came in it.
	const inWindow = (at: number) => at >= windowStart && at <= windowEnd;
	const errorsInWindow = failures.filter(f => inWindow(f.at));
	const errors = errorsInWindow.length;
	const timeouts = errorsInWindow.filter(f => f.message.includes("timed out")).length;
	cpuAfter ??= cpuSnapshot(t);
	if (!cpuBefore) throw new Error("the load run ended before its measured window began");

	const counted = responses.filter(r => inWindow(r.at));
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

	// The window in wall-clock time, to find the events that occurred in it.
	const wall = (at: number) => new Date(Date.now() - (performance.now() - at));
	let producedEvents: number | undefined;
	let events: EventStats | undefined;
	if (info.writes) {
		const rig = eventsRig(t);
		if (info.consumer === "attached") {
			events = await rig.probe.latencyOf(wall(windowStart), wall(windowEnd), options.eventsDeadline);
			producedEvents = events.produced;
		} else {
			producedEvents = (await rig.probe.producedIn(wall(windowStart), wall(windowEnd))).length;
		}
	}

	return {
		round,
		topology: t.info.id,
		scenario,
		startedAt: new Date(Date.now() - (performance.now() - windowStart)).toISOString(),
		durationS: duration,
		warmupS: warmup,
		reqPerSec: ok / duration,
		allReqPerSec: counted.length / duration,
		latencyMs: latencySummary(latencies),
		ok,
		non2xx: counted.length - ok,
		errors,
		timeouts,
		statusCodes,
		cpuCores,
		runnerCpuCores: round2(runnerCpuS / cpuWindowS),
		machineCpuCores: (c => (c === null ? null : round2(c)))(machineCores(cpuBefore.machine, cpuAfter.machine)),
		settled,
		...(offeredPerSec !== undefined ? { offeredPerSec } : {}),
		...(t.events ? { consumerAttached: t.events.consumerAttached() } : {}),
		...(producedEvents !== undefined ? { producedEvents } : {}),
		...(events ? { events } : {})
	};
}

type LoadResult = { responses: { at: number; status: number; ms: number }[]; failures: { at: number; message: string }[] };

/** `connections` closed loops (autocannon): each sends its next request when the last one answered. */
async function runClosed(baseUrl: string, request: Request, connections: number, seconds: number, timeoutS: number): Promise<LoadResult> {
	const responses: LoadResult["responses"] = [];
	const failures: LoadResult["failures"] = [];
	const { next, ...fixed } = request;
	const instance = autocannon({
		url: baseUrl + request.path,
		method: request.method,
		headers: request.headers,
		body: request.body,
		connections,
		duration: seconds,
		timeout: timeoutS,
		...(next
			? {
					requests: [
						{
							...fixed,
							setupRequest: req => {
								const v = next();
								return { ...req, ...v, headers: { ...req.headers, ...v.headers } };
							}
						}
					]
				}
			: {})
	});
	current = instance;
	instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
		responses.push({ at: performance.now(), status, ms });
	});
	instance.on("reqError", (err: Error) => {
		failures.push({ at: performance.now(), message: err.message });
	});
	await instance;
	return { responses, failures };
}

/** An open-loop load at `rate` requests per second (see pacer.ts). */
async function runPaced(baseUrl: string, request: Request, rate: number, seconds: number, timeoutS: number): Promise<LoadResult> {
	const run = startPaced(baseUrl, request, rate, seconds, timeoutS);
	current = run;
	return run.result;
}

function startPaced(baseUrl: string, request: Request, rate: number, seconds: number, timeoutS: number): PacedRun {
	const { next, ...fixed } = request;
	return paced({
		baseUrl,
		rate,
		seconds,
		timeoutS,
		maxInFlight: 256,
		maxOutstanding: 2048,
		request: () => {
			if (!next) return fixed;
			const v = next();
			return { ...fixed, ...v, headers: { ...fixed.headers, ...v.headers } };
		}
	});
}
