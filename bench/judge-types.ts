/**
 * The shapes of the judge scenario's results (judge.ts measures, judge-report.ts prints, report.ts
 * keeps them in the checks). It imports types only, so nothing circles back through it.
 */
import type { LanguageId } from "../services/judge/judge.contract";
import type { LatencySummary } from "./events";

/** A saturated window: as many submissions in flight as keep the judge queue from running dry. */
export interface JudgeSaturated {
	/** Verdicts per second, from the judge nodes' codelearn_judge_submissions_total over the window. */
	judgedPerSec: number;
	perNode: Record<string, number>;
	/** The window's verdicts by kind (anything but AC means the figure is not the program's). */
	verdicts: Record<string, number>;
	windowS: number;
	/** Seconds of load before the window: until every judge node had judged its first ones (compiles), then --warmup. */
	warmupS: number;
	/** Submissions kept in flight (at most 5 per user, the service's cap). */
	inFlight: number;
	/** Ready messages of the judge queue, sampled through the window: 0 would mean a judge slot could have starved. */
	queue: { samples: number; min: number; median: number; emptyShare: number };
	/** CPU during the window, in cores: the front node, each judge node with its sandboxes' processes, the runner, the machine. */
	cpuCores: Record<string, number>;
	/** CPU ms per judged submission: the judge nodes' (sandboxes included), and the front node's (submit, progress, streams). */
	judgeCpuMs: number | null;
	frontCpuMs: number | null;
	/**
	 * Submissions refused (status → count), and verdicts found by polling because no frame came
	 * (an IE that problems recorded after a submission's last attempt has none), by verdict.
	 */
	failures: Record<string, number>;
	polled: Record<string, number>;
	/** Seconds to finish the submissions still in flight after the window. */
	drainS: number;
}

/** An open loop at half the saturated rate: how long a submission waits in the queue when the judge keeps up. */
export interface JudgeHalfRate {
	offeredPerSec: number;
	windowS: number;
	submitted: number;
	/** Submissions whose verdict frame arrived (or, without one, that polling found done). */
	judged: number;
	/** Due while every user had 5 unfinished submissions: not sent. */
	capped: number;
	failures: Record<string, number>;
	/** 202 → the first progress frame on the submitter's stream (status leaving `queued`). */
	queueWaitMs: LatencySummary | null;
	/** 202 → the `done` frame. */
	verdictMs: LatencySummary | null;
	/** When the submission was due → its 202. */
	acceptMs: LatencySummary | null;
	/** Judged, but without the frames to time it (found done by polling). */
	untimed: number;
	verdicts: Record<string, number>;
}

export interface JudgeRun {
	language: LanguageId;
	nodes: number;
	saturated: JudgeSaturated | null;
	half: JudgeHalfRate | null;
	/** Why the run has no figures (a language failing its warm-up submission, a deadline). */
	error?: string;
}

/** One language's line of the report's table. */
export interface JudgeRow {
	language: LanguageId;
	oneNodePerSec: number | null;
	twoNodePerSec: number | null;
	ratio: number | null;
	/** Per node, from the issue (none for C++). */
	targetPerSec: number | null;
	targetMet: boolean | null;
	scaleMet: boolean | null;
	/** The judge nodes' CPU ms per judged submission, one node. */
	judgeCpuMsOneNode: number | null;
	/** Verdicts other than AC in the language's runs (IE: the judge failed, e.g. its sandbox): its figures are then not the judge's. */
	otherVerdicts: number;
	queueWaitOneNode: { p50Ms: number; p99Ms: number } | null;
	queueWaitTwoNodes: { p50Ms: number; p99Ms: number } | null;
	verdictOneNode: { p50Ms: number; p99Ms: number } | null;
}

export interface JudgeResult {
	startedAt: string;
	seconds: number;
	slots: number;
	users: number;
	tests: number;
	windowS: number;
	scaleTarget: number;
	unavailable: { language: LanguageId; reason: string }[];
	runs: JudgeRun[];
	rows: JudgeRow[];
}
