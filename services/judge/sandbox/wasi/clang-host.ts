/**
 * What the C and C++ runtimes of one process share: the compilers (one clang serves both languages)
 * and the run workers. Made by the first runtime, closed with the last.
 */
import { CompilerPool } from "./compiler-pool";
import { RunPool } from "./run-pool";

export interface ClangHost {
	compiler: CompilerPool;
	runs: RunPool;
}

let shared: { host: ClangHost; users: number } | null = null;

/** The process's host, with at least `workers` run workers. */
export function acquireHost(workers: number): ClangHost {
	shared ??= { host: { compiler: new CompilerPool(), runs: new RunPool(workers) }, users: 0 };
	shared.users++;
	shared.host.runs.grow(workers);
	return shared.host;
}

/** Gives back one runtime's hold; the last one stops the compilers and the run workers. */
export async function releaseHost(host: ClangHost): Promise<void> {
	if (shared?.host !== host || --shared.users > 0) return;
	shared = null;
	host.compiler.close();
	await host.runs.close();
}
