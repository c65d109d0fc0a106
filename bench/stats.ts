/** Figures from samples: percentiles, rounding, a measured run's latency summary. */
import type { Measurement } from "./model";

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** A measurement's latency figures, in ms, from its latencies sorted ascending. */
export function latencySummary(sorted: number[]): Measurement["latencyMs"] {
	return {
		p50: round2(percentile(sorted, 50)),
		p90: round2(percentile(sorted, 90)),
		p99: round2(percentile(sorted, 99)),
		mean: round2(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
		max: round2(sorted.at(-1) ?? NaN)
	};
}
