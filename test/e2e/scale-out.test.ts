/**
 * Scale-out under load with real processes over RabbitMQ: a front node (gateway + users) and two
 * posts nodes sharing PostgreSQL and the Redis cacher, under a steady read load. One posts node
 * is killed -9: only requests in flight on it may fail, the load carries on at the one-node level,
 * and a third posts node, once started, takes its share within seconds. Observed from outside:
 * HTTP answers and their times, the gateway's registry gauge, each posts node's request counter.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import {
	countBy,
	describeSamples,
	type LoadRequest,
	median,
	pollUntil,
	postsCluster,
	randomWord,
	servedBy,
	START_DEADLINE_MS,
	startLoad,
	throughput
} from "../helpers/load";
import type { NodeProcess } from "../helpers/processes";
import { unavailable } from "../helpers/services";

/**
 * The gateway drops a silent node HEARTBEAT_TIMEOUT_S (2.5 s) after its last heartbeat, within a
 * quarter second (lib/prompt-discoverer.ts); the last heartbeat was up to 1 s before the kill. The
 * rest is margin for a loaded machine.
 */
const DETECTION_DEADLINE_MS = 3500;
/** Modest: the machine has two cores and is shared. */
const CONCURRENCY = 12;
/** Throughput is measured in 1-s windows over this long, before the kill and after recovery. */
const MEASURE_MS = 5000;
/** After the gateway dropped the dead node, before measuring the recovered level. */
const SETTLE_MS = 1000;
/** How the load is shared between the survivor and the third node is measured over this long. */
const SHARES_MS = 3000;
/** A ready third node serves requests within this. */
const TAKES_TRAFFIC_MS = 10_000;
/** The machine is shared: the one-node level must be at least this share of the two-node level. */
const MIN_RECOVERED_RATIO = 0.5;

