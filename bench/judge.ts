/**
 * The judge scenario (`--scenarios judge`, opt-in: it takes minutes): judged submissions per
 * second of a trivial problem (A+B, 10 tests) per language on one judge node, then on two, each
 * saturated; and at half each saturated rate, how long a submission waits in the queue and for
 * its verdict. It runs once, on its own topology (judge-topology.ts), after the rounds.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { LanguageId } from "../services/judge/judge.contract";
import { halfRate, type LoadContext, MAX_UNFINISHED, saturate, warmUp } from "./judge-load";
import { ProgressStreams } from "./judge-client";
import { startJudgeTopology, type JudgeRig } from "./judge-topology";
import type { JudgeResult, JudgeRow, JudgeRun } from "./judge-types";
import type { BenchOptions } from "./options";
import { waitQuiet } from "./processes";

/** Judging slots per node (JUDGE_SLOTS): 2, or the cores if fewer. */
const SLOTS = Math.min(2, os.availableParallelism());
/** Submitters: 40 × 5 unfinished each is the most the loads can keep in flight. */
const USERS = 40;
const TESTS = 10;
/** The targets, judged submissions per second per node (none given for C++). */
const TARGETS: Record<LanguageId, number | null> = { javascript: 100, c: 50, cpp: null, python: 20 };
/** Two nodes against one. */
const SCALE_TARGET = 1.8;
/**
 * Submissions in flight per node while saturated: enough that the queue stays full across the
 * client's own round trip (verdict frame → next 202 → RabbitMQ), about a second of the target
 * rate (the queue's depth is sampled to show it); few enough that draining after the window
 * stays short (Python judges a few a second here, C++ counts as C).
 */
const IN_FLIGHT_PER_NODE: Record<LanguageId, number> = { javascript: 100, c: 50, cpp: 50, python: 10 };
/** Half the saturated rate: a judge that keeps up, where the queue wait is the pipeline's, not a backlog. */
const HALF = 0.5;
/** Longest wait for the topology's processes to go quiet between runs (the machine is shared). */
const SETTLE_S = 20;

/** A+B in each language (test/integration/judge-api.test.ts's programs); the same source every time, so C and C++ compile once per node. */
const A_PLUS_B: Record<LanguageId, string> = {
	javascript: `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`,
	c: `#include <stdio.h>\nint main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); return 0; }\n`,
	cpp: `#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n`,
	python: `a, b = map(int, input().split())\nprint(a + b)\n`
};

function problem(): Record<string, unknown> {
	const tests = Array.from({ length: TESTS }, (_, i) => {
		const [a, b] = i === 0 ? [1, 2] : [(i * 7919) % 100_000, -((i * 104_729) % 1_000_000)];
		return { input: `${a} ${b}\n`, output: `${a + b}\n`, ...(i === 0 ? { sample: true } : {}) };
	});
	return {
		title: "A plus B (bench)",
		statement: "Read two integers and print their **sum**.",
		timeLimitMs: 1000,
		memoryLimitMb: 64,
		difficulty: "easy",
		tests
	};
}

const settle = (rig: JudgeRig) =>
	waitQuiet(
		rig.processes().map(p => p.pid),
		SETTLE_S
	);

async function runLanguage(rig: JudgeRig, ctx: LoadContext, nodes: number, options: BenchOptions, log: (line: string) => void) {
	const run: JudgeRun = { language: ctx.language, nodes, saturated: null, half: null };
	try {
		await settle(rig);
		if (nodes === 1) {
			const verdict = await warmUp(ctx);
			if (verdict !== "AC")
				throw new Error(
					`the warm-up submission's verdict is ${verdict}, not AC (see ${rig.judges.map(j => j.process.logFile).join(", ")})`
				);
		}
		const inFlight = Math.min(rig.users.length * MAX_UNFINISHED, IN_FLIGHT_PER_NODE[ctx.language] * nodes);
		run.saturated = await saturate(ctx, inFlight, options.warmup, options.judgeDuration);
		const s = run.saturated;
		log(
			`  judge ${ctx.language} × ${nodes} node(s): ${s.judgedPerSec} judged/s saturated (${JSON.stringify(s.perNode)}; ${s.inFlight} in flight, ` +
				`queue depth min ${s.queue.min}, median ${s.queue.median}; verdicts ${JSON.stringify(s.verdicts)}; CPU ${JSON.stringify(s.cpuCores)}; ` +
				`judge CPU ${s.judgeCpuMs} ms per submission)`
		);
		if (s.judgedPerSec <= 0) return run;
		await settle(rig);
		run.half = await halfRate(ctx, s.judgedPerSec * HALF, options.judgeDuration);
		const h = run.half;
		const p = (l: typeof h.queueWaitMs) => (l ? `p50 ${l.p50} ms, p99 ${l.p99} ms` : "n/a");
		log(
			`  judge ${ctx.language} × ${nodes} node(s) at ${h.offeredPerSec}/s: queue wait ${p(h.queueWaitMs)}; to verdict ${p(h.verdictMs)} ` +
				`(${h.judged}/${h.submitted} judged, ${h.capped} capped, ${h.untimed} untimed; verdicts ${JSON.stringify(h.verdicts)})`
		);
	} catch (err) {
		run.error = (err as Error).message;
		log(`  judge ${ctx.language} × ${nodes} node(s) failed: ${run.error}`);
	}
	return run;
}

