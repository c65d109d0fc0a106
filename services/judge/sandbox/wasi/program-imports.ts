/**
 * What a compiled program may import: WASI preview 1 (served by the shim, whose only files are the
 * run's), its memory, and the judge's memory notice. Anything else (a function declared with an
 * import attribute, say) would reach for the host, so such a program is refused before it runs.
 */
import { wasm, type WasmModule } from "./wasm-api";

const ALLOWED: Record<string, readonly string[] | "any"> = {
	wasi_snapshot_preview1: "any",
	env: ["memory"],
	judge: ["memory_grown"]
};

/** Why the module cannot run here, or null when every import is one the sandbox provides. */
export function refusedImport(module: WasmModule): string | null {
	for (const { module: from, name } of wasm.Module.imports(module)) {
		const allowed = ALLOWED[from];
		if (allowed === "any" || allowed?.includes(name)) continue;
		return `the program imports ${from}.${name}, which the judge does not provide`;
	}
	return null;
}
