import http from "node:http";
import type { Middleware, ServiceBroker } from "moleculer";
import { config } from "../config";
import { checkReadiness } from "../lib/health";

/** The state of this process's broker, shared with the gateway's own health routes. */
export const lifecycle = { stopping: false };

export async function healthResponse(broker: ServiceBroker, path: string) {
	if (path === "/health/live") return { status: 200, body: { status: "ok" } };
	const readiness = await checkReadiness(broker, lifecycle.stopping);
	return { status: readiness.ready ? 200 : 503, body: { status: readiness.ready ? "ok" : "unavailable", ...readiness } };
}

let server: http.Server | undefined;

/**
 * Every node answers `/health/live` and `/health/ready` for Kubernetes probes. A node running the
 * gateway answers them on the gateway's port; any other node on its own small HTTP server.
 */
export const HealthMiddleware: Middleware = {
	name: "Health",
	async starting(broker: ServiceBroker) {
		lifecycle.stopping = false;
		const c = config();
		if (c.services.includes("gateway")) return;
		server = http.createServer((req, res) => {
			const path = (req.url ?? "").split("?")[0];
			if (req.method !== "GET" || (path !== "/health/live" && path !== "/health/ready")) {
				res.writeHead(404, { "content-type": "application/json" }).end('{"status":"not found"}');
				return;
			}
			void healthResponse(broker, path).then(({ status, body }) => {
				res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
			});
		});
		await new Promise<void>((resolve, reject) => {
			server!.once("error", err =>
				reject(new Error(`Health server cannot listen on ${c.http.host}:${c.http.healthPort}: ${err.message}`))
			);
			server!.listen(c.http.healthPort, c.http.host, () => resolve());
		});
		broker.logger.info(`Health probes on http://${c.http.host}:${(server.address() as { port: number }).port}/health/ready`);
	},
	async stopping() {
		lifecycle.stopping = true;
	},
	async stopped() {
		await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));
		server = undefined;
	}
};
