/**
 * The gateway serving the web client's build (client/dist, made by npm ci's prepare): the page and
 * its assets with the right caching, compression and CSP, index.html for the client's own paths,
 * and the API's unknown paths still JSON 404s.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { webClientRoute, WEB_CLIENT_CSP, WEB_CLIENT_DIR } from "../../services/gateway/web-client";
import { type Platform, startPlatform } from "../helpers/platform";
import { REPO_ROOT } from "../helpers/processes";

/** A raw request: fetch would decompress, and we check the bytes and headers as sent. */
async function raw(baseUrl: string, pathname: string, init: { method?: string; encoding?: string } = {}) {
	const { request } = await import("node:http");
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
		const req = request(
			`${baseUrl}${pathname}`,
			{ method: init.method ?? "GET", headers: init.encoding ? { "Accept-Encoding": init.encoding } : {} },
			res => {
				const chunks: Buffer[] = [];
				res.on("data", c => chunks.push(c as Buffer));
				res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			}
		);
		req.on("error", reject);
		req.end();
	});
}

describe("the gateway serves the web client", () => {
	let platform: Platform;
	let script: string;

	before(async () => {
		execFileSync(process.execPath, [path.join(REPO_ROOT, "client/build/ensure-built.mjs")], { cwd: REPO_ROOT, stdio: "inherit" });
		script = readdirSync(path.join(WEB_CLIENT_DIR, "assets")).find(name => /^index-.*\.js$/.test(name))!;
		platform = await startPlatform({ SERVICES: "gateway" });
	});

	after(async () => {
		await platform?.stop();
	});

	it("when the page is asked for then it comes under the self-only CSP, revalidated on every load", async () => {
		const res = await raw(platform.baseUrl, "/");
		assert.equal(res.status, 200);
		assert.match(String(res.headers["content-type"]), /^text\/html/);
		assert.equal(res.headers["content-security-policy"], WEB_CLIENT_CSP);
		assert.match(WEB_CLIENT_CSP, /script-src 'self'; style-src 'self'/);
		assert.equal(res.headers["cache-control"], "no-cache");
		assert.equal(res.headers["x-content-type-options"], "nosniff");
		assert.match(res.body.toString(), new RegExp(`/assets/${script.replace(/[.-]/g, "\\$&")}`));
		assert.doesNotMatch(res.body.toString(), /<script>|<style>| style="/, "nothing inline");
	});

	it("when a path of the client's is asked for then the same page answers (the client routes it)", async () => {
		for (const pathname of ["/posts/some-post", "/groups/8d7c4c69-4b52-4f3c-9f0a-0a0a0a0a0a0a", "/login?next=%2Fwrite"]) {
			const res = await raw(platform.baseUrl, pathname);
			assert.equal(res.status, 200, pathname);
			assert.equal(res.headers["content-security-policy"], WEB_CLIENT_CSP, pathname);
		}
	});

	it("when an asset is asked for then it is cached for a year and sent precompressed as the client accepts", async () => {
		const plain = readFileSync(path.join(WEB_CLIENT_DIR, "assets", script));
		const br = await raw(platform.baseUrl, `/assets/${script}`, { encoding: "gzip, deflate, br" });
		assert.equal(br.status, 200);
		assert.equal(br.headers["cache-control"], "public, max-age=31536000, immutable");
		assert.equal(br.headers["content-encoding"], "br");
		assert.equal(br.headers.vary, "Accept-Encoding");
		assert.ok(br.body.length < plain.length / 2);
		assert.deepEqual(brotliDecompressSync(br.body), plain);

		const gzip = await raw(platform.baseUrl, `/assets/${script}`, { encoding: "gzip" });
		assert.equal(gzip.headers["content-encoding"], "gzip");
		assert.deepEqual(gunzipSync(gzip.body), plain);

		const identity = await raw(platform.baseUrl, `/assets/${script}`);
		assert.equal(identity.headers["content-encoding"], undefined);
		assert.deepEqual(identity.body, plain);
		assert.match(String(identity.headers["content-type"]), /^text\/javascript/);

		const head = await raw(platform.baseUrl, `/assets/${script}`, { method: "HEAD" });
		assert.equal(head.status, 200);
		assert.equal(head.body.length, 0);
	});

	it("when an unknown asset, an unknown API path or a non-GET is asked for then a JSON 404 answers, never the page", async () => {
		for (const pathname of ["/assets/missing-abc123.js", "/api/no-such-route", "/api/posts/x/y/z/w", "/health/nothing"]) {
			const res = await raw(platform.baseUrl, pathname);
			assert.equal(res.status, 404, pathname);
			assert.deepEqual(
				JSON.parse(res.body.toString()),
				{ name: "NotFoundError", message: "Not found", code: 404, type: "NOT_FOUND" },
				pathname
			);
		}
		const post = await raw(platform.baseUrl, "/posts/some-post", { method: "POST" });
		assert.equal(post.status, 404);
		assert.equal(JSON.parse(post.body.toString()).type, "NOT_FOUND");
	});

	it("when the client is not built then the gateway says how to build it instead of an empty page", () => {
		const empty = mkdtempSync(path.join(os.tmpdir(), "codelearn-no-client-"));
		try {
			const [answer] = webClientRoute(empty).use;
			let status = 0;
			let body = "";
			const res = {
				writeHead: (s: number) => (status = s),
				end: (b: string) => (body = b)
			} as unknown as import("node:http").ServerResponse;
			answer({ method: "GET", url: "/", headers: {} } as import("node:http").IncomingMessage, res, () => assert.fail("answered"));
			assert.equal(status, 404);
			assert.equal(JSON.parse(body).type, "WEB_CLIENT_NOT_BUILT");
			assert.match(JSON.parse(body).message, /npm ci/);
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