describe("posts nodes scaled out under a read load", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = postsCluster("scale-out");
	let posts: NodeProcess[] = [];
	let token: string;
	let slugs: string[] = [];

	/** Idempotent reads only (they retry on another node, lib/fault-tolerance.ts): posts, and list pages no cache holds. */
	function reads(looper: number, i: number): LoadRequest {
		// With a token: the gateway answers anonymous post reads from its copies, and this test is about the posts nodes.
		if ((looper + i) % 3 < 2)
			return { kind: "GET post", method: "GET", path: `/api/posts/${slugs[(looper * 7 + i) % slugs.length]}`, token, expect: 200 };
		return { kind: "GET list", method: "GET", path: `/api/posts?q=${randomWord(6)}&page=${1 + (i % 3)}&pageSize=5`, expect: 200 };
	}

	before(async () => ({ posts, token, slugs } = await cluster.startWithTwoPostsNodes()), { timeout: 3 * START_DEADLINE_MS });

	after(() => cluster.stop(), { timeout: 60_000 });

	test(
		"when one of two posts nodes is killed -9 under a read load, then only requests in flight on it fail, within seconds, and throughput returns to the one-node level; when a third node starts, then it takes traffic within seconds",
		{ timeout: 150_000 },
		t =>
			cluster.diagnosed(t, async () => {
				const [survivor, victim] = posts;
				const load = startLoad(cluster.baseUrl, CONCURRENCY, reads);
				const at = (perf: number) => perf - load.origin;
				let killAt: number, droppedAt: number, preFrom: number, preTo: number, postFrom: number, postTo: number;
				let readyAt: number, servedAt: number, sharesFrom: number;
				let third: NodeProcess;
				const shares: Record<string, number> = {};
				try {
					await pollUntil(
						"both posts nodes serve the load",
						() => Promise.all(posts.map(servedBy)),
						s => s.every(n => n.requests >= 100),
						30_000
					);

					// Two nodes: the measured level before the kill.
					preFrom = load.now();
					await delay(MEASURE_MS);
					preTo = load.now();

					killAt = load.now();
					victim.child.kill("SIGKILL");
					droppedAt = at((await cluster.untilPostsEndpoints(1, 15_000)).at);
					assert.equal((await victim.exited).signal, "SIGKILL");

					// One node: the measured level, from a moment after the gateway dropped the dead one.
					postFrom = droppedAt + SETTLE_MS;
					postTo = postFrom + MEASURE_MS;
					await delay(postTo - load.now());

					third = await cluster.startPosts("posts-3");
					await third.waitReady(START_DEADLINE_MS);
					readyAt = load.now();
					servedAt = at(
						(
							await pollUntil(
								"posts-3 serves requests",
								() => servedBy(third),
								s => s.requests > 0,
								TAKES_TRAFFIC_MS,
								50
							)
						).at
					);

					// How the load is shared once the third node is in.
					const [s0, t0] = await Promise.all([servedBy(survivor), servedBy(third)]);
					sharesFrom = load.now();
					await delay(SHARES_MS);
					const [s1, t1] = await Promise.all([servedBy(survivor), servedBy(third)]);
					shares[survivor.name] = s1.requests - s0.requests;
					shares[third.name] = t1.requests - t0.requests;
				} finally {
					await load.stop();
				}

				const failed = load.samples.filter(s => !s.ok);
				// In flight while the gateway could still route to the dead node: from the kill to its drop.
				const exposed = load.samples.filter(s => s.doneAt >= killAt && s.sentAt <= droppedAt);
				const stuck = exposed.filter(s => s.doneAt - s.sentAt > 1000);
				const pre = throughput(load.samples, preFrom, preTo);
				const post = throughput(load.samples, postFrom, postTo);
				const withThird = throughput(load.samples, sharesFrom, sharesFrom + SHARES_MS);
				t.diagnostic(
					[
						`load: ${load.samples.length} reads (${JSON.stringify(countBy(load.samples, s => s.kind))}) from ${CONCURRENCY} loopers`,
						`killed ${victim.name} at +${Math.round(killAt)} ms; the gateway dropped it ${Math.round(droppedAt - killAt)} ms later`,
						`in flight between the kill and the drop: ${exposed.length} requests, ${stuck.length} of them held > 1 s; failed ${failed.length} ${JSON.stringify(countBy(failed, s => `${s.status} ${s.detail ?? ""}`))}`,
						`req/s in 1-s windows, 2 nodes before the kill: ${pre.join(", ")} (median ${median(pre)})`,
						`req/s in 1-s windows, 1 node after recovery: ${post.join(", ")} (median ${median(post)}, ${Math.round((100 * median(post)) / median(pre))} % of before)`,
						`posts-3 ready at +${Math.round(readyAt - killAt)} ms after the kill; first request served ${Math.round(servedAt - readyAt)} ms after ready`,
						`with posts-3: req/s ${withThird.join(", ")}; requests served in ${SHARES_MS / 1000} s: ${JSON.stringify(shares)}`
					].join("\n")
				);
				if (failed.length) t.diagnostic(`failed requests (ms after the kill):\n${describeSamples(failed, killAt)}`);

				assert.ok(
					droppedAt - killAt <= DETECTION_DEADLINE_MS,
					`the gateway dropped the dead node ${Math.round(droppedAt - killAt)} ms after the kill`
				);
				for (const f of failed) {
					assert.ok(
						f.doneAt >= killAt && f.sentAt <= droppedAt,
						`a request failed that was not in flight between the kill and the drop:\n${describeSamples(failed, killAt)}`
					);
					assert.ok([503, 504].includes(f.status), `a failure other than 503/504:\n${describeSamples(failed, killAt)}`);
				}
				// At most one per looper: a looper's next request goes to a live node once the dead one is dropped.
				assert.ok(failed.length <= CONCURRENCY, `${failed.length} failures for ${CONCURRENCY} loopers`);
				assert.ok(
					failed.length <= stuck.length / 2,
					`most reads held by the dead node should succeed by retrying on the live one: ${failed.length} of ${stuck.length} failed`
				);
				assert.ok(
					median(post) >= MIN_RECOVERED_RATIO * median(pre),
					`throughput after recovery ${median(post)} req/s < ${MIN_RECOVERED_RATIO} × ${median(pre)} req/s before the kill`
				);
				assert.ok(
					servedAt - readyAt <= TAKES_TRAFFIC_MS,
					`posts-3 served its first request ${Math.round(servedAt - readyAt)} ms after ready`
				);
				assert.ok(shares[third!.name] > 0, `posts-3 took no share of the load: ${JSON.stringify(shares)}`);
			})
	);
});
