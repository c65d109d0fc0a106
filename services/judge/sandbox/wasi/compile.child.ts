/**
 * A compiler process: loads clang once, has each language's runtime objects before its first compile
 * (built by an earlier compiler process, or here), then compiles one submission at a time on a fresh in-memory tree holding only the source
 * and the judge's own files. With the "pch" role it precompiles bits/stdc++.h instead, hands the
 * bytes over and waits to be stopped. It ends with the judge (when the IPC channel closes).
 */
import { loadClang, type Clang } from "./clang-loader";
import type { ClangLanguage } from "./clang.types";
import { getFile, putFile, runTool, type Tree } from "./clang-tree";
import { COMPILER_MEMORY_PAGES, PATHS, SOURCE_NAME, pchCommand, runtimeObjectCommands } from "./compile-flags";
import type { CompileAnswer, CompileRequest, CompilerMessage, CompilerRole } from "./compile.protocol";
import { RUNTIME_EXCEPTIONS_SOURCE } from "./runtime-exceptions.source";
import { RUNTIME_MEMORY_SOURCE } from "./runtime-memory.source";
import { STDCXX_HEADER } from "./stdcxx-header";

const post = (message: CompilerMessage) => process.send!(message);

/** Where the judge's files sit in every compile's tree. */
function judgeTree(objects: Map<string, Uint8Array>, pch: Uint8Array | null): Tree {
	const tree: Tree = {};
	putFile(tree, PATHS.stdcxxHeader, STDCXX_HEADER);
	for (const [path, bytes] of objects) putFile(tree, path, bytes);
	if (pch) putFile(tree, PATHS.pch, pch);
	return tree;
}

async function clangVersion(clang: Clang): Promise<string> {
	const { output } = await runTool(clang, ["clang", "--version"], {});
	const version = /clang version (\S+)/.exec(output)?.[1];
	if (!version) throw new Error(`unexpected clang --version: ${output.slice(0, 200)}`);
	return version;
}

/** Adds the language's runtime objects to `objects` (those of C are shared by C++). */
async function buildRuntimeObjects(clang: Clang, language: ClangLanguage, objects: Map<string, Uint8Array>): Promise<void> {
	const sources: Tree = {};
	putFile(sources, PATHS.memorySource, RUNTIME_MEMORY_SOURCE);
	putFile(sources, PATHS.exceptionsSource, RUNTIME_EXCEPTIONS_SOURCE);
	for (const command of runtimeObjectCommands(language)) {
		const path = command[command.length - 1];
		if (objects.has(path)) continue;
		const { files, output } = await runTool(clang, command, sources);
		const bytes = files && getFile(files, path);
		if (!bytes) throw new Error(`could not build the judge's ${path}: ${output}`);
		objects.set(path, bytes.slice());
	}
}

async function buildPch(clang: Clang): Promise<Uint8Array> {
	const { files, output } = await runTool(clang, pchCommand(), judgeTree(new Map(), null));
	const bytes = files && getFile(files, PATHS.pch);
	if (!bytes) throw new Error(`could not precompile bits/stdc++.h: ${output}`);
	return bytes.slice();
}

async function compile(clang: Clang, tree: Tree, language: ClangLanguage, command: string[], source: string): Promise<CompileAnswer> {
	tree[SOURCE_NAME[language]] = source;
	const { files, output } = await runTool(clang, command, tree);
	const wasm = files && getFile(files, PATHS.output);
	return wasm ? { ok: true, wasm: wasm.slice() } : { ok: false, message: output };
}

async function serve(clang: Clang): Promise<void> {
	const version = await clangVersion(clang);
	const objects = new Map<string, Uint8Array>();
	let pch: Uint8Array | null = null;
	// The judge sends one request at a time and waits for its answer (a header comes with a job).
	process.on("message", async (request: CompileRequest) => {
		try {
			if (request.type === "pch") pch = request.bytes;
			else if (request.type === "load") {
				for (const [path, bytes] of request.objects) objects.set(path, bytes);
				await buildRuntimeObjects(clang, request.language, objects);
				post({ type: "loaded", language: request.language, objects: [...objects] });
			} else {
				const answer = await compile(clang, judgeTree(objects, pch), request.language, request.command, request.source);
				post({ type: "compiled", id: request.id, answer });
			}
		} catch (error) {
			post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
		}
	});
	post({ type: "ready", version });
}

async function main() {
	process.on("disconnect", () => process.exit(0));
	try {
		const clang = await loadClang(COMPILER_MEMORY_PAGES);
		if ((process.argv[2] as CompilerRole) === "pch") post({ type: "pch", bytes: await buildPch(clang) });
		else await serve(clang);
	} catch (error) {
		post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
	}
}

void main();
