import path from "node:path";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { lockDataDir } from "./data-dir-lock";
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from "./pglite.worker";

export interface EmbeddedDatabase {
	/** A `postgres://` URL for the `pg` driver. PGlite serves one database whatever name is asked. */
	url: string;
	release(): Promise<void>;
}

interface Running {
	dataDir: string;
	ready: Promise<{ worker: Worker; port: number; unlock: () => void }>;
	users: number;
}

let running: Running | undefined;

// Workers inherit `--import tsx` in development; the built image runs the compiled .js file.
const workerFile = path.join(__dirname, `pglite.worker${path.extname(__filename)}`);

async function start(dataDir: string, maxConnections: number) {
	const unlock = lockDataDir(dataDir);
	try {
		const worker = new Worker(workerFile, {
			workerData: { dataDir, maxConnections } satisfies EmbeddedWorkerData
		});
		const [message] = (await Promise.race([
			once(worker, "message"),
			once(worker, "error").then(([err]) => Promise.reject(err)),
			once(worker, "exit").then(([code]) => Promise.reject(new Error(`PGlite worker exited with code ${code}`)))
		])) as [EmbeddedWorkerMessage];
		if (message.type !== "ready") throw new Error(`Unexpected message from the PGlite worker: ${message.type}`);
		return { worker, port: message.port, unlock };
	} catch (err) {
		unlock();
		throw err;
	}
}

async function stop(entry: Running) {
	const { worker, unlock } = await entry.ready;
	const closed = once(worker, "message");
	worker.postMessage({ type: "close" });
	// A clean close checkpoints PGlite; don't let a wedged worker hold shutdown hostage.
	await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 5000).unref())]);
	await worker.terminate();
	unlock();
}

/**
 * Starts the process's embedded PostgreSQL (PGlite) on first use and shares it between the
 * services of this process; it stops when the last of them releases it.
 */
export async function acquireEmbeddedDatabase(dataDir: string, maxConnections: number): Promise<EmbeddedDatabase> {
	if (running && running.dataDir !== dataDir) {
		throw new Error(`The embedded database already runs on ${running.dataDir}; one data directory per process`);
	}
	if (!running) {
		const ready = start(dataDir, maxConnections);
		running = { dataDir, ready, users: 0 };
		ready.catch(() => (running = undefined));
	}
	const entry = running;
	entry.users++;
	const { port } = await entry.ready;
	let released = false;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async release() {
			if (released) return;
			released = true;
			if (--entry.users > 0) return;
			if (running === entry) running = undefined;
			await stop(entry);
		}
	};
}
