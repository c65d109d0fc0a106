/** Messages between the main thread and a run worker. */
import type { RunInput } from "../sandbox.types";
import type { WasmModule } from "./wasm-api";

/** Slots of the Int32Array a run worker shares with the main thread, readable even after it is stopped. */
export const SHARED = { pages: 0, growFailed: 1, length: 2 } as const;

export interface RunJob {
	type: "run";
	module: WasmModule;
	input: RunInput;
	initialPages: number;
	maxPages: number;
	outputBytes: number;
	/** Wall milliseconds after which the main thread stops the worker; sleeps end there. */
	deadlineMs: number;
}

/** How the program ended, as the worker saw it; the main thread turns it into a RunResult. */
export interface RunReport {
	type: "done";
	ending: "exit" | "trap" | "output-limit" | "crash";
	exitCode: number | null;
	/** For a trap: the engine's message ("unreachable", "memory access out of bounds", ...). */
	detail: string | null;
	stdout: Uint8Array;
	stderr: string;
	timeMs: number;
	pages: number;
}
