import type { ServiceBroker } from "moleculer";
import { type ActionSpec, typedCall } from "../../lib/contracts";
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

/** Metrics as `$node.metrics` lists them (moleculer/src/metrics/registry.js `list`), the fields read here. */
export interface ListedMetric {
	name: string;
	values: MetricValue[];
}

/**
 * Moleculer's own `$node` actions the REPL calls (moleculer/src/internals.js), as a contract like
 * the services' ones (each filter takes a name or a list; names may end in `*`).
 */
export interface NodeActions {
	"$node.metrics": ActionSpec<{ types?: string | string[]; includes?: string | string[]; excludes?: string | string[] }, ListedMetric[]>;
}

const callNode = typedCall<NodeActions>();

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
				const list = await callNode(broker, "$node.metrics", { includes }, { nodeID: id, timeout: CALL_TIMEOUT_MS });
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
