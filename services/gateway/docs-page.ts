import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { sendBody } from "../../lib/send-response";

/** Swagger UI from its npm package, served by the gateway itself: no CDN, nothing inline. */
const DIST = path.dirname(require.resolve("swagger-ui-dist/package.json"));

/** Everything the page loads comes from here and the document: scripts and styles by URL only. */
export const DOCS_CSP = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join("; ");

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Code-Learn API</title>
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: the default would load a badge from a third-party validator.
const INIT = `window.ui = SwaggerUIBundle({
	url: "/api/openapi.json",
	dom_id: "#swagger-ui",
	deepLinking: true,
	validatorUrl: null,
	presets: [SwaggerUIBundle.presets.apis],
	layout: "BaseLayout"
});
`;

/** The only files served: the page's own script and three from the package. */
const ASSETS: Record<string, { type: string; load: () => Promise<Buffer | string> }> = {
	"init.js": { type: "text/javascript; charset=utf-8", load: async () => INIT },
	"swagger-ui-bundle.js": { type: "text/javascript; charset=utf-8", load: () => readFile(path.join(DIST, "swagger-ui-bundle.js")) },
	"swagger-ui.css": { type: "text/css; charset=utf-8", load: () => readFile(path.join(DIST, "swagger-ui.css")) },
	"favicon-32x32.png": { type: "image/png", load: () => readFile(path.join(DIST, "favicon-32x32.png")) }
};

const loaded = new Map<string, Promise<Buffer | string>>();

function send(res: ServerResponse, status: number, type: string, body: Buffer | string, headers: Record<string, string> = {}) {
	sendBody(res, status, { "Content-Type": type, "X-Content-Type-Options": "nosniff", ...headers }, body);
}

async function sendAsset(req: IncomingMessage & { $params?: Record<string, string> }, res: ServerResponse) {
	const name = req.$params?.asset ?? "";
	const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
	if (!asset)
		return send(
			res,
			404,
			"application/json; charset=utf-8",
			JSON.stringify({ name: "NotFoundError", message: "Not found", code: 404, type: "NOT_FOUND" })
		);
	if (!loaded.has(name)) loaded.set(name, asset.load());
	send(res, 200, asset.type, await loaded.get(name)!, { "Cache-Control": "public, max-age=3600" });
}

/** The gateway route of the docs page and its assets (before "/api", which allows only its aliases). */
export function docsRoute() {
	return {
		path: "/api/docs",
		mappingPolicy: "restrict" as const,
		bodyParsers: false,
		aliases: {
			"GET /"(_req: IncomingMessage, res: ServerResponse) {
				send(res, 200, "text/html; charset=utf-8", PAGE, {
					"Content-Security-Policy": DOCS_CSP,
					"Referrer-Policy": "no-referrer",
					"Cache-Control": "no-cache"
				});
			},
			"GET /:asset"(req: IncomingMessage, res: ServerResponse, next: (err: Error) => void) {
				sendAsset(req, res).catch(next);
			}
		}
	};
}
