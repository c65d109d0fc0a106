/**
 * Three rankings replicas: three brokers in this process, each running only the rankings service,
 * sharing its PostgreSQL database, the Redis boards and the RabbitMQ queue (events over the AMQP
 * transport, so the replicas compete for deliveries as separate nodes would). The test publishes
 * the producers' envelopes itself: the same `contest.ended` several times, and again under new
 * event ids, for two rated contests with common participants ending together; then boards flushed
 * and rebuilt over and over while events change them. What it observes: the rankings database,
 * each replica's consumer metrics, and the board.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import type { ServiceBroker } from "moleculer";
import { AmqpTransport } from "../../lib/events/amqp-transport";
import { createEvent, type DomainEvent } from "../../lib/events/envelope";
import { judgedEvent } from "../helpers/judge";
import { EVENT_TOPOLOGY } from "../../services/contracts";
import type { Leaderboard } from "../../services/rankings/rankings.contract";
import { rateContest } from "../../services/rankings/rating/codeforces";
import { deleteEventTopology } from "../helpers/amqp";
import { query } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const REPLICAS = 3;
/** Every delivery handled, with margin for a loaded machine. */
const DELIVERY_MS = 30_000;
const CONSUMED = "codelearn.events.consumed.total";
const DUPLICATES = "codelearn.events.duplicates.total";

type Standings = { userId: string; rank: number }[];

/** The sum of a counter's values on a broker for the rankings consumer. */
function consumerMetric(broker: ServiceBroker, name: string): number {
	const metric = broker.metrics.getMetric(name) as unknown as {
		values: Map<string, { labels: { service?: string }; value: number }>;
	} | null;
	assert.ok(metric, `metric ${name} on ${broker.nodeID}`);
	return [...metric.values.values()].filter(v => v.labels.service === "rankings").reduce((sum, v) => sum + v.value, 0);
}

function ended(contestId: string, standings: Standings) {
	return createEvent("contests", {
		type: "contest.ended",
		aggregateId: contestId,
		actorId: null,
		payload: {
			contestId,
			title: `Round ${contestId.slice(0, 8)}`,
			groupId: null,
			organiserId: randomUUID(),
			participantCount: standings.length,
			top: [],
			rated: true,
			standings
		}
	});
}

const userCreated = (u: { id: string; username: string }) =>
	createEvent("users", {
		type: "user.created",
		aggregateId: u.id,
		actorId: u.id,
		payload: { userId: u.id, username: u.username, displayName: u.username }
	});

/** The ratings after rating these contests in this order, from newcomers. */
function ratingsAfter(contests: Standings[]): Map<string, number> {
	const ratings = new Map<string, number>();
	for (const standings of contests) {
		for (const c of rateContest(standings.map(s => ({ ...s, ratingBefore: ratings.get(s.userId) ?? null }))))
			ratings.set(c.userId, c.after);
	}
	return ratings;
}

