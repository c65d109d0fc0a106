/** Messages between the main thread and a compile worker (which runs clang, or builds the precompiled header). */
import type { ClangLanguage } from "./clang.types";

export interface CompileWorkerData {
	/** "compile" serves compile jobs; "pch" builds bits/stdc++.h's precompiled header once and exits. */
	role: "compile" | "pch";
	language: ClangLanguage;
}

/** To a compile worker: a job, or the precompiled header that later jobs may use. */
export type CompileWorkerRequest = { type: "compile"; id: number; command: string[]; source: string } | { type: "pch"; bytes: Uint8Array };

/** A transient failure (the compile timed out, the worker died) is not cached: the next try may pass. */
export type CompileAnswer = { ok: true; wasm: Uint8Array } | { ok: false; message: string; transient?: boolean };

export type CompileWorkerMessage =
	| { type: "ready"; version: string; threadId: number | null }
	| { type: "compiled"; id: number; answer: CompileAnswer }
	| { type: "pch"; bytes: Uint8Array }
	| { type: "failed"; message: string };
