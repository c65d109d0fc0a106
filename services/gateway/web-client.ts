import { readdirSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { sendJson } from "../../lib/send-response";

/** The web client's build (client/: `npm ci` or `npm start` makes it; the image carries it). */
export const WEB_CLIENT_DIR = path.join(PROJECT_ROOT, "client", "dist");

/**
 * The client's own origin and nothing else: no inline script or style, no third party, no frames.
 * CodeMirror's styles are constructed stylesheets, which style-src does not govern.
 */
export const WEB_CLIENT_CSP = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"manifest-src 'self'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'"
].join("; ");

const TYPES: Record<string, string> = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".woff2": "font/woff2",
	".json": "application/json; charset=utf-8",
	".txt": "text/plain; charset=utf-8"
};

/** Paths the client never answers: the API's and the probes' unknown paths stay JSON 404s. */
const NOT_THE_CLIENT = /^\/(?:api|health|metrics)(?:\/|$)/;

const NOT_FOUND = { name: "NotFoundError", message: "Not found", code: 404, type: "NOT_FOUND" };
const NOT_BUILT = { ...NOT_FOUND, message: "The web client is not built: run npm ci (or npm start).", type: "WEB_CLIENT_NOT_BUILT" };

interface WebFile {
	type: string;
	body: Buffer;
	br?: Buffer;
	gz?: Buffer;
	headers: Record<string, string>;
}

/** Every file of the build, in memory (a few hundred KB): answering one is a map lookup. */
function loadBuild(dir: string): Map<string, WebFile> {
	const files = new Map<string, WebFile>();
	let names: string[];
	try {
		names = readdirSync(dir, { recursive: true, encoding: "utf8" });
	} catch {
		return files;
	}
	const read = (name: string) => {
		try {
			return readFileSync(path.join(dir, name));
		} catch {
			return undefined;
		}
	};
	for (const name of names) {
		const type = TYPES[path.extname(name)];
		const body = type && read(name);
		if (!body) continue;
		const url = `/${name.split(path.sep).join("/")}`;
		// Hashed names never change content: cached for a year. Anything else is revalidated.
		const hashed = url.startsWith("/assets/");
		files.set(url, {
			type,
			body,
			br: read(`${name}.br`),
			gz: read(`${name}.gz`),
			headers: {
				"Cache-Control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
				...(type.startsWith("text/html") ? { "Content-Security-Policy": WEB_CLIENT_CSP } : {})
			}
		});
	}
	return files;
}

function accepts(headers: IncomingHttpHeaders, coding: string): boolean {
	const accept = headers["accept-encoding"];
	return typeof accept === "string" && accept.split(",").some(part => part.trim().split(";")[0] === coding);
}

const SECURITY_HEADERS = {
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy": "same-origin",
	"Cross-Origin-Opener-Policy": "same-origin"
};

function send(req: IncomingMessage, res: ServerResponse, file: WebFile) {
	const [encoding, body] =
		file.br && accepts(req.headers, "br") ? ["br", file.br] : file.gz && accepts(req.headers, "gzip") ? ["gzip", file.gz] : [];
	res.writeHead(200, {
		"Content-Type": file.type,
		"Content-Length": String((body ?? file.body).length),
		Vary: "Accept-Encoding",
		...(encoding ? { "Content-Encoding": encoding } : {}),
		...SECURITY_HEADERS,
		...file.headers
	});
	res.end(req.method === "HEAD" ? undefined : (body ?? file.body));
}

/**
 * The gateway route of the single-page web client: its files by name, and index.html for every
 * other GET (the client routes them). A route of its own, last, with no aliases: moleculer-web
 * tries it only when no alias of any route matched, and only then its middleware answers.
 */
export function webClientRoute(dir = WEB_CLIENT_DIR) {
	const files = loadBuild(dir);
	const index = files.get("/index.html");
	const answer = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
		if (req.method !== "GET" && req.method !== "HEAD") return next();
		const pathname = (req.url ?? "/").split("?")[0];
		const file = NOT_THE_CLIENT.test(pathname)
			? undefined
			: (files.get(pathname) ?? (pathname.startsWith("/assets/") ? undefined : index));
		if (file) return send(req, res, file);
		sendJson(res, 404, index || NOT_THE_CLIENT.test(pathname) ? NOT_FOUND : NOT_BUILT, SECURITY_HEADERS);
	};
	return { path: "", mappingPolicy: "restrict" as const, bodyParsers: false, use: [answer] };
}
