/**
 * One node cut off from the network and back, with real processes over RabbitMQ: a front node
 * (gateway + users) on the machine's RabbitMQ and a posts node reaching it through a fault proxy.
 * Cut, the posts node is dropped at once (RabbitMQ sees its connection go and says so: the dead-node
 * watch) and reads of posts answer 503 at once; back, it reconnects, announces itself and serves
 * again. Neither process exits.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FaultProxy } from "../helpers/fault-proxy";
import { pollUntil, postsCluster, START_DEADLINE_MS } from "../helpers/load";
import type { NodeProcess } from "../helpers/processes";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** RabbitMQ tells the front node within milliseconds; the bound allows for polling its metrics. */
const DROPPED_WITHIN_MS = 1000;
/** Moleculer's transporter reconnects every 5 s; then discovery. */
const REJOINS_WITHIN_MS = 20_000;

describe("a node cut off from the network and back", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = postsCluster("cut-off");
	let proxy: FaultProxy;
	let posts: NodeProcess;
	let slug: string;
	let token: string;

	const read = () => cluster.api("GET", `/api/posts/${slug}`, { token });

	before(
		async () => {
			const amqp = new URL(TEST_SERVICES.amqp);
			proxy = await FaultProxy.start(Number(amqp.port || 5672), amqp.hostname);
			({ posts, token } = await cluster.startWithOnePostsNode({ TRANSPORTER: proxy.urlFor(TEST_SERVICES.amqp) }));
			[slug] = await cluster.seedPosts(token, 1);
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

	test(
		"when the posts node is cut off then it is dropped at once and reads answer 503; back, it rejoins and serves",
		{ timeout: 90_000 },
		t =>
			cluster.diagnosed(t, async () => {
				assert.equal((await read()).status, 200);
				const cutAt = performance.now();
				proxy.cut();
				// Moleculer's endpoint gauge keeps the last value of a service with no node left: ask the gateway.
				const dropped = await pollUntil("reads find no posts node", read, res => res.status !== 200, 10_000, 20);
				const droppedAfterMs = dropped.at - cutAt;
				assert.equal(dropped.value.status, 503, JSON.stringify(dropped.value.body));
				assert.equal(dropped.value.body.type, "SERVICE_UNAVAILABLE");

				const restoredAt = performance.now();
				proxy.restore();
				const back = await pollUntil("the posts node serves again", read, res => res.status === 200, REJOINS_WITHIN_MS, 200);
				t.diagnostic(
					`dropped ${Math.round(droppedAfterMs)} ms after the cut; serving again ${Math.round(back.at - restoredAt)} ms after the link came back`
				);
				assert.ok(droppedAfterMs <= DROPPED_WITHIN_MS, `dropped ${Math.round(droppedAfterMs)} ms after the cut`);
				assert.equal(posts.child.exitCode, null, "the cut-off node runs on");
				assert.equal(cluster.front.child.exitCode, null, "the front node runs on");
			})
	);
});
