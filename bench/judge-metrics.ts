/**
 * What the judge scenario reads beside the load: the judge nodes' verdict counters (Prometheus),
 * and the CPU of a process with all its descendants (a judge node runs JavaScript in child
 * processes and Python in bubblewrap sandboxes: its own /proc figures would miss them).
 */
import fs from "node:fs";

const JUDGED = "codelearn_judge_submissions_total";
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** A node's codelearn_judge_submissions_total samples, keyed `language verdict`. */
export async function judgedCounts(metricsUrl: string): Promise<Map<string, number>> {
	const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
	const text = await res.text();
	if (res.status !== 200) throw new Error(`${metricsUrl} answered ${res.status}`);
	const counts = new Map<string, number>();
	for (const line of text.split("\n")) {
		if (!line.startsWith(`${JUDGED}{`)) continue;
		const close = line.lastIndexOf("}");
		const labels = Object.fromEntries([...line.slice(JUDGED.length + 1, close).matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]));
		const value = Number(
			line
				.slice(close + 1)
				.trim()
				.split(/\s+/)[0]
		);
		if (Number.isFinite(value)) counts.set(`${labels.language} ${labels.verdict}`, value);
	}
	return counts;
}

/** Verdicts of one language between two readings of one node, by verdict. */
export function judgedBetween(before: Map<string, number>, after: Map<string, number>, language: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [key, n] of after) {
		const [lang, verdict] = key.split(" ");
		const d = n - (before.get(key) ?? 0);
		if (lang === language && d > 0) out[verdict] = d;
	}
	return out;
}

export const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * CPU seconds of a process and its descendants: the live ones from their /proc stat, the ended
 * ones through their parents' cutime and cstime (a child's time moves there once it is reaped).
 */
export function treeCpuSeconds(root: number): number | undefined {
	const stats = new Map<number, { ppid: number; ticks: number }>();
	for (const name of fs.readdirSync("/proc")) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
			// After the command: state, ppid, ... utime (14), stime, cutime, cstime (17), 1-based.
			const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
		} catch {
			// It ended while we looked.
		}
	}
	if (!stats.has(root)) return undefined;
	const children = new Map<number, number[]>();
	for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
	let ticks = 0;
	const stack = [root];
	while (stack.length) {
		const pid = stack.pop()!;
		ticks += stats.get(pid)?.ticks ?? 0;
		stack.push(...(children.get(pid) ?? []));
	}
	return ticks / CLOCK_TICKS;
}