const notAc = (verdicts: Record<string, number> | undefined) =>
	Object.entries(verdicts ?? {}).reduce((sum, [v, n]) => sum + (v === "AC" ? 0 : n), 0);
const otherThanAc = (r: JudgeRun) => notAc(r.saturated?.verdicts) + notAc(r.saturated?.polled) + notAc(r.half?.verdicts);

function rows(runs: JudgeRun[], languages: LanguageId[]): JudgeRow[] {
	return languages.map(language => {
		const at = (nodes: number) => runs.find(r => r.language === language && r.nodes === nodes);
		const one = at(1)?.saturated?.judgedPerSec ?? null;
		const two = at(2)?.saturated?.judgedPerSec ?? null;
		const ratio = one && two !== null ? Math.round((two / one) * 100) / 100 : null;
		const target = TARGETS[language];
		const pair = (l: { p50: number; p99: number } | null | undefined) => (l ? { p50Ms: l.p50, p99Ms: l.p99 } : null);
		return {
			language,
			oneNodePerSec: one,
			twoNodePerSec: two,
			ratio,
			targetPerSec: target,
			targetMet: target === null || one === null ? null : one >= target,
			scaleMet: ratio === null ? null : ratio >= SCALE_TARGET,
			queueWaitOneNode: pair(at(1)?.half?.queueWaitMs),
			queueWaitTwoNodes: pair(at(2)?.half?.queueWaitMs),
			verdictOneNode: pair(at(1)?.half?.verdictMs),
			judgeCpuMsOneNode: at(1)?.saturated?.judgeCpuMs ?? null,
			otherVerdicts: runs.filter(r => r.language === language).reduce((sum, r) => sum + otherThanAc(r), 0)
		};
	});
}

export async function runJudge(options: BenchOptions, log: (line: string) => void): Promise<JudgeResult> {
	const started = performance.now();
	const startedAt = new Date().toISOString();
	const rig = await startJudgeTopology(options, { slots: SLOTS, users: USERS, problem: problem() });
	log(
		`judge: front node pid ${rig.front.pid}, judge-1 pid ${rig.judges[0].process.pid}; ${rig.users.length} users; problem ${rig.problemId}`
	);
	const unavailable = rig.languages
		.filter(l => !l.available && options.judgeLanguages.includes(l.id as LanguageId))
		.map(l => ({ language: l.id as LanguageId, reason: l.reason ?? "unavailable" }));
	for (const u of unavailable) log(`  judge: ${u.language} unavailable on this host: ${u.reason}`);
	const languages = options.judgeLanguages.filter(id => !unavailable.some(u => u.language === id));
	const streams = new ProgressStreams(rig.api);
	const runs: JudgeRun[] = [];
	try {
		await streams.connect(rig.users.map(u => u.accessToken));
		for (const nodes of [1, 2]) {
			if (rig.judges.length < nodes) {
				const node = await rig.addJudge();
				log(`judge: ${node.name} (pid ${node.process.pid}) started and consuming`);
				// Its sandboxes' probes just ran: let the machine settle.
				await sleep(1000);
			}
			for (const language of languages) {
				runs.push(await runLanguage(rig, { rig, streams, language, source: A_PLUS_B[language] }, nodes, options, log));
			}
		}
	} finally {
		streams.close();
	}
	return {
		startedAt,
		seconds: Math.round((performance.now() - started) / 1000),
		slots: rig.slots,
		users: rig.users.length,
		tests: TESTS,
		windowS: options.judgeDuration,
		scaleTarget: SCALE_TARGET,
		unavailable,
		runs,
		rows: rows(runs, languages)
	};
}
