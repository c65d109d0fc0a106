/**
 * Loads @yowasp/clang (clang and wasm-ld compiled to WebAssembly, run on an in-memory file tree:
 * the host's files are never mapped in) inside a compiler process: patched for linear-time writes
 * when the bundle is the one expected, and with the maximum of clang's own linear memory lowered so
 * that a compile cannot take more than COMPILER_MEMORY_PAGES.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { patchClangBundle } from "./clang-bundle-patch";
import { capDefinedMemory } from "./wasm-binary";
import { wasm, type WasmModule } from "./wasm-api";

export type Clang = typeof import("@yowasp/clang");

async function importClang(): Promise<Clang> {
	const bundle = require.resolve("@yowasp/clang");
	const patched = patchClangBundle(readFileSync(bundle, "utf8"), pathToFileURL(bundle).href);
	if (patched === null) return import("@yowasp/clang");
	return (await import(`data:text/javascript;base64,${Buffer.from(patched).toString("base64")}`)) as Clang;
}

export async function loadClang(maxPages: number): Promise<Clang> {
	const original = wasm.compileStreaming;
	let capped = 0;
	// The package compiles its modules with compileStreaming: the only point where their bytes pass by.
	wasm.compileStreaming = async (source: unknown): Promise<WasmModule> => {
		const response = (await source) as Response;
		const bytes = new Uint8Array(await response.arrayBuffer());
		capped += capDefinedMemory(bytes, maxPages);
		return wasm.compile(bytes);
	};
	try {
		const clang = await importClang();
		await clang.runLLVM(undefined, {}, { fetchProgress: () => undefined });
		if (capped === 0) throw new Error("could not bound the memory of the compiler");
		return clang;
	} finally {
		wasm.compileStreaming = original;
	}
}