describe("three rankings replicas over RabbitMQ", { skip: unavailable("postgres", "redis", "amqp") }, () => {
	const namespace = `rankings-replicas-${randomBytes(4).toString("hex")}`;
	const db = scratchDatabase("codelearn_test_rankings_replicas");
	const replicas: Platform[] = [];
	const users = Array.from({ length: 6 }, (_, i) => ({ id: randomUUID(), username: `replica${i}x${randomBytes(3).toString("hex")}` }));
	let transport: AmqpTransport;
	let redis: Redis;

	const rankings = <T = any>(sql: string, params: unknown[] = []) => query<T>(db.url, sql, params);
	const total = (name: string) => replicas.reduce((sum, p) => sum + consumerMetric(p.broker, name), 0);
	/** Deliveries each replica handled so far, applied or skipped as duplicates. */
	const handled = () => replicas.map(p => consumerMetric(p.broker, CONSUMED) + consumerMetric(p.broker, DUPLICATES));
	const dropBoards = async () => {
		const keys = await redis.keys(`${namespace}:rankings:*`);
		if (keys.length) await redis.del(...keys);
	};

	before(async () => {
		// Together, as a rollout would: the migrations queue on their advisory lock.
		replicas.push(
			...(await Promise.all(
				Array.from({ length: REPLICAS }, (_, i) =>
					startPlatform({
						NAMESPACE: namespace,
						NODE_ID: `${namespace}-${i + 1}`,
						SERVICES: "rankings",
						EVENTS_AMQP_URL: TEST_SERVICES.amqp,
						CACHER: TEST_SERVICES.redis,
						RANKINGS_DATABASE_URL: db.url,
						METRICS_ENABLED: "true",
						METRICS_PORT: "0",
						DATABASE_POOL_MAX: "4",
						LOG_LEVEL: "error"
					})
				)
			))
		);
		redis = new Redis(TEST_SERVICES.redis, { maxRetriesPerRequest: 2 });
		transport = new AmqpTransport(TEST_SERVICES.amqp, namespace, replicas[0].broker.getLogger("test"), EVENT_TOPOLOGY);
		await transport.publish(users.map(userCreated));
		await eventually(
			"every user known",
			() => rankings(`SELECT count(*)::int AS n FROM rankings.players WHERE username IS NOT NULL`),
			([row]) => row.n === users.length,
			DELIVERY_MS
		);
	});

	after(async () => {
		await transport?.close();
		await Promise.all(replicas.map(p => p.stop()));
		if (redis) {
			await dropBoards();
			redis.disconnect();
		}
		await Promise.all([db.drop(), deleteEventTopology(namespace)]);
	});

	it("when two rated contests end together and each contest.ended arrives three times and under three more ids then each is rated once, one after the other", async t => {
		const [u0, u1, u2, u3, u4, u5] = users.map(u => u.id);
		// The hand-computed case (+125, −26, −26, −80), and a second contest sharing two of its players.
		const first = [
			{ userId: u0, rank: 1 },
			{ userId: u1, rank: 2 },
			{ userId: u2, rank: 2 },
			{ userId: u3, rank: 4 }
		];
		const second = [
			{ userId: u3, rank: 1 },
			{ userId: u4, rank: 2 },
			{ userId: u0, rank: 3 },
			{ userId: u5, rank: 4 }
		];
		const events = [ended(randomUUID(), first), ended(randomUUID(), second)];
		const [handledBefore, consumedBefore, duplicatesBefore] = [handled(), total(CONSUMED), total(DUPLICATES)];
		const redriven = events.flatMap(e => Array.from({ length: 3 }, () => ({ ...e, id: randomUUID() })));
		const deliveries: DomainEvent[] = [...events, ...events, ...events, ...redriven].sort(() => Math.random() - 0.5);
		await transport.publish(deliveries);

		await eventually(
			"every delivery handled",
			async () => ({ consumed: total(CONSUMED) - consumedBefore, duplicates: total(DUPLICATES) - duplicatesBefore }),
			d => d.consumed === 8 && d.duplicates === 4,
			DELIVERY_MS
		);
		const shares = handled().map((n, i) => n - handledBefore[i]);
		t.diagnostic(`deliveries per replica: ${shares.join(", ")}`);
		assert.ok(shares.filter(n => n > 0).length >= 2, `the replicas shared the 12 deliveries: ${shares.join(", ")}`);

		// In the order they were rated (the second waited for the first's locks on their common players).
		const contests = await rankings(
			`SELECT c.contest_id, count(*)::int AS n FROM rankings.ended_contests c JOIN rankings.contest_results r USING (contest_id)
			 GROUP BY c.contest_id ORDER BY min(r.seq)`
		);
		assert.deepEqual(
			contests.map(c => c.n),
			[4, 4],
			"two contests rated, four changes each"
		);
		const order = contests[0].contest_id === events[0].payload.contestId ? [first, second] : [second, first];
		const expected = ratingsAfter(order);
		const stored = new Map(
			(await rankings(`SELECT user_id, rating FROM rankings.players WHERE rating IS NOT NULL`)).map(r => [r.user_id, r.rating])
		);
		assert.deepEqual(stored, expected);
		if (order[0] === first)
			assert.deepEqual(
				[u1, u2].map(id => stored.get(id)),
				[1474, 1474],
				"the hand-computed −26 each"
			);
		const chained = await rankings(
			`SELECT a.user_id FROM rankings.contest_results a JOIN rankings.contest_results b ON a.user_id = b.user_id AND a.seq < b.seq
			 WHERE a.rating_after = b.rating_before`
		);
		assert.deepEqual(chained.map(r => r.user_id).sort(), [u0, u3].sort(), "the second contest's 'before' is the first's 'after'");

		const board = await replicas[1].broker.call<Leaderboard, object>("rankings.leaderboard", { by: "rating", page: 1, pageSize: 100 });
		assert.equal(board.total, 6);
		assert.deepEqual(
			board.rows.map(r => [r.user.id, r.user.username, r.rating]),
			[...expected]
				.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
				.map(([id, rating]) => [id, users.find(u => u.id === id)!.username, rating])
		);
		const [retries] = await rankings(`SELECT count(*)::int AS n FROM rankings.event_retries`);
		assert.equal(retries.n, 0, "no delivery failed, none deadlocked");
	});

	it("when the boards are flushed and rebuilt again and again while events change them then the board ends as PostgreSQL says", async t => {
		const players = Array.from({ length: 40 }, () => ({ id: randomUUID(), username: `race${randomBytes(4).toString("hex")}` }));
		const [p1, p2] = [randomUUID(), randomUUID()];
		const firstTries = players.map(p => ({ userId: p.id, submissionId: randomUUID() }));
		const events: DomainEvent[] = [
			...[p1, p2].map(problemId =>
				createEvent("problems", {
					type: "problem.published",
					aggregateId: problemId,
					actorId: null,
					payload: { problemId, title: "Race", authorId: randomUUID() }
				})
			),
			...players.map(userCreated),
			...firstTries.map(f => judgedEvent(f.userId, p1, f.submissionId, 1, "AC")),
			...players.slice(0, 20).map(p => judgedEvent(p.id, p2, randomUUID(), 1, "AC")),
			// Rejudged to WA: these lose p1, whichever of the two judgements arrives first.
			...firstTries.filter((_, i) => i % 3 === 0).map(f => judgedEvent(f.userId, p1, f.submissionId, 2, "WA"))
		].sort(() => Math.random() - 0.5);
		const consumedBefore = total(CONSUMED);
		const applied = async () => total(CONSUMED) - consumedBefore;

		// Flushed and read through one replica or another (a rebuild), again and again, while the first
		// 80 % of the events are applied; the rest lands on the last rebuild's board.
		let rebuilds = 0;
		const churn = (async () => {
			while ((await applied()) < events.length * 0.8) {
				await dropBoards();
				await replicas[rebuilds++ % REPLICAS].broker.call("rankings.leaderboard", { by: "solved", page: 1, pageSize: 5 });
			}
		})();
		for (const event of events) await transport.publish([event]);
		await churn;
		await eventually("every event applied", applied, n => n === events.length, DELIVERY_MS);
		t.diagnostic(`${rebuilds} flushes and rebuilds while ${events.length} events were applied`);

		const truth = await rankings(
			`SELECT user_id, username, solved FROM rankings.players WHERE solved > 0 ORDER BY solved DESC, user_id DESC`
		);
		const board = await replicas[2].broker.call<Leaderboard, object>("rankings.leaderboard", { by: "solved", page: 1, pageSize: 100 });
		assert.deepEqual(
			board.rows.map(r => [r.user.id, r.user.username, r.solved]),
			truth.map(r => [r.user_id, r.username, r.solved])
		);
		assert.equal(board.total, truth.length);
		assert.ok(truth.some(r => r.solved === 2) && truth.some(r => r.solved === 1), "both counts occur");
	});
});
