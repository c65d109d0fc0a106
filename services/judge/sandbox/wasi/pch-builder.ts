/**
 * Precompiles bits/stdc++.h once per C++ runtime, in a worker of its own that exits when done:
 * parsing every standard header takes clang in WebAssembly about a minute, far over a compile's
 * time limit, while a compile that reuses the result takes a second or two.
 */
import { Worker } from "node:worker_threads";
import { COMPILE_WORKER_FILE, COMPILE_WORKER_HEAP_MB } from "./compiler-thread";
import type { CompileWorkerData, CompileWorkerMessage } from "./compile.protocol";

const PCH_TIMEOUT_MS = 600_000;

export interface PchBuild {
	/** The header's bytes, or null when it could not be built (sources including it then parse it each time). */
	bytes: Promise<Uint8Array | null>;
	/** Why it could not be built. */
	failure: () => string | null;
	stop(): void;
}

export function buildPch(): PchBuild {
	const worker = new Worker(COMPILE_WORKER_FILE, {
		workerData: { role: "pch", language: "cpp" } satisfies CompileWorkerData,
		resourceLimits: { maxOldGenerationSizeMb: COMPILE_WORKER_HEAP_MB }
	});
	worker.unref();
	let failure: string | null = null;
	let resolve!: (bytes: Uint8Array | null) => void;
	const bytes = new Promise<Uint8Array | null>(settle => (resolve = settle));
	let settled = false;
	const settle = (result: Uint8Array | null, reason: string | null) => {
		if (settled) return;
		settled = true;
		failure = reason;
		clearTimeout(timer);
		void worker.terminate();
		resolve(result);
	};
	const timer = setTimeout(() => settle(null, "precompiling bits/stdc++.h timed out"), PCH_TIMEOUT_MS);
	worker.on("message", (message: CompileWorkerMessage) => {
		if (message.type === "pch") settle(message.bytes, null);
		else if (message.type === "failed") settle(null, message.message);
	});
	worker.on("error", error => settle(null, error.message));
	worker.on("exit", () => settle(null, "the precompiling worker exited"));
	return { bytes, failure: () => failure, stop: () => settle(null, "stopped") };
}
