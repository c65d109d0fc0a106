/**
 * The soak load's worker thread (see soak-load.ts): sends request k at start + k / rate, and a
 * keyed request that failed again after a pause, until it succeeds or its deadline passes; posts
 * back what came of each request, on the parent's performance clock.
 */
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import type { SoakLoop } from "./soak-load";
import type { SoakOutcome } from "./soak-types";

const { baseUrl, rate, timeoutS, maxInFlight, maxOutstanding, retry, requests, parentTimeOrigin } = workerData as SoakLoop;
const url = new URL(baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
const intervalMs = 1000 / rate;
const shift = performance.timeOrigin - parentTimeOrigin;
const outcomes: SoakOutcome[] = new Array(requests.length);
const retryTimers = new Set<NodeJS.Timeout>();
let inFlight = 0;
let next = 0;
let stopped = false;
let timer: NodeJS.Timeout | undefined;
const startedAt = performance.now();
const dueAt = (index: number) => startedAt + index * intervalMs;

/** Records an attempt's end; a keyed request that failed is scheduled again while its deadline allows. */
function ended(index: number, status: number, error?: string, retryAfterS?: number) {
	const r = requests[index];
	const ms = performance.now() - dueAt(index);
	const outcome = (outcomes[index] ??= {
		index,
		kind: r.kind,
		at: dueAt(index) + shift,
		firstStatus: status,
		firstMs: ms,
		...(error ? { firstError: error } : {}),
		attempts: 0,
		finalStatus: status,
		finalMs: ms
	});
	outcome.attempts++;
	outcome.finalStatus = status;
	outcome.finalMs = ms;
	const failed = status < 200 || status >= 300;
	const delayMs = Math.min(retry.maxDelayMs, Math.max(retry.delayMs, (retryAfterS ?? 0) * 1000));
	if (failed && r.keyed && !stopped && ms + delayMs < retry.deadlineMs) {
		const t = setTimeout(() => {
			retryTimers.delete(t);
			attempt(index);
		}, delayMs);
		retryTimers.add(t);
	}
	finishIfDone();
}

function attempt(index: number) {
	if (inFlight >= maxOutstanding) return ended(index, 0, "dropped: too many requests outstanding");
	const r = requests[index];
	const headers: Record<string, string | number> = { ...r.headers };
	if (r.body !== undefined) headers["content-length"] = Buffer.byteLength(r.body);
	inFlight++;
	let done = false;
	const end = (status: number, error?: string, retryAfter?: string) => {
		if (done) return;
		done = true;
		inFlight--;
		const retryAfterS = retryAfter === undefined ? undefined : Number(retryAfter);
		ended(index, status, error, Number.isFinite(retryAfterS) ? retryAfterS : undefined);
	};
	const req = http.request(
		{ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers, timeout: timeoutS * 1000 },
		res => {
			res.resume();
			const retryAfter = res.headers["retry-after"];
			res.once("end", () => end(res.statusCode ?? 0, undefined, retryAfter));
			res.once("error", error => end(0, error.message));
		}
	);
	req.once("timeout", () => req.destroy(new Error("timed out")));
	req.once("error", error => end(0, error.message));
	req.end(r.body);
}

const sendingDone = () => stopped || next >= requests.length;

function tick() {
	const now = performance.now();
	while (!stopped && next < requests.length && dueAt(next) <= now) attempt(next++);
	if (sendingDone()) return finishIfDone();
	timer = setTimeout(tick, dueAt(next) - now);
}

let finished = false;
function finishIfDone() {
	if (finished || !sendingDone() || inFlight > 0 || retryTimers.size > 0) return;
	finished = true;
	agent.destroy();
	parentPort!.postMessage({ outcomes: outcomes.slice(0, next), startedAt: startedAt + shift });
}

parentPort!.on("message", (message: "stop") => {
	if (message !== "stop") return;
	stopped = true;
	clearTimeout(timer);
	for (const t of retryTimers) clearTimeout(t);
	retryTimers.clear();
	finishIfDone();
});

parentPort!.postMessage({ startedAt: startedAt + shift });
tick();
