/**
 * What a learner is shown of a failed compile: clang's messages, with the compile's scratch paths
 * named plainly and any path of this host (which should never appear: clang sees only its
 * in-memory tree) removed, trimmed to 4 KB.
 */
import path from "node:path";

export const COMPILE_ERROR_BYTES = 4096;
const TRIMMED = "\n… (trimmed)";

const HOST_ROOTS = [...new Set([process.cwd(), path.resolve(__dirname, "../../../.."), "file://"])].filter(root => root.length > 1);

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const HOST_PATH = new RegExp(`(?:${HOST_ROOTS.map(escapeRegExp).join("|")})[^\\s'"]*`, "g");

export function trimUtf8(text: string, maxBytes: number, marker = TRIMMED): string {
	const bytes = Buffer.from(text, "utf8");
	if (bytes.length <= maxBytes) return text;
	const room = maxBytes - Buffer.byteLength(marker);
	// Decoding a cut multi-byte character yields U+FFFD; drop it rather than show it.
	return (
		bytes
			.subarray(0, room)
			.toString("utf8")
			.replace(/\uFFFD$/, "") + marker
	);
}

export function compileErrorText(raw: string): string {
	const text = raw
		.replace(/\/tmp\/main-[0-9a-f]+\.o/g, "main.o")
		.replace(HOST_PATH, "<host path>")
		.trim();
	return trimUtf8(text || "compilation failed", COMPILE_ERROR_BYTES);
}
