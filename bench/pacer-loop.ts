/**
 * The pacer's worker thread (see pacer.ts): sends the requests it was given, request k at
 * start + k / rate, and posts back what came of each, on the parent's performance clock.
 */
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import type { PacedLoop, PacedResult } from "./pacer";

const { baseUrl, rate, timeoutS, maxInFlight, maxOutstanding, requests, parentTimeOrigin } = workerData as PacedLoop;
const url = new URL(baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
const total = requests.length;
const intervalMs = 1000 / rate;
// Preallocated: the loop itself leaves nothing for the collector to move.
const latencyMs = new Float64Array(total);
const status = new Uint16Array(total);
const failed: (string | undefined)[] = new Array(total);
let outstanding = 0;
let next = 0;
let stopped = false;
let timer: NodeJS.Timeout | undefined;
const startedAt = performance.now();
const dueAt = (index: number) => startedAt + index * intervalMs;

function send(index: number) {
	if (outstanding >= maxOutstanding) {
		failed[index] = "dropped: too many requests outstanding";
		return;
	}
	const r = requests[index];
	const headers: Record<string, string | number> = { ...r.headers };
	if (r.body !== undefined) headers["content-length"] = Buffer.byteLength(r.body);
	outstanding++;
	let ended = false;
	const end = (code: number, error?: Error) => {
		if (ended) return;
		ended = true;
		latencyMs[index] = performance.now() - dueAt(index);
		if (error) failed[index] = error.message;
		else status[index] = code;
		outstanding--;
		if (sendingDone() && outstanding === 0) finish();
	};
	const req = http.request(
		{ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers, timeout: timeoutS * 1000 },
		res => {
			res.resume();
			res.once("end", () => end(res.statusCode ?? 0));
			res.once("error", error => end(0, error));
		}
	);
	req.once("timeout", () => req.destroy(new Error("timed out")));
	req.once("error", error => end(0, error));
	req.end(r.body);
}

const sendingDone = () => stopped || next >= total;

function tick() {
	const now = performance.now();
	while (!stopped && next < total && dueAt(next) <= now) send(next++);
	if (sendingDone()) {
		if (outstanding === 0) finish();
		return;
	}
	timer = setTimeout(tick, dueAt(next) - now);
}

let finished = false;
function finish() {
	if (finished) return;
	finished = true;
	agent.destroy();
	const shift = performance.timeOrigin - parentTimeOrigin;
	const result: PacedResult = { responses: [], failures: [], startedAt: startedAt + shift };
	for (let i = 0; i < next; i++) {
		const at = dueAt(i) + shift;
		if (status[i]) result.responses.push({ at, status: status[i], ms: latencyMs[i] });
		else if (failed[i]) result.failures.push({ at, message: failed[i]! });
	}
	parentPort!.postMessage(result);
}

parentPort!.on("message", (message: "stop") => {
	if (message !== "stop") return;
	stopped = true;
	clearTimeout(timer);
	agent.destroy();
	if (outstanding === 0) finish();
});

tick();
