/**
 * The part of the engine's WebAssembly API this runtime uses, typed here: the project compiles
 * without the DOM library, which is where TypeScript declares the WebAssembly namespace.
 */

/** A compiled module; instances of it share its code, and it can be posted to a worker. */
export interface WasmModule {
	readonly __wasmModule?: never;
}

export interface WasmMemory {
	readonly buffer: ArrayBuffer;
}

export interface WasmTag {
	readonly __wasmTag?: never;
}

export interface WasmException extends Error {
	is(tag: WasmTag): boolean;
	getArg(tag: WasmTag, index: number): unknown;
}

export interface WasmInstance {
	readonly exports: Record<string, unknown>;
}

export type WasmImports = Record<string, Record<string, unknown>>;

interface WebAssemblyApi {
	compile(bytes: Uint8Array): Promise<WasmModule>;
	validate(bytes: Uint8Array): boolean;
	compileStreaming?: (source: unknown) => Promise<WasmModule>;
	Module: { imports(module: WasmModule): { module: string; name: string; kind: string }[] };
	Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
	Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
	RuntimeError: new () => Error;
	Exception: new () => WasmException;
}

export const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
