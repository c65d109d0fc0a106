/**
 * The soak scenario's shapes: what one request came to, what each kill did, what the databases
 * held at the end (soak.ts measures, soak-report.ts prints, the runner keeps them in the JSON).
 * Types only, so nothing circles back through this file.
 */
/** The kinds of request in the soak's mix (soak-mix.ts gives each its share). */
export const SOAK_KINDS = [
	"post-read",
	"leaderboard-read",
	"post-create-keyed",
	"submission-keyed",
	"profile-update-unkeyed",
	"post-create-unkeyed"
] as const;
export type SoakKind = (typeof SOAK_KINDS)[number];

/** What came of one request of the load (every attempt of a keyed one), on the runner's performance clock. */
export interface SoakOutcome {
	/** Its place in the load: request `index` was due at start + index / rate. */
	index: number;
	kind: SoakKind;
	/** When it was due. */
	at: number;
	/** The first attempt's status (0: no answer: a connection error, a timeout, or not sent) and its latency from `at`. */
	firstStatus: number;
	firstMs: number;
	firstError?: string;
	/** Attempts sent (keyed writes are sent again until they succeed, within a bound). */
	attempts: number;
	/** The last attempt's status, and `at` → its answer. */
	finalStatus: number;
	finalMs: number;
}

/** Latency and failures of the requests due in a span of the run (first attempts). */
export interface SoakWindow {
	requests: number;
	/** First attempts that did not answer 2xx, by kind. */
	failed: number;
	failedByKind: Partial<Record<SoakKind, number>>;
	p50Ms: number | null;
	p99Ms: number | null;
	maxMs: number | null;
}

export interface SoakKill {
	/** Seconds after the load began. */
	atS: number;
	/** The node group (its SERVICES) and which of its nodes. */
	group: string;
	node: string;
	pid: number;
	/** Seconds the kill waited, past its time, for the group's other node to be back (0: on time). */
	lateS: number;
	/** Kill → the new incarnation's /health/ready, seconds (null: not ready by the deadline). */
	restartReadyS: number | null;
	/** Requests due from WINDOW_BEFORE_S before the kill to WINDOW_AFTER_S after it. */
	window: SoakWindow;
}

/** One kind's requests over the whole run. */
export interface SoakKindStats {
	kind: SoakKind;
	sent: number;
	/** First attempts answered 2xx. */
	ok: number;
	/** First attempts that failed, by status ("0" when there was no answer). */
	failedByStatus: Record<string, number>;
	p50Ms: number | null;
	p99Ms: number | null;
	/** Keyed kinds: requests that needed more than one attempt, that finally answered 2xx, and that never did. */
	retried?: number;
	eventuallyOk?: number;
	neverOk?: number;
	/** Keyed kinds: due → the answer that succeeded, over those that needed retries. */
	retriedToSuccessP99Ms?: number | null;
}

/** A consumer's share of the event checks. */
export interface SoakConsumerEvents {
	/** Events produced whose type the consumer subscribes to. */
	expected: number;
	/** Of those, in its inbox's processed_events. */
	delivered: number;
	lost: number;
	/** Dead letters in its event_retries, and retries still pending. */
	deadLetters: number;
	pendingRetries: number;
}

/** What the databases held once the load stopped and the outboxes drained. */
export interface SoakVerification {
	/** Seconds from the end of the load until everything below settled (or the deadline). */
	drainS: number;
	drained: boolean;
	keyedPosts: { succeeded: number; stored: number; missing: number; doubled: number };
	/** Posts of the run (keyed or not) with more than one post.created event in the outbox. */
	postCreatedTwice: number;
	keyedSubmissions: {
		succeeded: number;
		stored: number;
		missing: number;
		doubled: number;
		unjudged: number;
		verdicts: Record<string, number>;
	};
	unkeyedPosts: { sent: number; failed: number; failedButStored: number; stored: number; doubled: number };
	events: {
		/** Rows of the producers' outboxes (users, posts, problems). */
		produced: number;
		/** Still not published (sent_at null) at the end. */
		unsent: number;
		byConsumer: Record<string, SoakConsumerEvents>;
		/** The audit trail: rows against the audit inbox's processed ids (a row twice would be an effect twice). */
		auditRows: number;
	};
	/** The totals the issue asks for. */
	lostEvents: number;
	doubledEffects: number;
	deadLetters: number;
	keyedNeverSucceeded: number;
}

export interface SoakResult {
	startedAt: string;
	seed: number;
	minutes: number;
	killEveryS: number;
	/** Requests per second offered, and the mix's shares. */
	rate: number;
	mix: Record<SoakKind, number>;
	/** The cluster: node groups and how many nodes each, and which groups were killed. */
	groups: { services: string; nodes: number; killable: boolean }[];
	/** Whether RabbitMQ's event exchange was on: a killed node is then dropped at once, else at the heartbeat timeout (2.5 s). */
	deadNodeWatch: boolean;
	/** Why submissions were left out of the mix, when they were. */
	submissionsSkipped?: string;
	/** Seconds the cluster took to start (every node ready) and its set-up (users, problem, posts). */
	startS: number;
	kinds: SoakKindStats[];
	overall: SoakWindow;
	/** Requests due outside every kill's window. */
	betweenKills: SoakWindow;
	kills: SoakKill[];
	windowS: { before: number; after: number };
	/** The whole machine's CPU during the load, in cores (the machine is shared). */
	machineCpuCores: number | null;
	/** The runner's own CPU (the load generator), in cores. */
	runnerCpuCores: number;
	/** Nodes that exited though nobody killed them (name, pid, how, log). */
	crashed: string[];
	verification: SoakVerification;
	/** Every invariant held: nothing lost, nothing doubled, no dead letter, every keyed write succeeded, all drained, no crash. */
	held: boolean;
}
