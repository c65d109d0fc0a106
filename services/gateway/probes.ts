import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import { sendJson } from "../../lib/send-response";
import { healthResponse } from "../../middlewares/health.middleware";
import { requestIdOf } from "./request-id";

const PROBES = new Set(["/health/live", "/health/ready"]);

/**
 * Answers Kubernetes' probes before moleculer-web: a probe must not depend on the API's pipeline
 * (an action call with its middlewares per request), and a liveness check every few seconds
 * from every kubelet should cost what a bare HTTP answer costs. Whether it answered.
 */
export function answeredAsProbe(broker: ServiceBroker, req: IncomingMessage, res: ServerResponse): boolean {
	if (req.method !== "GET") return false;
	const path = req.url!.split("?", 1)[0];
	if (!PROBES.has(path)) return false;
	res.setHeader("X-Request-ID", requestIdOf(req));
	void healthResponse(broker, path).then(({ status, body }) => sendJson(res, status, body));
	return true;
}
