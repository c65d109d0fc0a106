/**
 * Runs PGlite in its own thread, served over the PostgreSQL wire protocol on 127.0.0.1, so that
 * the unchanged `pg` driver talks to it and a slow query never blocks the broker's event loop.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedWorkerData {
	dataDir: string;
	maxConnections: number;
}

/**
 * PostgreSQL's default (128 MB) is all resident in the WebAssembly memory from the start: 110 MiB
 * of the one-process platform's 590. The embedded engine serves one developer's data; 32 MB of
 * cache holds it.
 */
const SHARED_BUFFERS = "32MB";

export type EmbeddedWorkerMessage = { type: "ready"; port: number } | { type: "closed" };

async function main() {
	const { dataDir, maxConnections } = workerData as EmbeddedWorkerData;
	const db = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`] });
	const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections });
	await server.start();
	const port = Number(server.getServerConn().split(":").pop());
	parentPort!.postMessage({ type: "ready", port } satisfies EmbeddedWorkerMessage);

	parentPort!.on("message", async (message: { type: string }) => {
		if (message.type !== "close") return;
		await server.stop();
		await db.close();
		parentPort!.postMessage({ type: "closed" } satisfies EmbeddedWorkerMessage);
	});
}

void main();
