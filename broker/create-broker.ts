import { ServiceBroker } from "moleculer";
import type { Config } from "../config";
import { brokerOptions } from "../moleculer.config";
import { SERVICE_FACTORIES } from "../services";
import { assertPortFree } from "../lib/ports";

/** A broker with this node's services (config.services), after checking the ports it will bind. */
export async function createBroker(c: Config): Promise<ServiceBroker> {
	if (c.metrics.enabled) await assertPortFree(c.metrics.port, c.http.host, "The metrics", "METRICS_PORT");
	if (c.services.includes("gateway")) await assertPortFree(c.http.port, c.http.host, "The gateway", "PORT");
	else await assertPortFree(c.http.healthPort, c.http.host, "The health server", "HEALTH_PORT");

	const broker = new ServiceBroker(brokerOptions(c));
	for (const name of c.services) broker.createService(SERVICE_FACTORIES[name](c));
	return broker;
}
