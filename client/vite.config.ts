import { defineConfig } from "vite";
import { precompress } from "./build/precompress.ts";
import { stampSourceHash } from "./build/stamp-source-hash.ts";

// The gateway serves dist/: assets under /assets/ with hashed names (cached for a year), index.html
// revalidated on every load. The API is on the same origin, so the dev server proxies it.
export default defineConfig({
	root: import.meta.dirname,
	oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
	build: {
		outDir: "dist",
		emptyOutDir: true,
		target: "es2022",
		assetsInlineLimit: 0,
		// Every browser that runs es2022 modules knows modulepreload: no polyfill (it would be an inline script).
		modulePreload: { polyfill: false },
		// The editor's chunk (CodeMirror, ~370 KB before compression) loads only where someone writes.
		chunkSizeWarningLimit: 400
	},
	plugins: [precompress(), stampSourceHash()],
	server: { proxy: { "/api": "http://127.0.0.1:8080", "/health": "http://127.0.0.1:8080" } }
});
