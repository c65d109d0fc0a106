/**
 * The baseline: a bare node:http server, run as its own process so that it does not share the
 * runner's event loop. Listens on PORT (127.0.0.1). `GET /` answers a small JSON body; the runner
 * puts the exact answer of a measured route at `/bodies/<name>` (PUT, from the bench only), so
 * that the route is compared with a server answering the same bytes.
 */
import http from "node:http";

const BODY = JSON.stringify({ status: "ok", service: "baseline" });
const MAX_BODY_BYTES = 1 << 20;

const bodies = new Map<string, { type: string; body: Buffer }>();

function answer(res: http.ServerResponse, status: number, type: string, body: string | Buffer) {
	res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
	res.end(body);
}

function keep(req: http.IncomingMessage, res: http.ServerResponse, name: string) {
	const chunks: Buffer[] = [];
	let size = 0;
	req.on("data", (chunk: Buffer) => {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) req.destroy();
		else chunks.push(chunk);
	});
	req.on("end", () => {
		bodies.set(name, { type: req.headers["content-type"] ?? "application/octet-stream", body: Buffer.concat(chunks) });
		res.writeHead(204).end();
	});
}

const server = http.createServer((req, res) => {
	const name = req.url!.startsWith("/bodies/") ? req.url!.slice("/bodies/".length) : undefined;
	if (name === undefined) return answer(res, 200, "application/json; charset=utf-8", BODY);
	if (req.method === "PUT") return keep(req, res, name);
	const kept = bodies.get(name);
	if (!kept) return answer(res, 404, "text/plain", "no such body");
	answer(res, 200, kept.type, kept.body);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
