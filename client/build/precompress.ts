import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Plugin } from "vite";

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/;

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each text file of the build, at the highest
 * levels: the gateway sends them as they are, so compressing costs nothing per request.
 */
export function precompress(): Plugin {
	let outDir = "";
	return {
		name: "code-learn:precompress",
		apply: "build",
		configResolved(config) {
			outDir = path.resolve(config.root, config.build.outDir);
		},
		async writeBundle(_options, bundle) {
			const names = Object.keys(bundle).filter(name => COMPRESSIBLE.test(name));
			await Promise.all(
				names.map(async name => {
					const file = path.join(outDir, name);
					const source = await readFile(file);
					await writeFile(`${file}.br`, await brotli(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
					await writeFile(`${file}.gz`, await gzipped(source, { level: 9 }));
				})
			);
		}
	};
}
