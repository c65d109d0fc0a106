/**
 * How a submission is compiled: the judge's flags per language, the paths of the compile's in-memory
 * file tree, and the command lines clang runs on it. Both the main thread (which builds the commands
 * and the cache key) and the compiler process (which builds the tree) read these.
 */
import type { ClangLanguage } from "./clang.types";

const MIB = 1024 * 1024;

/** The virtual tree of every compile: the source at the root, the judge's own parts under /judge. */
export const PATHS = {
	output: "main.wasm",
	includeDir: "/judge/include",
	stdcxxHeader: "/judge/include/bits/stdc++.h",
	pch: "/judge/stdc++.pch",
	memorySource: "/judge/src/memory.c",
	memoryObject: "/judge/memory.o",
	exceptionsSource: "/judge/src/exceptions.cpp",
	exceptionsObject: "/judge/exceptions.o"
} as const;

export const SOURCE_NAME: Record<ClangLanguage, string> = { c: "main.c", cpp: "main.cpp" };

/** CPU time one compile may take before its compiler is stopped (wall time: four times that); C++ headers parse slowly in WebAssembly. */
export const COMPILE_TIMEOUT_MS: Record<ClangLanguage, number> = { c: 10_000, cpp: 20_000 };

/** What clang itself may hold: its linear memory is capped at this (1 GiB). */
export const COMPILER_MEMORY_PAGES = 16_384;

// WASI leaves out clock(), signal() and getpid(); wasi-libc emulates them when asked, so programs using them compile.
const EMULATED = ["-D_WASI_EMULATED_PROCESS_CLOCKS", "-D_WASI_EMULATED_SIGNAL", "-D_WASI_EMULATED_GETPID"];
const EMULATED_LIBS = ["-lwasi-emulated-process-clocks", "-lwasi-emulated-signal", "-lwasi-emulated-getpid", "-lm"];

const LANGUAGE_FLAGS: Record<ClangLanguage, readonly string[]> = {
	c: ["-O2", "-std=c17", "-DONLINE_JUDGE", ...EMULATED],
	cpp: ["-O2", "-std=c++20", "-fwasm-exceptions", "-DONLINE_JUDGE", ...EMULATED, "-isystem", PATHS.includeDir]
};

/** The stack a program gets, reserved apart from its memory limit: an eighth of the limit, within 8..64 MiB. */
export function stackBytes(memoryMb: number): number {
	return Math.min(64, Math.max(8, Math.floor(memoryMb / 8))) * MIB;
}

/** Compile flags: the same for the submission and for the precompiled header, which must agree. */
export function compileFlags(language: ClangLanguage): readonly string[] {
	return LANGUAGE_FLAGS[language];
}

/** Link flags: memory comes from the host (bounded per run), the stack sits below the data so an overflow traps. */
export function linkFlags(language: ClangLanguage, memoryMb: number): string[] {
	const flags = ["-Wl,--import-memory", "-Wl,--stack-first", `-Wl,-z,stack-size=${stackBytes(memoryMb)}`, ...EMULATED_LIBS];
	if (language === "cpp") flags.push("-Wl,--export=__cpp_exception");
	return flags;
}

/** Whether the precompiled header can stand in for the source's own include of it. */
export function wantsStdcxxHeader(language: ClangLanguage, source: string): boolean {
	return language === "cpp" && /^[ \t]*#[ \t]*include[ \t]*<bits\/stdc\+\+\.h>/m.test(source);
}

/** The command that compiles and links a submission into PATHS.output. */
export function compileCommand(language: ClangLanguage, memoryMb: number, usePch: boolean): string[] {
	const objects = language === "cpp" ? [PATHS.memoryObject, PATHS.exceptionsObject] : [PATHS.memoryObject];
	const pch = usePch ? ["-include-pch", PATHS.pch] : [];
	return [
		language === "cpp" ? "clang++" : "clang",
		...compileFlags(language),
		...pch,
		SOURCE_NAME[language],
		...objects,
		...linkFlags(language, memoryMb),
		"-o",
		PATHS.output
	];
}

/** The command that precompiles bits/stdc++.h with the submission's own flags. */
export function pchCommand(): string[] {
	return ["clang++", ...compileFlags("cpp"), "-x", "c++-header", PATHS.stdcxxHeader, "-o", PATHS.pch];
}

/** The commands that build the judge's runtime objects from /judge/src, once per process of the judge. */
export function runtimeObjectCommands(language: ClangLanguage): string[][] {
	const memory = ["clang", "-O2", "-std=c17", "-c", PATHS.memorySource, "-o", PATHS.memoryObject];
	if (language === "c") return [memory];
	const exceptions = ["clang++", "-O2", "-std=c++20", "-fwasm-exceptions", "-c", PATHS.exceptionsSource, "-o", PATHS.exceptionsObject];
	return [memory, exceptions];
}
