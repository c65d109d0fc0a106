/**
 * Compiled programs kept per node, keyed by sha256 of the language, the flags and the source, in an
 * LRU bounded by the bytes of their WebAssembly: the same source is compiled once, and sources
 * submitted at the same time share one compile. A compile error is kept as well (it is an answer).
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ClangLanguage } from "./clang.types";
import { compileFlags, linkFlags } from "./compile-flags";
import type { WasmModule } from "./wasm-api";

export type CachedProgram =
	| { ok: true; module: WasmModule; minPages: number; stackBytes: number; bytes: number }
	| { ok: false; compileError: string; transient?: boolean };

export function programKey(language: ClangLanguage, memoryMb: number, source: string): string {
	const flags = [...compileFlags(language), ...linkFlags(language, memoryMb)];
	return createHash("sha256")
		.update(JSON.stringify([language, flags, source]))
		.digest("hex");
}

export class ProgramCache {
	#entries: LRUCache<string, CachedProgram>;
	#building = new Map<string, Promise<CachedProgram>>();

	constructor(maxBytes: number) {
		this.#entries = new LRUCache<string, CachedProgram>({
			maxSize: Math.max(1, maxBytes),
			sizeCalculation: entry => Math.max(1, entry.ok ? entry.bytes : Buffer.byteLength(entry.compileError))
		});
	}

	/** The cached program, or the one `build` makes (once, however many ask at the same time). */
	get(key: string, build: () => Promise<CachedProgram>): Promise<CachedProgram> {
		const cached = this.#entries.get(key);
		if (cached) return Promise.resolve(cached);
		let pending = this.#building.get(key);
		if (!pending) {
			pending = build()
				.then(entry => {
					if (entry.ok || !entry.transient) this.#entries.set(key, entry);
					return entry;
				})
				.finally(() => this.#building.delete(key));
			this.#building.set(key, pending);
		}
		return pending;
	}
}
