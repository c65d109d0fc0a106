/**
 * Precompiles bits/stdc++.h, in a compiler process of its own that is stopped when done: parsing
 * every standard header takes clang in WebAssembly 10–30 s, over a compile's time limit, while a
 * compile that reuses the result takes a second or two. Built on the first compile that wants it,
 * never at start: most platforms never see a C++ submission.
 */
import { forkCompiler } from "./compiler-fork";
import type { CompilerMessage } from "./compile.protocol";

const PCH_TIMEOUT_MS = 600_000;

export interface PchBuild {
	/** The header's bytes, or null when it could not be built (sources including it then parse it each time). */
	bytes: Promise<Uint8Array | null>;
	/** Why it could not be built. */
	failure: () => string | null;
	stop(): void;
}

export function buildPch(): PchBuild {
	const child = forkCompiler("pch");
	let failure: string | null = null;
	let resolve!: (bytes: Uint8Array | null) => void;
	const bytes = new Promise<Uint8Array | null>(settle => (resolve = settle));
	let settled = false;
	const settle = (result: Uint8Array | null, reason: string | null) => {
		if (settled) return;
		settled = true;
		failure = reason;
		clearTimeout(timer);
		child.kill("SIGKILL");
		resolve(result);
	};
	const timer = setTimeout(() => settle(null, "precompiling bits/stdc++.h timed out"), PCH_TIMEOUT_MS);
	child.on("message", (message: CompilerMessage) => {
		if (message.type === "pch") settle(message.bytes, null);
		else if (message.type === "failed") settle(null, message.message);
	});
	child.on("error", error => settle(null, error.message));
	child.on("exit", () => settle(null, "the precompiling process exited"));
	return { bytes, failure: () => failure, stop: () => settle(null, "stopped") };
}
