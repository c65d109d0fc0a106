/**
 * The judge scenario's two loads on one language. Saturated: closed loops that keep a fixed number
 * of submissions in flight (at most 5 per user, the service's cap), counted by the judge nodes'
 * verdict counters over a window. Half rate: an open loop, submission k due at start + k / rate
 * whatever happened to the others, each timed from its 202 to its first progress frame (the queue
 * wait) and to its verdict frame on the submitter's stream. The open loop runs in this thread,
 * not pacer.ts's worker: the frames that end each timing arrive here anyway, and the pacer does
 * not return the 202's body (the submission's id) that matches them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { LanguageId } from "../services/judge/judge.contract";
import { summarizeLatencies } from "./events";
import type { JudgeApi, ProgressStreams } from "./judge-client";
import { judgedBetween, judgedCounts, total, treeCpuSeconds } from "./judge-metrics";
import type { JudgeRig } from "./judge-topology";
import type { JudgeHalfRate, JudgeSaturated } from "./judge-types";
import { machineCores, machineCpu } from "./processes";
import { round2 } from "./stats";

/** The service's cap: a user's 6th unfinished submission is refused (429). */
export const MAX_UNFINISHED = 5;
/** A submission in flight this long without its verdict frame is polled (its frame may have been lost). */
const POLL_AFTER_MS = 20_000;
const DRAIN_DEADLINE_MS = 180_000;
const WARMUP_DEADLINE_MS = 240_000;
const QUEUE_SAMPLE_MS = 250;

export interface LoadContext {
	rig: JudgeRig;
	streams: ProgressStreams;
	language: LanguageId;
	source: string;
}

/** Sends submissions for the users and hears of their verdicts; it never lets a user past the cap. */
class Submitter {
	readonly unfinished: number[];
	readonly verdicts = new Map<string, string | undefined>();
	readonly failures: Record<string, number> = {};
	/** Verdicts found by polling (no frame: e.g. an IE that problems recorded after the last attempt). */
	readonly polled: Record<string, number> = {};
	onJudged: (user: number) => void = () => {};
	private readonly owner = new Map<string, { user: number; acceptedAt: number; polledAt: number }>();
	private sending = 0;
	private readonly api: JudgeApi;

	constructor(private readonly ctx: LoadContext) {
		this.api = ctx.rig.api;
		this.unfinished = ctx.rig.users.map(() => 0);
		ctx.streams.onDone = (id, verdict) => this.done(id, verdict);
	}

	get idle(): boolean {
		return this.sending === 0 && this.owner.size === 0;
	}

	async submit(user: number): Promise<{ id: string; acceptedAt: number } | undefined> {
		const { rig, language, source } = this.ctx;
		this.unfinished[user]++;
		this.sending++;
		try {
			const path = `/api/problems/${rig.problemId}/submissions`;
			const answer = await this.api.request("POST", path, rig.users[user].accessToken, { language, source });
			if (answer.status !== 202) {
				this.fail(user, String(answer.status));
				return undefined;
			}
			const id = (JSON.parse(answer.text) as { id: string }).id;
			const acceptedAt = performance.now();
			this.owner.set(id, { user, acceptedAt, polledAt: acceptedAt });
			// Its verdict frame may have come before the 202's body.
			const seen = this.ctx.streams.seen.get(id);
			if (seen?.doneAt !== undefined) this.done(id, seen.verdict);
			return { id, acceptedAt };
		} catch (err) {
			this.fail(user, (err as Error).message.includes("timed out") ? "timeout" : "error");
			return undefined;
		} finally {
			this.sending--;
		}
	}

	/** Polls the submissions whose verdict frame is overdue; the loads call it every few seconds. */
	async pollOverdue(): Promise<void> {
		const now = performance.now();
		for (const [id, o] of [...this.owner]) {
			if (now - o.polledAt < POLL_AFTER_MS) continue;
			o.polledAt = now;
			const answer = await this.api
				.request("GET", `/api/submissions/${id}`, this.ctx.rig.users[o.user].accessToken)
				.catch(() => undefined);
			const view = answer?.status === 200 ? (JSON.parse(answer.text) as { status: string; verdict: string | null }) : undefined;
			if (view?.status !== "done" || !this.owner.has(id)) continue;
			const verdict = view.verdict ?? "none";
			this.polled[verdict] = (this.polled[verdict] ?? 0) + 1;
			this.done(id, verdict);
		}
	}

