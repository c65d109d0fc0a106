/** The two languages this runtime compiles. */
export type ClangLanguage = "c" | "cpp";

export interface ClangRuntimeOptions {
	language: ClangLanguage;
	/** Worker threads kept warm for runs (shared by C and C++: the larger count wins): the judge passes its number of judging slots. */
	workers: number;
	/** Bytes of compiled programs kept per node, in MiB (64 unless given). */
	compileCacheMb?: number;
}
