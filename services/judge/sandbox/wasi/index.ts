import type { LanguageRuntime } from "../sandbox.types";
import { ClangRuntime } from "./clang-runtime";
import type { ClangRuntimeOptions } from "./clang.types";

export type { ClangLanguage, ClangRuntimeOptions } from "./clang.types";

/** The C or C++ runtime: clang → WebAssembly/WASI, compiled in a compiler process stopped when idle, run in warm worker threads. */
export function createClangRuntime(options: ClangRuntimeOptions): LanguageRuntime {
	return new ClangRuntime(options);
}
