/**
 * Issue 18's targets, each a ratio of two rows measured in the same run: the gateway against stock
 * moleculer-web, and against raw node:http answering the same bytes.
 */
import type { ScenarioId, TopologyId } from "./model";
import type { SummaryRow } from "./report";

interface Target {
	what: string;
	measured: [ScenarioId, TopologyId];
	against: [ScenarioId, TopologyId];
	atLeast: number;
}

const TARGETS: Target[] = [
	{
		what: "/health/live over stock moleculer-web (local action)",
		measured: ["health", "one-process"],
		against: ["stock", "stock"],
		atLeast: 1.0
	},
	{
		what: "cached user read over stock moleculer-web (cached action)",
		measured: ["read", "one-process"],
		against: ["stock-cached", "stock"],
		atLeast: 0.9
	},
	{
		what: "anonymous post read (gateway copy) over raw http, same bytes",
		measured: ["post-read", "one-process"],
		against: ["raw-post-read", "baseline"],
		atLeast: 0.8
	},
	{ what: "two-node cached user read over one process", measured: ["read", "two-node"], against: ["read", "one-process"], atLeast: 0.9 }
];

export function renderGatewayTargets(rows: SummaryRow[]): string[] {
	const reqPerSec = ([scenario, topology]: [ScenarioId, TopologyId]) =>
		rows.find(r => r.scenario === scenario && r.topology === topology)?.reqPerSec;
	const lines = TARGETS.flatMap(t => {
		const [measured, against] = [reqPerSec(t.measured), reqPerSec(t.against)];
		if (!measured || !against) return [];
		const ratio = measured / against;
		return [`  ${t.what}: ${ratio.toFixed(2)} (target ≥ ${t.atLeast}: ${ratio >= t.atLeast ? "met" : "NOT met"})`];
	});
	return lines.length ? ["", "Gateway targets (medians of the same run):", ...lines] : [];
}
