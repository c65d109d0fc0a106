import http from "node:http";
import type { Middleware, ServiceBroker } from "moleculer";
import type { Config } from "../config";
import { checkReadiness } from "../lib/health";
import { sendJson } from "../lib/send-response";

/** Brokers that are shutting down: no longer ready, so that traffic drains before they leave. */
const stopping = new WeakSet<ServiceBroker>();

/**
 * The probes' answers. Anyone may ask, so readiness says which check is down in a fixed word
 * (`lib/health.ts` logs the reason) and nothing more.
 */
export async function healthResponse(broker: ServiceBroker, path: string) {
	if (path === "/health/live") return { status: 200, body: { status: "ok" } };
	const { ready, checks } = await checkReadiness(broker, stopping.has(broker));
	return { status: ready ? 200 : 503, body: { status: ready ? "ok" : "unavailable", ready, checks } };
}

/**
 * Every node answers `/health/live` and `/health/ready` for Kubernetes probes. A node running the
 * gateway answers them on the gateway's port; any other node on its own small HTTP server.
 */
export function createHealthMiddleware(c: Config): Middleware {
	let server: http.Server | undefined;
	return {
		name: "Health",
		async starting(broker: ServiceBroker) {
			if (c.services.includes("gateway")) return;
			server = http.createServer((req, res) => {
				const path = (req.url ?? "").split("?")[0];
				if (req.method !== "GET" || (path !== "/health/live" && path !== "/health/ready")) {
					res.writeHead(404, { "content-type": "application/json" }).end('{"status":"not found"}');
					return;
				}
				void healthResponse(broker, path).then(({ status, body }) => sendJson(res, status, body));
			});
			await new Promise<void>((resolve, reject) => {
				server!.once("error", err =>
					reject(new Error(`Health server cannot listen on ${c.http.host}:${c.http.healthPort}: ${err.message}`))
				);
				server!.listen(c.http.healthPort, c.http.host, () => resolve());
			});
			broker.logger.info(`Health probes on http://${c.http.host}:${(server.address() as { port: number }).port}/health/ready`);
		},
		async stopping(broker: ServiceBroker) {
			stopping.add(broker);
		},
		async stopped() {
			await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));
			server = undefined;
		}
	};
}
