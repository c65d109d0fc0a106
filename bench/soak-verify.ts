/**
 * The soak's invariants, checked against the databases once the load has stopped: every keyed
 * write that answered 2xx is stored exactly once, no effect happened twice, every event committed
 * by a producer reached each consumer that subscribes to it, no dead letter. Polled until it all
 * settles (the outboxes drained, retries done, submissions judged) or a deadline passes.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { consumersOf } from "../lib/events/topology";
import { EVENT_TOPOLOGY, isConsumingService } from "../services/contracts";
import { SOAK_DATABASES, type SoakDatabase } from "./soak-cluster";
import type { CountByMarker, OutboxRow, SoakDatabases } from "./soak-databases";
import { markerOf, markerPrefix, titleOf } from "./soak-mix";
import type { SoakConsumerEvents, SoakKind, SoakOutcome, SoakVerification } from "./soak-types";

/** The inbox consumers of the cluster: every service of it that consumes events (the judge's work queue is checked by its verdicts). */
const CONSUMERS = SOAK_DATABASES.filter(isConsumingService);

const ok = (status: number) => status >= 200 && status < 300;

export interface VerifyContext {
	db: SoakDatabases;
	outcomes: SoakOutcome[];
	runId: string;
}

/** Each consumer's expected events (by the topology's subscriptions), delivered and lost. */
function deliveries(
	outbox: OutboxRow[],
	processed: Map<SoakDatabase, Set<string>>,
	retries: Map<SoakDatabase, { dead: number; pending: number }>
) {
	const subscribers = new Map<string, string[]>();
	const subscribed = (type: string, consumer: string) => {
		if (!subscribers.has(type)) subscribers.set(type, consumersOf(EVENT_TOPOLOGY, type));
		return subscribers.get(type)!.includes(consumer);
	};
	const byConsumer: Record<string, SoakConsumerEvents> = {};
	for (const consumer of CONSUMERS) {
		const seen = processed.get(consumer)!;
		const expected = outbox.filter(row => subscribed(row.type, consumer));
		const delivered = expected.filter(row => seen.has(row.eventId)).length;
		const { dead, pending } = retries.get(consumer)!;
		byConsumer[consumer] = {
			expected: expected.length,
			delivered,
			lost: expected.length - delivered,
			deadLetters: dead,
			pendingRetries: pending
		};
	}
	return byConsumer;
}

/** Markers with more than one row. */
const doubled = (counts: CountByMarker, keys: string[]) => keys.filter(k => (counts.get(k) ?? 0) > 1).length;

async function check(ctx: VerifyContext): Promise<Omit<SoakVerification, "drainS" | "drained">> {
	const { db, outcomes, runId } = ctx;
	const of = (kind: SoakKind) => outcomes.filter(o => o.kind === kind);
	const title = (o: SoakOutcome) => titleOf(markerOf(runId, o.index));
	const titlePrefix = titleOf(markerPrefix(runId));

	const [posts, created, submissions, outbox, auditRows] = await Promise.all([
		db.postsByTitle(titlePrefix),
		db.createdEventsByTitle(titlePrefix),
		db.submissions(markerPrefix(runId)),
		db.outbox(),
		db.auditRows()
	]);
	const processed = new Map(await Promise.all(CONSUMERS.map(async c => [c, await db.processed(c)] as const)));
	const retries = new Map(await Promise.all(CONSUMERS.map(async c => [c, await db.retries(c)] as const)));

	const keyedPosts = of("post-create-keyed");
	const keyedOk = keyedPosts.filter(o => ok(o.finalStatus)).map(title);
	const unkeyedPosts = of("post-create-unkeyed");
	const unkeyedFailed = unkeyedPosts.filter(o => !ok(o.finalStatus)).map(title);

	const rowsBySubmission = new Map<string, number>();
	for (const row of submissions) rowsBySubmission.set(row.marker, (rowsBySubmission.get(row.marker) ?? 0) + 1);
	const submitted = of("submission-keyed");
	const submittedOk = submitted.filter(o => ok(o.finalStatus)).map(o => markerOf(runId, o.index));
	const verdicts: Record<string, number> = {};
	for (const row of submissions.filter(r => r.status === "done"))
		verdicts[row.verdict ?? "none"] = (verdicts[row.verdict ?? "none"] ?? 0) + 1;

	const byConsumer = deliveries(outbox, processed, retries);
	const consumers = Object.values(byConsumer);
	const v = {
		keyedPosts: {
			succeeded: keyedOk.length,
			stored: keyedOk.filter(t => posts.has(t)).length,
			missing: keyedOk.filter(t => !posts.has(t)).length,
			doubled: doubled(posts, keyedPosts.map(title))
		},
		postCreatedTwice: doubled(created, [...keyedPosts, ...unkeyedPosts].map(title)),
		keyedSubmissions: {
			succeeded: submittedOk.length,
			stored: submittedOk.filter(m => rowsBySubmission.has(m)).length,
			missing: submittedOk.filter(m => !rowsBySubmission.has(m)).length,
			doubled: doubled(
				rowsBySubmission,
				submitted.map(o => markerOf(runId, o.index))
			),
			unjudged: submissions.filter(r => r.status !== "done").length,
			verdicts
		},
		unkeyedPosts: {
			sent: unkeyedPosts.length,
			failed: unkeyedFailed.length,
			failedButStored: unkeyedFailed.filter(t => posts.has(t)).length,
			stored: unkeyedPosts.map(title).filter(t => posts.has(t)).length,
			doubled: doubled(posts, unkeyedPosts.map(title))
		},
		events: { produced: outbox.length, unsent: outbox.filter(r => !r.sent).length, byConsumer, auditRows },
		lostEvents: consumers.reduce((sum, c) => sum + c.lost, 0),
		deadLetters: consumers.reduce((sum, c) => sum + c.deadLetters, 0),
		keyedNeverSucceeded: [...keyedPosts, ...submitted].filter(o => !ok(o.finalStatus)).length
	};
	const doubledEffects = v.keyedPosts.doubled + v.postCreatedTwice + v.keyedSubmissions.doubled + v.unkeyedPosts.doubled;
	return { ...v, doubledEffects };
}

/** Nothing is left in motion: every event published and applied or given up on, every submission judged. */
const settled = (v: Omit<SoakVerification, "drainS" | "drained">) =>
	v.events.unsent === 0 &&
	v.lostEvents === 0 &&
	Object.values(v.events.byConsumer).every(c => c.pendingRetries === 0) &&
	v.keyedSubmissions.unjudged === 0;

/** Checks until everything settled, or the deadline; the last check, with how long it took to settle. */
export async function verifyAfterDrain(ctx: VerifyContext, deadlineS: number, log: (line: string) => void): Promise<SoakVerification> {
	const began = performance.now();
	let lastLog = began;
	for (;;) {
		const v = await check(ctx);
		const drainS = Math.round((performance.now() - began) / 100) / 10;
		if (settled(v)) return { ...v, drainS, drained: true };
		if (drainS >= deadlineS) return { ...v, drainS, drained: false };
		if (performance.now() - lastLog > 10_000) {
			lastLog = performance.now();
			log(
				`  soak: draining (${drainS} s): ${v.events.unsent} unsent, ${v.lostEvents} deliveries missing, ` +
					`${Object.values(v.events.byConsumer).reduce((s, c) => s + c.pendingRetries, 0)} retries pending, ${v.keyedSubmissions.unjudged} unjudged`
			);
		}
		await sleep(1000);
	}
}
