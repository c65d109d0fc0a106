/**
 * The baseline: a bare node:http server answering a small JSON body, run as its own process so
 * that it does not share the runner's event loop. Listens on PORT (127.0.0.1).
 */
import http from "node:http";

const BODY = JSON.stringify({ status: "ok", service: "baseline" });

const server = http.createServer((_req, res) => {
	res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(BODY) });
	res.end(BODY);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
