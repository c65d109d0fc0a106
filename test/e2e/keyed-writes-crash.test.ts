/**
 * Keyed writes across a node crash, with real processes over RabbitMQ: a front node (gateway +
 * users) and two posts nodes under a load of post creations, each sent with an Idempotency-Key.
 * One posts node is killed -9. Every write must answer 201 (the gateway repeats a keyed write
 * whose node failed on the other node) and every one must exist exactly once, with one
 * `post.created` event: whatever the dead node committed before dying is answered from its
 * record, not written again.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { Client } from "pg";
import {
	countBy,
	describeSamples,
	type LoadRequest,
	pollUntil,
	postBody,
	postsCluster,
	servedBy,
	START_DEADLINE_MS,
	startLoad
} from "../helpers/load";
import type { NodeProcess } from "../helpers/processes";
import { unavailable } from "../helpers/services";

/** Modest: the machine has two cores and is shared. */
const CONCURRENCY = 8;
/**
 * RabbitMQ tells every node at once that the dead node's consumer went (lib/dead-node-watch.ts);
 * the goal is 0.5 s, and the gateway's metrics are polled, so the bound has some margin.
 */
const DROP_DEADLINE_MS = 1000;
/** After the gateway dropped the dead node, the load goes on this long on the survivor. */
const AFTER_DROP_MS = 2000;

describe("keyed writes while a posts node crashes", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = postsCluster("keyed-crash");
	let posts: NodeProcess[] = [];
	let token: string;
	const titles = new Set<string>();

	function create(): LoadRequest {
		const body = postBody();
		titles.add(body.title);
		return {
			kind: "POST keyed",
			method: "POST",
			path: "/api/posts",
			token,
			body,
			headers: { "idempotency-key": randomUUID() },
			expect: 201
		};
	}

	async function stored(): Promise<{ posts: Map<string, number>; created: number }> {
		const client = new Client({ connectionString: cluster.postsDatabaseUrl });
		await client.connect();
		try {
			const rows = (await client.query("SELECT title, count(*)::int AS n FROM posts.posts GROUP BY title")).rows as {
				title: string;
				n: number;
			}[];
			const events = await client.query(
				"SELECT count(*)::int AS n FROM posts.outbox WHERE type = 'post.created' AND envelope->'payload'->>'title' = ANY($1)",
				[[...titles]]
			);
			return { posts: new Map(rows.filter(r => titles.has(r.title)).map(r => [r.title, r.n])), created: events.rows[0].n };
		} finally {
			await client.end();
		}
	}

	before(async () => ({ posts, token } = await cluster.startWithTwoPostsNodes(0)), { timeout: 3 * START_DEADLINE_MS });

	after(() => cluster.stop(), { timeout: 60_000 });

	test(
		"when one of two posts nodes is killed -9 under keyed creations, then every creation answers 201 and exists exactly once",
		{ timeout: 120_000 },
		t =>
			cluster.diagnosed(t, async () => {
				const victim = posts[1];
				const load = startLoad(cluster.baseUrl, CONCURRENCY, create);
				let killAt: number, droppedAt: number;
				try {
					await pollUntil(
						"both posts nodes take writes",
						() => Promise.all(posts.map(servedBy)),
						s => s.every(n => n.requests >= 20),
						30_000
					);
					killAt = load.now();
					victim.child.kill("SIGKILL");
					droppedAt = (await cluster.untilPostsEndpoints(1, 15_000)).at - load.origin;
					assert.equal((await victim.exited).signal, "SIGKILL");
					await delay(AFTER_DROP_MS);
				} finally {
					await load.stop();
				}

				const failed = load.samples.filter(s => !s.ok);
				const exposed = load.samples.filter(s => s.doneAt >= killAt && s.sentAt <= droppedAt);
				const latencies = exposed.map(s => s.doneAt - s.sentAt).sort((a, b) => a - b);
				const { posts: counts, created } = await stored();
				t.diagnostic(
					[
						`load: ${load.samples.length} keyed creations from ${CONCURRENCY} loopers`,
						`killed ${victim.name} at +${Math.round(killAt)} ms; the gateway dropped it ${Math.round(droppedAt - killAt)} ms later`,
						`in flight between the kill and the drop: ${exposed.length}, slowest ${Math.round(latencies.at(-1) ?? 0)} ms`,
						`failed: ${failed.length} ${JSON.stringify(countBy(failed, s => `${s.status} ${s.detail ?? ""}`))}`,
						`posts stored: ${counts.size} of ${titles.size} sent; post.created events: ${created}`
					].join("\n")
				);
				if (failed.length) t.diagnostic(`failed requests (ms after the kill):\n${describeSamples(failed, killAt)}`);

				assert.ok(
					droppedAt - killAt <= DROP_DEADLINE_MS,
					`the gateway dropped the dead node ${Math.round(droppedAt - killAt)} ms after the kill`
				);
				assert.ok(exposed.length > 0, "some creations were in flight when the node died");
				assert.deepEqual(failed, [], "every keyed creation succeeded");
				assert.equal(counts.size, titles.size, "every creation is stored");
				const doubled = [...counts].filter(([, n]) => n > 1);
				assert.deepEqual(doubled, [], "no creation is stored twice");
				assert.equal(created, titles.size, "one post.created event per creation");
			})
	);
});
