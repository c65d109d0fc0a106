/**
 * Graceful shutdown with real processes over RabbitMQ: a front node (gateway + users) and two
 * posts nodes sharing PostgreSQL and the Redis cacher, under a steady load of reads and writes.
 * SIGTERM to a posts node, as Kubernetes sends it: the node must stop taking new requests, finish
 * the ones it accepted, leave the cluster and exit 0 within the grace period, while the other
 * posts node carries the load. Observed from outside: HTTP answers, the gateway's registry gauge,
 * the nodes' own request counters, exit codes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import {
	countBy,
	describeSamples,
	type Load,
	type LoadRequest,
	pollUntil,
	postBody,
	postsCluster,
	randomWord,
	type Served,
	servedBy,
	START_DEADLINE_MS,
	startLoad,
	throughput
} from "../helpers/load";
import type { NodeExit, NodeProcess } from "../helpers/processes";
import { unavailable } from "../helpers/services";

/** Kubernetes' default terminationGracePeriodSeconds is 30; the broker's shutdownTimeout is 10 s. */
const EXIT_DEADLINE_MS = 15_000;
/**
 * The stopping node announces it has no services before anything else, and the gateway drops it
 * on receipt (0.2–1 s measured here, on a loaded machine, through the gateway's metrics).
 */
const LEAVE_DEADLINE_MS = 3000;
/** Once no posts node is left, a request is answered 503 without waiting for anything. */
const UNAVAILABLE_ANSWER_MS = 2000;
/** Modest: the machine has two cores and is shared. */
const CONCURRENCY = 12;
/** The load after the node has gone, measured in 1-s windows. */
const AFTER_WINDOW_MS = 3000;

/**
 * Requests the node refused, by action: Moleculer's transit answers ServiceNotAvailableError to a
 * request that arrives after the broker set `stopping`, which is `registry.stopDelay` (100 ms)
 * after the goodbye INFO. Only a request the gateway routed before it had processed that INFO can
 * arrive so late; a read is retried on another node (lib/fault-tolerance.ts), a write is not.
 */
