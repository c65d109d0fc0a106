import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Plugin } from "vite";
import { HASH_FILE, sourceHash } from "./source-hash.mjs";

/** Records which sources the build was made from, last, so that an interrupted build counts as stale. */
export function stampSourceHash(): Plugin {
	let outDir = "";
	return {
		name: "code-learn:stamp-source-hash",
		apply: "build",
		configResolved(config) {
			outDir = path.resolve(config.root, config.build.outDir);
		},
		async closeBundle() {
			await writeFile(path.join(outDir, HASH_FILE), `${sourceHash()}\n`);
		}
	};
}
