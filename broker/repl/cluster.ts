import type { ServiceBroker } from "moleculer";
import { columns, guarded, print, type ReplCommand } from "./command";
import { clusterMetrics, unreadNodes } from "./node-metrics";

const OPEN = "moleculer.circuit-breaker.opened.active";
const HALF_OPEN = "moleculer.circuit-breaker.half-opened.active";

/** One line per endpoint whose breaker is not closed, as seen by the node that calls it. */
interface Breaker {
	caller: string;
	endpoint: string;
	action: string;
	state: "OPEN" | "HALF-OPEN";
}

/** This node's own breakers, from the breaker middleware's store (it has no metrics of its own; states as in moleculer/src/constants.js). */
function localBreakers(broker: ServiceBroker): Breaker[] {
	const store = (
		broker as unknown as { CircuitBreakerStore?: Map<string, { state: string; ep: { id: string; action: { name: string } } }> }
	).CircuitBreakerStore;
	return [...(store?.values() ?? [])]
		.filter(item => item.state !== "close")
		.map(item => ({
			caller: broker.nodeID,
			endpoint: item.ep.id,
			action: item.ep.action.name,
			state: item.state === "open" ? "OPEN" : "HALF-OPEN"
		}));
}

/** Nodes, their services, availability and CPU; then every breaker that is open or half-open. */
export const clusterCommand: ReplCommand = {
	command: "cluster",
	description: "Cluster health: nodes, their services, availability, CPU, and open circuit breakers",
	action: guarded(async broker => {
		const nodes = broker.registry.getNodeList({ onlyAvailable: false, withServices: true }).sort((a, b) => a.id.localeCompare(b.id));
		const rows = nodes.map(node => [
			node.id + (node.id === broker.nodeID ? " (this REPL)" : ""),
			node.available ? "up" : "DOWN",
			node.cpu == null ? "?" : `${Math.round(node.cpu)}%`,
			node.services
				.map(s => String(s.name))
				.filter(name => !name.startsWith("$"))
				.sort()
				.join(", ") || "-"
		]);
		print(`Nodes: ${nodes.length} (${nodes.filter(n => n.available).length} up)`);
		print(columns([["Node", "State", "CPU", "Services"], ...rows]));

		const results = await clusterMetrics(broker, [OPEN, HALF_OPEN]);
		const breakers: Breaker[] = results.flatMap(({ nodeID, metrics }) =>
			[OPEN, HALF_OPEN].flatMap(name =>
				(metrics.get(name) ?? [])
					.filter(v => v.value > 0)
					.map(
						v =>
							({
								caller: nodeID,
								endpoint: v.labels.affectedNodeID,
								action: v.labels.action,
								state: name === OPEN ? "OPEN" : "HALF-OPEN"
							}) as Breaker
					)
			)
		);
		if (!results.some(r => r.nodeID === broker.nodeID)) breakers.push(...localBreakers(broker));
		print("Circuit breakers (open or half-open, per calling node):");
		print(
			breakers.length
				? columns([["Caller", "Endpoint node", "Action", "State"], ...breakers.map(b => [b.caller, b.endpoint, b.action, b.state])])
				: "  none: every breaker is closed"
		);
		const unread = unreadNodes(results);
		if (unread) print(unread);
	})
};