function refusedBy(node: NodeProcess): Record<string, number> {
	const refused: Record<string, number> = {};
	for (const [, action] of node
		.output()
		.matchAll(/Incoming '([\w.]+)' (?:with requestID '[^']*' )?request from '[^']*' node is dropped because broker is stopped/g)) {
		refused[action] = (refused[action] ?? 0) + 1;
	}
	return refused;
}

/** What the node's context tracker said it waited for when stopping (it logs a warning only when something was in flight). */
function waitedFor(node: NodeProcess): string {
	const lines = node
		.output()
		.split("\n")
		.filter(line => /Waiting for \d+ running context/.test(line));
	return lines.length
		? lines.map(line => /Waiting for \d+ running context\(s\)/.exec(line)![0]).join("; ")
		: "nothing in flight when its services stopped";
}

describe("a posts node that gets SIGTERM under load", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = postsCluster("shutdown");
	let posts: NodeProcess[] = [];
	let token: string;
	let slugs: string[] = [];

	/** Reads of posts and of uncached list pages, and one write in ten: every kind that is in flight at a SIGTERM. */
	function mix(looper: number, i: number): LoadRequest {
		const k = (looper + i) % 10;
		// With a token: the gateway answers anonymous post reads from its copies, and this test is about the posts nodes.
		if (k < 6)
			return { kind: "GET post", method: "GET", path: `/api/posts/${slugs[(looper * 7 + i) % slugs.length]}`, token, expect: 200 };
		if (k < 9)
			return { kind: "GET list", method: "GET", path: `/api/posts?q=${randomWord(6)}&page=${1 + (i % 3)}&pageSize=5`, expect: 200 };
		return { kind: "POST post", method: "POST", path: "/api/posts", token, body: postBody(), expect: 201 };
	}

	/**
	 * SIGTERM to `victim` under `load`; follows its request counters (the last scrape before its
	 * metrics endpoint closes is what it served in all) and the gateway's view until it exits.
	 */
	async function terminate(load: Load, victim: NodeProcess, remainingEndpoints: number) {
		const before = await servedBy(victim);
		let last: Served = before;
		const sentAt = performance.now();
		victim.child.kill("SIGTERM");
		const exited = victim.exited.then(exit => ({ exit, at: performance.now() }));

		const following = (async () => {
			while (!victim.exit) {
				last = await servedBy(victim).catch(() => last);
				await Promise.race([victim.exited, delay(50)]);
			}
		})();
		const left = remainingEndpoints
			? await cluster.untilPostsEndpoints(remainingEndpoints, EXIT_DEADLINE_MS)
			: // What clients see: the registry's service-count gauge is only refreshed on later registry events.
				await pollUntil(
					"the gateway answers 503 for posts",
					async () => (await cluster.api("GET", "/api/categories")).status,
					status => status === 503,
					EXIT_DEADLINE_MS,
					20
				);
		const settled = await Promise.race([exited, delay(EXIT_DEADLINE_MS + 5000).then(() => undefined)]);
		// A node that does not leave by itself is killed, as the orchestrator would; the assertions say so.
		if (!settled) victim.child.kill("SIGKILL");
		await following;
		const exit: NodeExit | undefined = settled?.exit;
		const exitedAfterMs = settled ? settled.at - sentAt : Infinity;
		// Times on the load's clock, to compare with its samples.
		return {
			before,
			last,
			exit,
			exitedAfterMs,
			leftAfterMs: left.at - sentAt,
			sigAt: sentAt - load.origin,
			leftAt: left.at - load.origin,
			waited: waitedFor(victim),
			refused: refusedBy(victim)
		};
	}

	before(async () => ({ posts, token, slugs } = await cluster.startWithTwoPostsNodes()), { timeout: 3 * START_DEADLINE_MS });

	after(() => cluster.stop(), { timeout: 60_000 });

	test(
		"when one of two posts nodes gets SIGTERM under a read and write load, then it leaves the cluster, finishes what it accepted and exits 0 within the grace period, and no read fails (a write only if it came after the node stopped taking requests)",
		{ timeout: 120_000 },
		t =>
			cluster.diagnosed(t, async () => {
				const [survivor, victim] = posts;
				const load = startLoad(cluster.baseUrl, CONCURRENCY, mix);
				let result: Awaited<ReturnType<typeof terminate>>;
				let survivorServed: Served;
				try {
					await pollUntil(
						"both posts nodes serve the load",
						() => Promise.all(posts.map(servedBy)),
						served => served.every(s => s.requests >= 100),
						30_000
					);
					result = await terminate(load, victim, 1);
					// The load goes on with one posts node: measured, so that it is seen to carry on.
					await delay(AFTER_WINDOW_MS);
					survivorServed = await servedBy(survivor);
				} finally {
					await load.stop();
				}

				const { before, last, sigAt, exit, exitedAfterMs, leftAfterMs, waited, refused } = result;
				const failed = load.samples.filter(s => !s.ok);
				const failedReads = failed.filter(s => s.kind !== "POST post");
				const failedWrites = failed.filter(s => s.kind === "POST post");
				const exitMs = sigAt + exitedAfterMs;
				const after = load.samples.filter(s => s.sentAt >= exitMs);
				const rates = throughput(load.samples, exitMs, exitMs + AFTER_WINDOW_MS);
				t.diagnostic(
					[
						`load: ${load.samples.length} requests (${JSON.stringify(countBy(load.samples, s => s.kind))}), ${failed.length} failed ${JSON.stringify(countBy(failed, s => String(s.status)))}`,
						`SIGTERM → gateway dropped the node after ${Math.round(leftAfterMs)} ms; exit ${exit ? `code ${exit.code} signal ${exit.signal}` : "none"} after ${Math.round(exitedAfterMs)} ms`,
						`${victim.name}: served ${last.requests} requests in all, ${last.requests - before.requests} of them after the SIGTERM; errors ${last.errors} (5xx ${last.serverErrors}); tracker: ${waited}; refused while stopping: ${JSON.stringify(refused)}`,
						`${survivor.name}: served ${survivorServed.requests} requests; errors ${survivorServed.errors} (5xx ${survivorServed.serverErrors})`,
						`after the exit: ${after.length} requests, req/s per 1-s window ${rates.join(", ")}`
					].join("\n")
				);
				if (failed.length) t.diagnostic(`failed requests (ms after the SIGTERM):\n${describeSamples(failed, sigAt)}`);

				assert.ok(exit, `${victim.name} did not exit within ${EXIT_DEADLINE_MS + 5000} ms of the SIGTERM`);
				assert.deepEqual(exit, { code: 0, signal: null }, "a SIGTERM'd node exits with code 0 by itself");
				assert.ok(
					exitedAfterMs < EXIT_DEADLINE_MS,
					`exited ${Math.round(exitedAfterMs)} ms after the SIGTERM (limit ${EXIT_DEADLINE_MS})`
				);
				assert.ok(
					leftAfterMs < LEAVE_DEADLINE_MS,
					`the gateway still routed to the stopping node ${Math.round(leftAfterMs)} ms after the SIGTERM`
				);
				assert.equal(last.serverErrors, 0, `${victim.name} failed requests it had accepted`);
				assert.equal(survivorServed.serverErrors, 0, `${survivor.name} failed requests`);
				assert.equal(failedReads.length, 0, `reads failed:\n${describeSamples(failedReads, sigAt)}`);
				// A write can only fail if it reached the node after it had stopped taking requests (see refusedBy).
				assert.ok(
					failedWrites.every(s => s.status === 503 && s.detail === "SERVICE_UNAVAILABLE") &&
						failedWrites.length <= (refused["posts.create"] ?? 0),
					`writes failed beyond those the stopping node refused (${JSON.stringify(refused)}):\n${describeSamples(failedWrites, sigAt)}`
				);
				assert.ok(after.length > 0 && rates.every(r => r > 0), `the load stalled after the exit: ${rates.join(", ")} req/s`);
			})
	);

	test(
		"when the last posts node gets SIGTERM under load, then what it accepted succeeds, the gateway answers 503 with Retry-After at once after it left, and it exits 0",
		{ timeout: 120_000 },
		t =>
			cluster.diagnosed(t, async () => {
				const victim = posts.find(n => !n.exit);
				assert.ok(victim, "the previous case leaves one posts node running");
				const load = startLoad(cluster.baseUrl, CONCURRENCY, mix);
				let result: Awaited<ReturnType<typeof terminate>>;
				try {
					const start = await servedBy(victim);
					await pollUntil(
						"the last posts node serves the load",
						() => servedBy(victim),
						s => s.requests >= start.requests + 100,
						30_000
					);
					result = await terminate(load, victim, 0);
					await delay(AFTER_WINDOW_MS);
				} finally {
					await load.stop();
				}

				const { before, last, sigAt, exit, exitedAfterMs, leftAfterMs, leftAt, waited, refused } = result;
				const failed = load.samples.filter(s => !s.ok);
				const beforeSig = load.samples.filter(s => s.doneAt < sigAt);
				const afterLeft = load.samples.filter(s => s.sentAt > leftAt);
				const slowest = Math.max(0, ...afterLeft.map(s => s.doneAt - s.sentAt));
				t.diagnostic(
					[
						`load: ${load.samples.length} requests, ${failed.length} not successful ${JSON.stringify(countBy(failed, s => `${s.status} ${s.detail ?? ""}`))}`,
						`SIGTERM → the gateway dropped the node after ${Math.round(leftAfterMs)} ms; exit ${exit ? `code ${exit.code} signal ${exit.signal}` : "none"} after ${Math.round(exitedAfterMs)} ms`,
						`${victim.name}: ${last.requests - before.requests} requests accepted after the SIGTERM; errors ${last.errors} (5xx ${last.serverErrors}); tracker: ${waited}; refused while stopping: ${JSON.stringify(refused)}`,
						`after it left: ${afterLeft.length} requests, all answered within ${Math.round(slowest)} ms`,
						`not successful before it left: ${failed.filter(s => s.sentAt <= leftAt).length}`
					].join("\n")
				);

				assert.ok(exit, `${victim.name} did not exit within ${EXIT_DEADLINE_MS + 5000} ms of the SIGTERM`);
				assert.deepEqual(exit, { code: 0, signal: null });
				assert.ok(exitedAfterMs < EXIT_DEADLINE_MS, `exited ${Math.round(exitedAfterMs)} ms after the SIGTERM`);
				assert.ok(
					leftAfterMs < LEAVE_DEADLINE_MS,
					`the gateway still routed to the stopping node ${Math.round(leftAfterMs)} ms after the SIGTERM`
				);
				assert.equal(last.serverErrors, 0, `${victim.name} failed requests it had accepted`);
				assert.ok(
					beforeSig.length > 0 && beforeSig.every(s => s.ok),
					`requests answered before the SIGTERM failed:\n${describeSamples(
						beforeSig.filter(s => !s.ok),
						sigAt
					)}`
				);
				for (const s of failed) {
					assert.equal(s.status, 503, `only 503 once no posts node is left:\n${describeSamples(failed, sigAt)}`);
					assert.equal(s.detail, "SERVICE_UNAVAILABLE");
					assert.match(s.retryAfter ?? "", /^[1-9]\d*$/, "a 503 carries Retry-After");
				}
				assert.ok(
					afterLeft.length > 0 && afterLeft.every(s => s.status === 503),
					`after it left: ${JSON.stringify(countBy(afterLeft, s => String(s.status)))}`
				);
				assert.ok(slowest < UNAVAILABLE_ANSWER_MS, `a 503 took ${Math.round(slowest)} ms (limit ${UNAVAILABLE_ANSWER_MS})`);
			})
	);
});
