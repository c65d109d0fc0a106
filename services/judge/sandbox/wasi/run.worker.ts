/** A run worker: loads the WASI shim once, then runs one program at a time for the main thread. */
import { parentPort, workerData } from "node:worker_threads";
import type { RunJob } from "./run.protocol";
import { runProgram } from "./wasi-run";

export interface RunWorkerData {
	shared: SharedArrayBuffer;
}

async function main() {
	const shim = await import("@bjorn3/browser_wasi_shim");
	const shared = new Int32Array((workerData as RunWorkerData).shared);
	const port = parentPort!;
	port.on("message", (job: RunJob) => {
		const report = runProgram(shim, job, shared);
		port.postMessage(report, [report.stdout.buffer as ArrayBuffer]);
	});
	port.postMessage({ type: "ready" });
}

void main();
