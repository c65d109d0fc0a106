import type { ServiceBroker } from "moleculer";

type MetricType = "counter" | "gauge" | "histogram";

/** Registers a metric once per broker (several services may ask) and returns its name. */
export function ensureMetric(
	broker: ServiceBroker,
	name: string,
	type: MetricType,
	description: string,
	labelNames: string[],
	extra: Record<string, unknown> = {}
): string {
	if (broker.isMetricsEnabled() && !broker.metrics.getMetric(name)) {
		broker.metrics.register({ name, type, description, labelNames, ...extra } as Parameters<ServiceBroker["metrics"]["register"]>[0]);
	}
	return name;
}

/** Latency buckets in seconds, from 5 ms to 30 s. */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
