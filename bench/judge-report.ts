/** The judge scenario's part of the report: one line per language, then what each run saw. */
import type { JudgeResult, JudgeRun } from "./judge-types";

const rate = (n: number | null) => (n === null || !Number.isFinite(n) ? "n/a" : n >= 100 ? String(Math.round(n)) : n.toFixed(1));
const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "n/a" : n >= 100 ? String(Math.round(n)) : n.toFixed(1));
const pair = (p: { p50Ms: number; p99Ms: number } | null) => (p ? `${ms(p.p50Ms)} / ${ms(p.p99Ms)}` : "n/a");
const met = (b: boolean | null) => (b === null ? "n/a" : b ? "met" : "NOT met");

function table(header: string[], body: string[][]): string[] {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
			.join("  ")
			.trimEnd();
	return [line(header), widths.map(w => "-".repeat(w)).join("  "), ...body.map(line)];
}

function runLine(r: JudgeRun): string {
	const head = `  ${r.language} × ${r.nodes} node${r.nodes > 1 ? "s" : ""}: `;
	if (r.error && !r.saturated) return `${head}failed: ${r.error}`;
	const s = r.saturated!;
	const h = r.half;
	return (
		`${head}${rate(s.judgedPerSec)}/s (${Object.entries(s.perNode)
			.map(([n, v]) => `${n} ${rate(v)}`)
			.join(", ")}) over ${s.windowS} s after ${s.warmupS} s of warm-up, ${s.inFlight} in flight; ` +
		`queue depth min ${s.queue.min}, median ${s.queue.median} (${s.queue.samples} samples); verdicts ${JSON.stringify(s.verdicts)}; ` +
		`CPU cores ${Object.entries(s.cpuCores)
			.map(([n, c]) => `${n} ${c.toFixed(2)}`)
			.join(", ")}; CPU ms per submission: judge ${ms(s.judgeCpuMs ?? undefined)}, front ${ms(s.frontCpuMs ?? undefined)}` +
		(Object.keys(s.failures).length ? `; refused ${JSON.stringify(s.failures)}` : "") +
		(Object.keys(s.polled).length ? `; verdicts without a frame, found by polling ${JSON.stringify(s.polled)}` : "") +
		(h
			? `\n    at ${rate(h.offeredPerSec)}/s: ${h.judged}/${h.submitted} judged, queue wait ${h.queueWaitMs ? `${ms(h.queueWaitMs.p50)} / ${ms(h.queueWaitMs.p99)}` : "n/a"}, ` +
				`to verdict ${h.verdictMs ? `${ms(h.verdictMs.p50)} / ${ms(h.verdictMs.p99)}` : "n/a"}, due → 202 ${h.acceptMs ? `${ms(h.acceptMs.p50)} / ${ms(h.acceptMs.p99)}` : "n/a"} ms (p50 / p99)` +
				(h.capped ? `; ${h.capped} not sent (every user at the cap)` : "") +
				(h.untimed ? `; ${h.untimed} without frames` : "") +
				(Object.keys(h.failures).length ? `; refused ${JSON.stringify(h.failures)}` : "")
			: "") +
		(r.error ? `\n    failed: ${r.error}` : "")
	);
}

export function renderJudge(j: JudgeResult): string[] {
	const body = j.rows.map(r => [
		r.language,
		rate(r.oneNodePerSec),
		rate(r.twoNodePerSec),
		r.ratio === null ? "n/a" : r.ratio.toFixed(2),
		r.targetPerSec === null ? "—" : `≥ ${r.targetPerSec}: ${met(r.targetMet)}`,
		met(r.scaleMet),
		pair(r.queueWaitOneNode),
		pair(r.verdictOneNode),
		pair(r.queueWaitTwoNodes),
		ms(r.judgeCpuMsOneNode ?? undefined),
		String(r.otherVerdicts)
	]);
	return [
		`Judge: A+B with ${j.tests} tests; a front node (gateway, users, problems) and 1, then 2 judge nodes of ${j.slots} slots over AMQP, Redis;`,
		`${j.users} users, at most 5 unfinished submissions each; windows of ${j.windowS} s; ${j.seconds} s in all.`,
		"",
		...table(
			[
				"Language",
				"1 node /s",
				"2 nodes /s",
				"2 / 1",
				"target, 1 node",
				`2 / 1 ≥ ${j.scaleTarget}`,
				"queue wait ms, 1 node",
				"to verdict ms, 1 node",
				"queue wait ms, 2 nodes",
				"judge CPU ms/sub",
				"non-AC"
			],
			body
		),
		"",
		"Judged/s: verdicts counted by the judge nodes' codelearn_judge_submissions_total over the window, the queue kept full (closed loops).",
		"Queue wait and to verdict (p50 / p99): an open loop at half that rate; from the 202 to the first progress frame on the submitter's",
		"notification stream (status leaving queued), and to the verdict frame. C and C++ submit the same source every time: the judge",
		"caches compiled programs by source hash, so their rates exclude compiles (each node compiled once, during its warm-up).",
		"Judge CPU ms/sub: the judge node's CPU (its sandboxes' processes included) per judged submission, one node saturated: what a",
		"judged submission costs whatever share of the machine the judge got. non-AC: verdicts other than AC in the language's runs",
		"(IE: the judge failed, e.g. its sandbox); where not 0, that row measured a failing judge, not its steady state.",
		...(j.unavailable.length ? [`Unavailable here: ${j.unavailable.map(u => `${u.language} (${u.reason})`).join("; ")}.`] : []),
		...j.runs.map(runLine)
	];
}
