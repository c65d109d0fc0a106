/**
 * PostgreSQL dropping every connection and refusing new ones for a while, as a restart does, under
 * a write load, with real processes over RabbitMQ: a front node (gateway + users) and a posts node
 * whose database is behind a fault proxy. Every write answers 201 or 503 (never a 500), none is
 * partial (a 201 is stored with its event, a 503 is all or nothing), and writes succeed again once the
 * server is back: the pool recovers on its own.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { Client } from "pg";
import { FaultProxy } from "../helpers/fault-proxy";
import { countBy, describeSamples, type LoadRequest, postBody, postsCluster, START_DEADLINE_MS, startLoad } from "../helpers/load";
import { unavailable } from "../helpers/services";

const CONCURRENCY = 4;
const BEFORE_MS = 2000;
const OUTAGE_MS = 5000;
/** Back, the pool reconnects at once; the gateway's circuit breaker may hold the action for its half-open delay (10 s). */
const RECOVERS_WITHIN_MS = 20_000;
/** Writes must succeed again for this long before the load stops. */
const RECOVERED_FOR_MS = 2000;

describe("PostgreSQL restarting under writes", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = postsCluster("pg-outage");
	let proxy: FaultProxy;
	let token: string;

	before(
		async () => {
			const server = new URL(cluster.postsDatabaseUrl);
			proxy = await FaultProxy.start(Number(server.port || 5432), server.hostname);
			({ token } = await cluster.startWithOnePostsNode({ POSTS_DATABASE_URL: proxy.urlFor(cluster.postsDatabaseUrl) }));
		},
		{ timeout: 3 * START_DEADLINE_MS }
	);

	after(
		async () => {
			proxy?.restore();
			await cluster.stop();
			await proxy?.close();
		},
		{ timeout: 60_000 }
	);

	async function stored(): Promise<{ posts: Map<string, number>; events: Map<string, number> }> {
		const client = new Client({ connectionString: cluster.postsDatabaseUrl });
		await client.connect();
		try {
			const posts = await client.query("SELECT title, count(*)::int AS n FROM posts.posts GROUP BY title");
			const events = await client.query(
				"SELECT envelope->'payload'->>'title' AS title, count(*)::int AS n FROM posts.outbox WHERE type = 'post.created' GROUP BY 1"
			);
			const byTitle = (rows: { title: string; n: number }[]) => new Map(rows.map(r => [r.title, r.n]));
			return { posts: byTitle(posts.rows), events: byTitle(events.rows) };
		} finally {
			await client.end();
		}
	}

	test(
		"when the posts database drops every connection and refuses new ones for 5 s then writes answer 201 or 503, none is partial, and they succeed again after",
		{ timeout: 120_000 },
		t =>
			cluster.diagnosed(t, async () => {
				const create = (): LoadRequest => {
					const body = postBody();
					return { kind: body.title, method: "POST", path: "/api/posts", token, body, expect: 201 };
				};
				const load = startLoad(cluster.baseUrl, CONCURRENCY, create);
				let restoredAt = 0;
				let recoveredAt = 0;
				await delay(BEFORE_MS);
				const cutAt = load.now();
				try {
					proxy.cut();
					await delay(OUTAGE_MS);
					restoredAt = load.now();
					proxy.restore();
					const deadline = restoredAt + RECOVERS_WITHIN_MS;
					while (load.now() < deadline) {
						const last = load.samples.filter(s => s.sentAt > restoredAt);
						const lastFailure = Math.max(restoredAt, ...last.filter(s => !s.ok).map(s => s.doneAt));
						if (last.some(s => s.ok && s.sentAt > lastFailure) && load.now() - lastFailure >= RECOVERED_FOR_MS) {
							recoveredAt = lastFailure;
							break;
						}
						await delay(100);
					}
				} finally {
					await load.stop();
				}

				const failed = load.samples.filter(s => !s.ok);
				t.diagnostic(
					[
						`${load.samples.length} creations from ${CONCURRENCY} loopers; cut at +${Math.round(cutAt)} ms for ${OUTAGE_MS} ms`,
						`answers: ${JSON.stringify(countBy(load.samples, s => `${s.status} ${s.detail ?? ""}`))}`,
						`writes succeed again ${recoveredAt ? Math.round(recoveredAt - restoredAt) : "never"} ms after the server is back`
					].join("\n")
				);
				if (failed.length) t.diagnostic(`failed (ms after the cut):\n${describeSamples(failed, cutAt, 10)}`);

				for (const s of failed) assert.equal(s.status, 503, `a write answered ${s.status} ${s.detail}`);
				assert.ok(failed.length > 0, "the outage was felt");
				assert.ok(recoveredAt > 0, `writes did not succeed steadily within ${RECOVERS_WITHIN_MS} ms of the server's return`);

				// A 503 is no promise that nothing happened (the commit may have gone through just before the
				// connection did): it is the whole write or nothing, never part of one. Keyed writes settle it.
				const { posts, events } = await stored();
				for (const s of load.samples) {
					const [stored, published] = [posts.get(s.kind) ?? 0, events.get(s.kind) ?? 0];
					const what = `${s.status} "${s.kind}": stored ${stored} times, ${published} post.created events`;
					if (s.ok) assert.ok(stored === 1 && published === 1, what);
					else assert.ok(stored === published && stored <= 1, what);
				}
			})
	);
});
