/* global process */
// `npm start`'s first step: builds the web client when its build is missing or was made from other
// sources, so that a fresh clone needs no third command. Without Vite (production installs), it
// leaves the build that the image carries alone.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DIST_DIR, HASH_FILE, sourceHash, CLIENT_DIR } from "./source-hash.mjs";

function builtFrom() {
	try {
		return readFileSync(path.join(DIST_DIR, HASH_FILE), "utf8").trim();
	} catch {
		return undefined;
	}
}

const built = builtFrom();
if (built !== sourceHash()) {
	let vite;
	try {
		vite = await import("vite");
	} catch {
		if (!existsSync(path.join(DIST_DIR, "index.html")))
			process.stderr.write("The web client is not built and Vite is not installed: run npm ci.\n");
		process.exit(0);
	}
	process.stdout.write(built ? "The web client's sources changed: rebuilding it.\n" : "Building the web client (once).\n");
	await vite.build({ root: CLIENT_DIR, configFile: path.join(CLIENT_DIR, "vite.config.ts"), logLevel: "warn" });
}
