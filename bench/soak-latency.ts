/**
 * The soak's latency and failure figures: by kind over the whole run, in a window around each
 * kill (requests due from a second before it to a few after: those a dying node held, those sent
 * while the gateway still routed to it, and the restart's CPU), and between kills. First attempts
 * only: what one request costs a client; a keyed write's retries are counted apart.
 */
import { latencySummary } from "./stats";
import type { KillEvent } from "./soak-chaos";
import { KEYED } from "./soak-mix";
import { SOAK_KINDS, type SoakKill, type SoakKindStats, type SoakOutcome, type SoakWindow } from "./soak-types";

/** The window around a kill, seconds before and after it. */
export const WINDOW_BEFORE_S = 1;
export const WINDOW_AFTER_S = 5;

const ok = (status: number) => status >= 200 && status < 300;
const sortedMs = (values: number[]) => [...values].sort((a, b) => a - b);

export function windowOf(outcomes: SoakOutcome[]): SoakWindow {
	const latency = outcomes.length ? latencySummary(sortedMs(outcomes.map(o => o.firstMs))) : undefined;
	const failedByKind: SoakWindow["failedByKind"] = {};
	for (const o of outcomes) if (!ok(o.firstStatus)) failedByKind[o.kind] = (failedByKind[o.kind] ?? 0) + 1;
	return {
		requests: outcomes.length,
		failed: Object.values(failedByKind).reduce((sum, n) => sum + n, 0),
		failedByKind,
		p50Ms: latency?.p50 ?? null,
		p99Ms: latency?.p99 ?? null,
		maxMs: latency?.max ?? null
	};
}

const inWindow = (o: SoakOutcome, kill: KillEvent) => o.at >= kill.at - WINDOW_BEFORE_S * 1000 && o.at < kill.at + WINDOW_AFTER_S * 1000;

/** Each kill with the figures of its window; `origin` is when the load began. */
export function killsWithWindows(outcomes: SoakOutcome[], kills: KillEvent[], origin: number): SoakKill[] {
	return kills.map(kill => ({
		atS: Math.round((kill.at - origin) / 100) / 10,
		group: kill.group,
		node: kill.node,
		pid: kill.pid,
		lateS: Math.round(kill.lateMs / 100) / 10,
		restartReadyS: kill.readyMs === null ? null : Math.round(kill.readyMs / 100) / 10,
		window: windowOf(outcomes.filter(o => inWindow(o, kill)))
	}));
}

export function betweenKills(outcomes: SoakOutcome[], kills: KillEvent[]): SoakWindow {
	return windowOf(outcomes.filter(o => !kills.some(kill => inWindow(o, kill))));
}

export function kindStats(outcomes: SoakOutcome[]): SoakKindStats[] {
	return SOAK_KINDS.flatMap(kind => {
		const mine = outcomes.filter(o => o.kind === kind);
		if (!mine.length) return [];
		const failedByStatus: Record<string, number> = {};
		for (const o of mine) if (!ok(o.firstStatus)) failedByStatus[o.firstStatus] = (failedByStatus[o.firstStatus] ?? 0) + 1;
		const w = windowOf(mine);
		const stats: SoakKindStats = {
			kind,
			sent: mine.length,
			ok: mine.filter(o => ok(o.firstStatus)).length,
			failedByStatus,
			p50Ms: w.p50Ms,
			p99Ms: w.p99Ms
		};
		if (!KEYED.has(kind)) return [stats];
		const retried = mine.filter(o => o.attempts > 1);
		const recovered = retried.filter(o => ok(o.finalStatus));
		return [
			{
				...stats,
				retried: retried.length,
				eventuallyOk: mine.filter(o => ok(o.finalStatus)).length,
				neverOk: mine.filter(o => !ok(o.finalStatus)).length,
				retriedToSuccessP99Ms: recovered.length ? latencySummary(sortedMs(recovered.map(o => o.finalMs))).p99 : null
			}
		];
	});
}
