import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The folder holding the project's package.json, found upward from this file: the repository when
 * the sources run (tsx), the image's /app when the compiled build runs from dist/. Files that are
 * not compiled (the web client's build) are found from here, whichever of the two runs.
 */
function findProjectRoot(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, "package.json"))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
	}
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
