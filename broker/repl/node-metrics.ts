import type { ServiceBroker } from "moleculer";
import { describeError } from "./command";

export interface MetricValue {
	labels: Record<string, string>;
	value: number;
}

export interface NodeMetrics {
	nodeID: string;
	/** By metric name (Moleculer's dotted names); empty when `error` is set. */
	metrics: Map<string, MetricValue[]>;
	error?: string;
}

const CALL_TIMEOUT_MS = 3000;

/**
 * Metrics live in each node's own registry, not in the cluster: this asks every available node
 * (`$node.metrics` on that nodeID) for the metrics matching `includes`. A node with metrics
 * disabled, or that does not answer in time, comes back with `error`.
 */
export async function clusterMetrics(broker: ServiceBroker, includes: string[]): Promise<NodeMetrics[]> {
	const nodes = broker.registry
		.getNodeList({ onlyAvailable: true, withServices: false })
		// This REPL node has no metrics of its own, unless it is the one-process node itself.
		.filter(node => !(node.id === broker.nodeID && !broker.isMetricsEnabled()));
	return Promise.all(
		nodes.map(async ({ id }): Promise<NodeMetrics> => {
			try {
				const list = await broker.call<{ name: string; values: MetricValue[] }[], { includes: string[] }>(
					"$node.metrics",
					{ includes },
					{ nodeID: id, timeout: CALL_TIMEOUT_MS }
				);
				return { nodeID: id, metrics: new Map(list.map(m => [m.name, m.values])) };
			} catch (err) {
				return { nodeID: id, metrics: new Map(), error: describeError(err) };
			}
		})
	);
}

/** The nodes whose metrics could not be read, as one line (or nothing). */
export function unreadNodes(results: NodeMetrics[]): string | undefined {
	const failed = results.filter(r => r.error);
	return failed.length ? `Metrics not read from: ${failed.map(r => `${r.nodeID} (${r.error})`).join(", ")}` : undefined;
}