	async drain(): Promise<number> {
		const started = performance.now();
		while (!this.idle) {
			if (performance.now() - started > DRAIN_DEADLINE_MS)
				throw new Error(`${this.owner.size} submissions still unjudged ${DRAIN_DEADLINE_MS / 1000} s after the load`);
			await sleep(100);
			await this.pollOverdue();
		}
		return (performance.now() - started) / 1000;
	}

	private fail(user: number, status: string) {
		this.unfinished[user]--;
		this.failures[status] = (this.failures[status] ?? 0) + 1;
	}

	private done(id: string, verdict: string | undefined) {
		const o = this.owner.get(id);
		if (!o) return;
		this.owner.delete(id);
		this.verdicts.set(id, verdict);
		this.unfinished[o.user]--;
		this.onJudged(o.user);
	}
}

/** Every judge node's counters, keyed by node name. */
async function readCounters(rig: JudgeRig): Promise<Map<string, Map<string, number>>> {
	const counts = await Promise.all(rig.judges.map(j => judgedCounts(j.metricsUrl)));
	return new Map(rig.judges.map((j, i) => [j.name, counts[i]]));
}

function cpuSnapshot(rig: JudgeRig) {
	return {
		at: performance.now(),
		runner: process.cpuUsage(),
		machine: machineCpu(),
		trees: new Map([["front", treeCpuSeconds(rig.front.pid)], ...rig.judges.map(j => [j.name, treeCpuSeconds(j.process.pid)] as const)])
	};
}

function cpuBetween(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>): Record<string, number> {
	const s = (b.at - a.at) / 1000;
	const out: Record<string, number> = {};
	for (const [name, after] of b.trees) {
		const before = a.trees.get(name);
		if (after !== undefined && before !== undefined) out[name] = round2((after - before) / s);
	}
	out.runner = round2((b.runner.user + b.runner.system - a.runner.user - a.runner.system) / 1e6 / s);
	const machine = machineCores(a.machine, b.machine);
	if (machine !== null) out.machine = round2(machine);
	return out;
}

/** `count` spread over `users`, at most `max` each. */
function spread(count: number, users: number, max: number): number[] {
	return Array.from({ length: users }, (_, i) => Math.min(max, Math.floor(count / users) + (i < count % users ? 1 : 0)));
}

/** Submits one and waits for its verdict: the first compile of a source is not what the windows measure. */
export async function warmUp(ctx: LoadContext): Promise<string | undefined> {
	const submitter = new Submitter(ctx);
	const sent = await submitter.submit(0);
	if (!sent) throw new Error(`the warm-up submission was refused: ${JSON.stringify(submitter.failures)}`);
	await submitter.drain();
	return submitter.verdicts.get(sent.id);
}

/**
 * `inFlight` submissions kept in flight; after a warm-up (until every judge node has judged a
 * slot's worth of this language, i.e. compiled it, then `warmupS`), verdicts are counted over
 * `windowS` from the nodes' counters while the judge queue's depth is sampled.
 */
