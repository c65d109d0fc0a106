/** Messages between the judge and a compiler process (which runs clang, or builds the precompiled header and exits). */
import type { ClangLanguage } from "./clang.types";

/** "compile" serves compile jobs of both languages; "pch" builds bits/stdc++.h's precompiled header once and exits. */
export type CompilerRole = "compile" | "pch";

/** The judge's runtime objects by their path in the compile's tree: built by the first compiler, given to the next ones. */
export type RuntimeObjects = [path: string, bytes: Uint8Array][];

/**
 * To a compiler process: have a language's runtime objects (those given, the others built) before its
 * first compile, a job, or the precompiled header that later jobs may use.
 */
export type CompileRequest =
	| { type: "load"; language: ClangLanguage; objects: RuntimeObjects }
	| { type: "compile"; id: number; language: ClangLanguage; command: string[]; source: string }
	| { type: "pch"; bytes: Uint8Array };

/** A transient failure (the compile timed out, the compiler died) is not cached: the next try may pass. */
export type CompileAnswer = { ok: true; wasm: Uint8Array } | { ok: false; message: string; transient?: boolean };

export type CompilerMessage =
	| { type: "ready"; version: string }
	| { type: "loaded"; language: ClangLanguage; objects: RuntimeObjects }
	| { type: "compiled"; id: number; answer: CompileAnswer }
	| { type: "pch"; bytes: Uint8Array }
	| { type: "failed"; message: string };
