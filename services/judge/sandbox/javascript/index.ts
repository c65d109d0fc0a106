/**
 * The JavaScript runtime of the judge: learners' programs run in V8 isolates (isolated-vm) hosted by a pool of
 * child processes, never in the judge's own process, so a fault in V8 costs one child, not the node.
 */
import type { LanguageRuntime, PrepareResult, RunLimits } from "../sandbox.types";
import { childEntry } from "./child-entry";
import { HostPool } from "./host-pool";
import { JavascriptProgram } from "./program";

const PROBE_WALL_MS = 10_000;

export interface JavascriptRuntimeOptions {
	/** How many child processes to keep: one per judging slot of the node. */
	hosts: number;
}

export interface JavascriptRuntime extends LanguageRuntime {
	/** The host children's process ids, for operators and for tests that kill one. */
	hostPids(): number[];
}

export function createJavascriptRuntime(options: JavascriptRuntimeOptions): JavascriptRuntime {
	const pool = new HostPool(options.hosts, childEntry());
	return {
		async probe() {
			try {
				return (await pool.pick().request({ op: "probe" }, PROBE_WALL_MS)).value;
			} catch (err) {
				return {
					available: false,
					reason: `the JavaScript sandbox did not start: ${err instanceof Error ? err.message : String(err)}`
				};
			}
		},
		async prepare(source: string, limits: RunLimits): Promise<PrepareResult> {
			const program = new JavascriptProgram(pool, source, limits.memoryMb);
			const compileError = await program.prepare();
			return compileError === undefined ? { ok: true, program } : { ok: false, compileError };
		},
		close: () => pool.close(),
		hostPids: () => pool.pids()
	};
}
