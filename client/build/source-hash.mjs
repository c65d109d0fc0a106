// The hash of everything a client build is made from: `npm start` rebuilds when it differs from the
// one stored beside the build (plain JavaScript, so that it runs before any build tool is loaded).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const CLIENT = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const INPUTS = ["index.html", "tsconfig.json", "vite.config.ts", "package.json", "build", "public", "src", "../package-lock.json"];

export const CLIENT_DIR = CLIENT;
export const DIST_DIR = path.join(CLIENT, "dist");
export const HASH_FILE = ".source-hash";

function files(entry) {
	const full = path.join(CLIENT, entry);
	try {
		return readdirSync(full, { recursive: true, withFileTypes: true })
			.filter(d => d.isFile())
			.map(d => path.relative(CLIENT, path.join(d.parentPath, d.name)));
	} catch (err) {
		if (err.code === "ENOTDIR") return [entry];
		throw err;
	}
}

export function sourceHash() {
	const hash = createHash("sha256");
	for (const file of INPUTS.flatMap(files).sort()) {
		hash.update(file)
			.update("\0")
			.update(readFileSync(path.join(CLIENT, file)))
			.update("\0");
	}
	return hash.digest("hex");
}
