/**
 * A baseline: stock Moleculer with moleculer-web as their documentation sets them up (no logger,
 * metrics or tracing, which are off by default), answering a local action's small JSON result:
 * `GET /local/:id` calls it, `GET /cached/:id` a copy behind the Memory cacher. Run as its own
 * process; listens on PORT (127.0.0.1).
 */
import { ServiceBroker } from "moleculer";
import ApiGateway from "moleculer-web";

const ANSWER = { status: "ok", service: "stock" };

const broker = new ServiceBroker({ logger: false, cacher: "Memory" });
broker.createService({
	name: "answer",
	actions: {
		local: { handler: () => ANSWER },
		cached: { cache: { keys: ["id"] }, handler: () => ANSWER }
	}
});
broker.createService({
	name: "api",
	mixins: [ApiGateway],
	settings: {
		port: Number(process.env.PORT ?? 0),
		ip: process.env.HOST ?? "127.0.0.1",
		routes: [{ path: "/", aliases: { "GET /local/:id": "answer.local", "GET /cached/:id": "answer.cached" } }]
	}
});

void broker.start();
const stop = () => void broker.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
