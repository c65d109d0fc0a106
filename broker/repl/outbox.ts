import { columns, guarded, print, type ReplCommand } from "./command";
import { clusterMetrics, type NodeMetrics, unreadNodes } from "./node-metrics";

const OUTBOX = ["codelearn.outbox.backlog", "codelearn.outbox.published.total", "codelearn.outbox.publish.failures.total"];
const INBOX = ["codelearn.events.consumed.total", "codelearn.events.retries.total", "codelearn.events.dead_letters.total"];

/**
 * Per service label: the largest value any node reports (`max`: replicas count the same table),
 * or the sum over nodes (`sum`: each node counts its own work), and which nodes report it.
 */
function byService(results: NodeMetrics[], names: string[], combine: ("max" | "sum")[]) {
	const services = new Map<string, { values: number[]; nodes: Set<string> }>();
	for (const { nodeID, metrics } of results) {
		names.forEach((name, i) => {
			for (const { labels, value } of metrics.get(name) ?? []) {
				const entry = services.get(labels.service) ?? { values: names.map(() => 0), nodes: new Set<string>() };
				entry.values[i] = combine[i] === "max" ? Math.max(entry.values[i], value) : entry.values[i] + value;
				entry.nodes.add(nodeID);
				services.set(labels.service, entry);
			}
		});
	}
	return [...services.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([service, { values, nodes }]) => [service, ...values.map(String), [...nodes].sort().join(", ")]);
}

/** The outbox backlog per producing service, and the consumers' counters, from every node's metrics. */
export const outboxCommand: ReplCommand = {
	command: "outbox",
	description: "Outbox backlog per producing service, and event consumers' retries and dead letters",
	action: guarded(async broker => {
		const results = await clusterMetrics(broker, [...OUTBOX, ...INBOX]);
		const producers = byService(results, OUTBOX, ["max", "sum", "sum"]);
		print("Outbox (backlog: rows not yet published, as of each relay's last check, every 5 s at most):");
		print(
			producers.length
				? columns([["Service", "Backlog", "Published", "Publish failures", "Nodes"], ...producers])
				: "  no node reports an outbox (no producing service is up, or its metrics are disabled)"
		);
		const consumers = byService(results, INBOX, ["sum", "sum", "sum"]);
		print("Event consumers (counters since each node started; list dead letters with `dead-letters <service>`):");
		print(
			consumers.length
				? columns([["Service", "Consumed", "Retries", "Dead letters", "Nodes"], ...consumers])
				: "  no node reports an event consumer"
		);
		const unread = unreadNodes(results);
		if (unread) print(unread);
	})
};