export async function saturate(ctx: LoadContext, inFlight: number, warmupS: number, windowS: number): Promise<JudgeSaturated> {
	const { rig, language } = ctx;
	const submitter = new Submitter(ctx);
	const quota = spread(inFlight, rig.users.length, MAX_UNFINISHED);
	let running = true;
	const fill = (user: number) => {
		while (running && submitter.unfinished[user] < quota[user]) {
			void submitter.submit(user).then(sent => {
				// Refused (it should not be): try again a moment later rather than hammer the gateway.
				if (!sent && running) setTimeout(() => fill(user), 200);
			});
		}
	};
	submitter.onJudged = user => {
		if (running) fill(user);
	};
	const polling = setInterval(() => void submitter.pollOverdue(), 2000);
	const began = performance.now();
	try {
		const base = await readCounters(rig);
		quota.forEach((_, user) => fill(user));
		for (;;) {
			const now = await readCounters(rig);
			const warm = rig.judges.every(j => total(judgedBetween(base.get(j.name)!, now.get(j.name)!, language)) >= rig.slots);
			if (warm) break;
			if (performance.now() - began > WARMUP_DEADLINE_MS)
				throw new Error("not every judge node judged its first submissions in time");
			await sleep(250);
		}
		await sleep(warmupS * 1000);
		const warmupDone = performance.now();

		const before = await readCounters(rig);
		const cpuBefore = cpuSnapshot(rig);
		const depths: number[] = [];
		const sample = () =>
			rig
				.queue()
				.then(q => void depths.push(q.messages))
				.catch(() => {});
		const sampling = setInterval(() => void sample(), QUEUE_SAMPLE_MS);
		await sleep(windowS * 1000);
		clearInterval(sampling);
		const cpuAfter = cpuSnapshot(rig);
		const after = await readCounters(rig);
		const seconds = (cpuAfter.at - cpuBefore.at) / 1000;

		running = false;
		const drainS = await submitter.drain();
		const perNode: Record<string, number> = {};
		const verdicts: Record<string, number> = {};
		for (const j of rig.judges) {
			const d = judgedBetween(before.get(j.name)!, after.get(j.name)!, language);
			perNode[j.name] = round2(total(d) / seconds);
			for (const [v, n] of Object.entries(d)) verdicts[v] = (verdicts[v] ?? 0) + n;
		}
		const sorted = [...depths].sort((a, b) => a - b);
		const judgedPerSec = total(verdicts) / seconds;
		const cores = cpuBetween(cpuBefore, cpuAfter);
		const perSubmission = (c: number) => (judgedPerSec > 0 ? round2((c / judgedPerSec) * 1000) : null);
		return {
			judgedPerSec: round2(judgedPerSec),
			perNode,
			verdicts,
			windowS: round2(seconds),
			warmupS: round2((warmupDone - began) / 1000),
			inFlight: quota.reduce((a, b) => a + b, 0),
			queue: {
				samples: sorted.length,
				min: sorted[0] ?? NaN,
				median: sorted[sorted.length >> 1] ?? NaN,
				emptyShare: round2(sorted.filter(d => d === 0).length / (sorted.length || 1))
			},
			cpuCores: cores,
			judgeCpuMs: perSubmission(rig.judges.reduce((sum, j) => sum + (cores[j.name] ?? NaN), 0)),
			frontCpuMs: perSubmission(cores.front ?? NaN),
			failures: submitter.failures,
			polled: submitter.polled,
			drainS: round2(drainS)
		};
	} finally {
		running = false;
		clearInterval(polling);
	}
}

/** The open loop at `rate` submissions per second for `windowS`, each sent for the next user under the cap. */
export async function halfRate(ctx: LoadContext, rate: number, windowS: number): Promise<JudgeHalfRate> {
	const { rig, streams } = ctx;
	const submitter = new Submitter(ctx);
	const due = Math.max(1, Math.floor(rate * windowS));
	const sent: { dueAt: number; id?: string; acceptedAt?: number }[] = [];
	let capped = 0;
	let turn = 0;
	const polling = setInterval(() => void submitter.pollOverdue(), 2000);
	try {
		const start = performance.now();
		const dueAt = (k: number) => start + (k * 1000) / rate;
		for (let k = 0; k < due; k++) {
			const wait = dueAt(k) - performance.now();
			if (wait > 0) await sleep(wait);
			const users = rig.users.length;
			let user = -1;
			for (let i = 0; i < users && user < 0; i++)
				if (submitter.unfinished[(turn + i) % users] < MAX_UNFINISHED) user = (turn + i) % users;
			if (user < 0) {
				capped++;
				continue;
			}
			turn = user + 1;
			const record: (typeof sent)[number] = { dueAt: dueAt(k) };
			sent.push(record);
			void submitter.submit(user).then(s => Object.assign(record, s));
		}
		await submitter.drain();
	} finally {
		clearInterval(polling);
	}
	const accepted = sent.filter(s => s.id !== undefined);
	const timed = accepted.flatMap(s => {
		const seen = streams.seen.get(s.id!);
		return seen?.doneAt !== undefined ? [{ ...s, seen }] : [];
	});
	const verdicts: Record<string, number> = {};
	for (const s of accepted) {
		const v = submitter.verdicts.get(s.id!) ?? "unknown";
		verdicts[v] = (verdicts[v] ?? 0) + 1;
	}
	return {
		offeredPerSec: round2(rate),
		windowS,
		submitted: accepted.length,
		judged: accepted.filter(s => submitter.verdicts.has(s.id!)).length,
		capped,
		failures: submitter.failures,
		queueWaitMs: summarizeLatencies(timed.map(s => s.seen.firstAt - s.acceptedAt!)),
		verdictMs: summarizeLatencies(timed.map(s => s.seen.doneAt! - s.acceptedAt!)),
		acceptMs: summarizeLatencies(accepted.map(s => s.acceptedAt! - s.dueAt)),
		untimed: accepted.length - timed.length,
		verdicts
	};
}
