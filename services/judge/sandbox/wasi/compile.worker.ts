/**
 * A compile worker: loads clang once, builds the judge's runtime objects once, then compiles one
 * submission at a time on a fresh in-memory tree holding only the source and the judge's own files.
 * With the "pch" role it precompiles bits/stdc++.h instead, hands the bytes over and exits.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadClang, type Clang } from "./clang-loader";
import { getFile, putFile, runTool, type Tree } from "./clang-tree";
import { COMPILER_MEMORY_PAGES, PATHS, SOURCE_NAME, pchCommand, runtimeObjectCommands } from "./compile-flags";
import type { CompileAnswer, CompileWorkerData, CompileWorkerMessage, CompileWorkerRequest } from "./compile.protocol";
import { RUNTIME_EXCEPTIONS_SOURCE } from "./runtime-exceptions.source";
import { RUNTIME_MEMORY_SOURCE } from "./runtime-memory.source";
import { STDCXX_HEADER } from "./stdcxx-header";
import { currentThreadId } from "./thread-cpu";

const port = parentPort!;
const post = (message: CompileWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

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

async function buildRuntimeObjects(clang: Clang, language: CompileWorkerData["language"]): Promise<Map<string, Uint8Array>> {
	const sources: Tree = {};
	putFile(sources, PATHS.memorySource, RUNTIME_MEMORY_SOURCE);
	putFile(sources, PATHS.exceptionsSource, RUNTIME_EXCEPTIONS_SOURCE);
	const objects = new Map<string, Uint8Array>();
	for (const command of runtimeObjectCommands(language)) {
		const { files, output } = await runTool(clang, command, sources);
		const path = command[command.length - 1];
		const bytes = files && getFile(files, path);
		if (!bytes) throw new Error(`could not build the judge's ${path}: ${output}`);
		objects.set(path, bytes.slice());
	}
	return objects;
}

async function buildPch(clang: Clang): Promise<Uint8Array> {
	const { files, output } = await runTool(clang, pchCommand(), judgeTree(new Map(), null));
	const bytes = files && getFile(files, PATHS.pch);
	if (!bytes) throw new Error(`could not precompile bits/stdc++.h: ${output}`);
	return bytes.slice();
}

async function compile(
	clang: Clang,
	data: CompileWorkerData,
	judge: () => Tree,
	command: string[],
	source: string
): Promise<CompileAnswer> {
	const tree = judge();
	tree[SOURCE_NAME[data.language]] = source;
	const { files, output } = await runTool(clang, command, tree);
	const wasm = files && getFile(files, PATHS.output);
	return wasm ? { ok: true, wasm: wasm.slice() } : { ok: false, message: output };
}

async function main() {
	const data = workerData as CompileWorkerData;
	try {
		const clang = await loadClang(COMPILER_MEMORY_PAGES);
		if (data.role === "pch") {
			const bytes = await buildPch(clang);
			post({ type: "pch", bytes }, [bytes.buffer as ArrayBuffer]);
			return;
		}
		const version = await clangVersion(clang);
		const objects = await buildRuntimeObjects(clang, data.language);
		let pch: Uint8Array | null = null;
		port.on("message", async (request: CompileWorkerRequest) => {
			if (request.type === "pch") {
				pch = request.bytes;
				return;
			}
			const answer = await compile(clang, data, () => judgeTree(objects, pch), request.command, request.source);
			post({ type: "compiled", id: request.id, answer }, answer.ok ? [answer.wasm.buffer as ArrayBuffer] : []);
		});
		post({ type: "ready", version, threadId: currentThreadId() });
	} catch (error) {
		post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
	}
}

void main();
