/**
 * The bench's model: the ids and descriptions of its scenarios and topologies, and the shapes that
 * the runner, the topologies, the scenarios and the report share (a running topology, a
 * measurement). It imports only leaf modules (processes, contests, rankings, events): nothing circles back.
 */
import type { ContestRig } from "./contests";
import type { RankingRig } from "./rankings";
import type { EventProbe, EventStats } from "./events";
import type { BenchProcess } from "./processes";

/** The order of the report's rows (a round's order is run.ts's ROUND_ORDER). */
export const SCENARIO_IDS = [
	"raw",
	"raw-steady",
	"raw-health",
	"raw-read",
	"raw-post-read",
	"stock",
	"stock-cached",
	"health",
	"read",
	"post-read",
	"post-search",
	"post-write",
	"leaderboard-read",
	"leaderboard-read-steady",
	"leaderboard-read-live",
	"ranking-read",
	"ranking-read-steady",
	"submit",
	"login",
	"write",
	"write-steady",
	"me-steady",
	"write-detached",
	"write-steady-detached",
	"scale-out"
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Run only when named in --scenarios (minutes long), once, on a topology of their own after the rounds (judge.ts, soak.ts). */
export const OPT_IN_SCENARIOS = ["judge", "soak"] as const;

/** The open-loop leaderboard reads, at the rate of the topology's contest rig (calibrated or --leaderboard-rate). */
export const STEADY_LEADERBOARD: ScenarioId[] = ["leaderboard-read-steady", "leaderboard-read-live", "ranking-read-steady"];

/** The global ranking board's reads (100,000 rated players seeded in the rankings database: rankings.ts). */
export const RANKING_SCENARIOS: ScenarioId[] = ["ranking-read", "ranking-read-steady"];

/** Submissions per second beside the live leaderboard reads: a busy contest, every answer changing the board. */
export const LIVE_SUBMISSIONS_PER_S = 20;

/** Baseline scenarios answering the same bytes as a measured route (its answer, fetched once at start). */
export const SAME_BYTES: Partial<Record<ScenarioId, ScenarioId>> = {
	"raw-health": "health",
	"raw-read": "read",
	"raw-post-read": "post-read"
};

export const TOPOLOGY_IDS = [
	"baseline",
	"stock",
	"one-process",
	"two-node",
	"two-node-no-redis",
	"posts-two-node",
	"posts-scale-out",
	"contests-two-node",
	"rankings-two-node",
	"events"
] as const;
export type TopologyId = (typeof TOPOLOGY_IDS)[number];

export interface TopologyInfo {
	id: TopologyId;
	label: string;
	description: string;
	scenarios: ScenarioId[];
	/** Measured to explain another row, not one of the headline figures. */
	diagnostic: boolean;
}

export const TOPOLOGIES: Record<TopologyId, TopologyInfo> = {
	baseline: {
		id: "baseline",
		label: "baseline",
		description: "raw node:http server, small JSON body (or a measured route's answer, byte for byte), own process",
		scenarios: ["raw", "raw-steady", "raw-health", "raw-read", "raw-post-read"],
		diagnostic: false
	},
	stock: {
		id: "stock",
		label: "stock moleculer-web",
		description: "stock Moleculer + moleculer-web, defaults, one local action (and one behind the Memory cacher), own process",
		scenarios: ["stock", "stock-cached"],
		diagnostic: false
	},
	"one-process": {
		id: "one-process",
		label: "one process",
		description: "every service in one node (gateway, users, posts, ...), no transporter, Memory cacher, PostgreSQL",
		scenarios: [
			"health",
			"read",
			"post-read",
			"post-search",
			"post-write",
			"leaderboard-read",
			"leaderboard-read-steady",
			"leaderboard-read-live",
			"ranking-read",
			"ranking-read-steady",
			"submit",
			"login"
		],
		diagnostic: false
	},
	"two-node": {
		id: "two-node",
		label: "2 nodes AMQP+Redis",
		description: "gateway node + users node over AMQP, shared Redis cacher, PostgreSQL",
		scenarios: ["health", "read", "login"],
		diagnostic: false
	},
	"two-node-no-redis": {
		id: "two-node-no-redis",
		label: "2 nodes AMQP, no Redis",
		description: "as two-node but CACHER unset (Memory per node): every read crosses AMQP to the users node",
		scenarios: ["read"],
		diagnostic: true
	},
	"posts-two-node": {
		id: "posts-two-node",
		label: "2 nodes AMQP+Redis: posts",
		description:
			"gateway+users node + posts node over AMQP (transporter and domain events), shared Redis cacher, PostgreSQL (one database each)",
		scenarios: ["post-read", "post-search", "post-write"],
		diagnostic: false
	},
	"posts-scale-out": {
		id: "posts-scale-out",
		label: "gateway + 2 posts nodes AMQP+Redis",
		description:
			"gateway+users node + two posts nodes over AMQP, shared Redis cacher, one posts database; metrics on (the gateway's " +
			"registry, each posts node's request counter); the scale-out scenario kills one posts node -9 and starts another",
		scenarios: ["scale-out"],
		diagnostic: false
	},
	"contests-two-node": {
		id: "contests-two-node",
		label: "2 nodes AMQP+Redis: contests",
		description:
			"gateway+users node + contests node over AMQP (transporter and domain events), shared Redis cacher, " +
			"leaderboard in a Redis sorted set, PostgreSQL (one database each)",
		scenarios: ["leaderboard-read", "leaderboard-read-steady", "leaderboard-read-live", "submit"],
		diagnostic: false
	},
	"rankings-two-node": {
		id: "rankings-two-node",
		label: "2 nodes AMQP+Redis: rankings",
		description:
			"gateway+users node + rankings node over AMQP (transporter and domain events), shared Redis cacher, " +
			"boards in Redis sorted sets + a players hash, PostgreSQL (one database each)",
		scenarios: ["ranking-read", "ranking-read-steady"],
		diagnostic: false
	},
	events: {
		id: "events",
		label: "events: app → audit",
		description:
			"gateway+users node ('app') and an audit consumer node over AMQP (transporter and domain events), " +
			"Memory cacher, PostgreSQL (one database each); consumer detached = audit node stopped, events wait in its queue",
		scenarios: ["write", "write-detached", "write-steady", "write-steady-detached", "me-steady"],
		diagnostic: false
	}
};

export interface Credentials {
	username: string;
	email: string;
	password: string;
}

/** A registered user and the access token the write scenarios send. */
export interface Writer {
	username: string;
	accessToken: string;
}

/** The event side of the `events` topology. */
export interface EventsRig {
	probe: EventProbe;
	writers: Writer[];
	/** Writes per second of the steady runs: set by the runner (option, or calibrated) before the rounds. */
	rate?: number;
	consumerAttached(): boolean;
	/** Starts the audit node, waits until it is ready, attached to its queue, and the queue is drained. */
	attach(): Promise<void>;
	/** Stops the audit node and waits until its queue has no consumer. */
	detach(): Promise<void>;
}

export interface RunningTopology {
	info: TopologyInfo;
	/** The gateway (or the baseline server). */
	baseUrl: string;
	/** The processes running now (the events topology stops and restarts its consumer node). */
	processes: BenchProcess[];
	/** The user registered beforehand (platform topologies only), and its access token. */
	user?: Credentials;
	accessToken?: string;
	/** Posts seeded before the nodes started, and a published one whose page is cached (posts scenarios only). */
	seeded?: { posts: number; seconds: number };
	postSlug?: string;
	/**
	 * The baseline's raw-steady rate: the one-process steady leaderboard rate, so that the same
	 * open loop against a bare server shows what the load generator itself adds to the p99.
	 */
	controlRate?: number;
	/** The running contest seeded before the nodes started, its users' tokens, its warmed leaderboard (contest scenarios only). */
	contest?: ContestRig;
	/** The rated players seeded before the nodes started, and the warmed global board (ranking scenarios only). */
	ranking?: RankingRig;
	namespace?: string;
	database?: string;
	events?: EventsRig;
	/** The posts nodes the scale-out scenario kills and starts (posts-scale-out only). */
	scaleOut?: ScaleOutRig;
}

/** A posts node of the posts-scale-out topology. */
export interface ScalePostsNode {
	name: string;
	process: BenchProcess;
	/** Its Prometheus endpoint. */
	metricsUrl: string;
}

/** The posts nodes of the posts-scale-out topology, which the scenario kills and starts. */
export interface ScaleOutRig {
	/** The gateway's Prometheus endpoint (its registry's endpoint gauge). */
	gatewayMetricsUrl: string;
	/** The posts nodes running now. */
	postsNodes: ScalePostsNode[];
	/** Spawns another posts node (added to postsNodes and the topology's processes); `ready` resolves at its /health/ready. */
	startPosts(): Promise<{ node: ScalePostsNode; ready: Promise<void> }>;
	/** Drops a killed node from postsNodes and the topology's processes. */
	forget(node: ScalePostsNode): void;
}

export interface ScaleOutStats {
	connections: number;
	/** Seconds of 1-s windows measured in each phase. */
	windowS: { twoNodes: number; oneNode: number; again: number };
	killed: string;
	survivor: string;
	third: string;
	/** 2xx per 1-s window: two nodes before the kill, one node after the gateway dropped the dead one, two again with the third. */
	reqPerSec: { twoNodes: number[]; oneNode: number[]; again: number[] };
	medians: { twoNodes: number; oneNode: number; again: number };
	/** oneNode / twoNodes, again / twoNodes. */
	oneOverTwo: number | null;
	againOverTwo: number | null;
	/** Until the gateway's registry gauge showed one posts endpoint, ms after the kill (null: not seen in 15 s). */
	droppedAfterMs: number | null;
	/** Non-2xx responses and client errors over the whole run, each ms after the kill (when it came back). */
	failures: { afterKillMs: number; status: string }[];
	/** The last failure, ms after the kill: when the failures stopped (null: none). */
	failuresStopMs: number | null;
	/** Failures that came back before the kill, or more than 1 s after the gateway dropped the dead node. */
	failuresOutsideKill: number;
	/** The third node: seconds from its spawn to /health/ready, and to its first posts.get served. */
	thirdReadyS: number;
	thirdServingS: number | null;
	/** posts.get served per node (its own counter) in the two-node window before the kill, and in the window with the third node. */
	servedBefore: Record<string, number>;
	servedAgain: Record<string, number>;
	/** Requests of the run: cached single posts and uncached list pages. */
	mix: { post: number; list: number };
}

export interface Measurement {
	round: number;
	topology: string;
	scenario: ScenarioId;
	startedAt: string;
	/** The measured window; the warm-up before it loaded the target but was not counted. */
	durationS: number;
	warmupS: number;
	/** 2xx responses per second: errors don't count as throughput. */
	reqPerSec: number;
	/** Every response (any status) per second. */
	allReqPerSec: number;
	latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
	/** Responses and errors (timeouts included) are counted within the measured window only. */
	ok: number;
	non2xx: number;
	errors: number;
	timeouts: number;
	statusCodes: Record<string, number>;
	/** CPU used during the measured window, in cores (1 = one core busy all the time), per process. */
	cpuCores: Record<string, number>;
	/** The runner's own CPU (autocannon), in cores. */
	runnerCpuCores: number;
	/**
	 * The whole machine's CPU during the window, in cores: the bench's processes, PostgreSQL,
	 * RabbitMQ, Redis, and whatever else runs (the machine is shared), to explain outliers.
	 */
	machineCpuCores: number | null;
	/** Whether every process was idle before the run started. */
	settled: boolean;
	/** Steady scenarios: the offered rate (requests due per second); closed-loop ones: absent. */
	offeredPerSec?: number;
	/** Events topology: whether the audit consumer ran during the run. */
	consumerAttached?: boolean;
	/** Write scenarios: user.updated events that occurred in the window (outbox rows). */
	producedEvents?: number;
	/** Write scenarios with the consumer attached: what reached the consumer, and how fast. */
	events?: EventStats;
	/** The scale-out scenario: the kill, the recovery and the third node (scale-out.ts). */
	scaleOut?: ScaleOutStats;
}

/** How a topology's steady rate was chosen (the events topology's writes, or a contest topology's leaderboard reads). */
export interface Calibration {
	topology: string;
	/** The saturated scenario it was calibrated from (write, leaderboard-read or ranking-read). */
	scenario: ScenarioId;
	source: "option" | "calibrated";
	/** Requests (writes, or leaderboard reads) per second the steady runs offer. */
	rate: number;
	/** The saturated run it came from (`connections` closed loops; writes: consumer attached). */
	saturatedReqPerSec?: number;
	load?: number;
	/** Closed loops of the saturated runs (options.connections). */
	connections: number;
	measurement?: Measurement;
}
