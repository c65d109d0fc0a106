/**
 * The web client's weight and speed as a browser sees them (issue 16: at most 200 KB of compressed
 * JavaScript on the home page; LCP under 1.5 s on localhost). Against a running platform, each page
 * loaded cold (a fresh browser profile) several times in headless Chromium:
 *   npm run measure-web -- [--url http://127.0.0.1:8080] [--runs 5]
 * A script, not a timed test: a busy shared machine never fails the suite.
 */
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values } = parseArgs({
	options: { url: { type: "string", default: "http://127.0.0.1:8080" }, runs: { type: "string", default: "5" } }
});
const BASE = values.url.replace(/\/$/, "");
const RUNS = Number(values.runs);

interface Load {
	lcpMs: number;
	jsBytes: number;
	cssBytes: number;
	requests: number;
}

/** Pages an anonymous visitor can open, and one post (the newest) if there is any. */
async function pages(): Promise<string[]> {
	const list = ["/", "/login", "/groups", "/contests", "/problems", "/leaderboard"];
	const posts = (await (await fetch(`${BASE}/api/posts?pageSize=1`)).json()) as { rows?: { slug: string }[] };
	if (posts.rows?.[0]) list.splice(1, 0, `/posts/${posts.rows[0].slug}`);
	return list;
}

/** Runs in the page: its largest contentful paint, and the compressed bytes of what it loaded. */
const MEASURE = `new Promise(resolve => {
	new PerformanceObserver(list => {
		const entries = list.getEntries();
		const resources = performance.getEntriesByType("resource");
		const bytes = ext => resources.filter(r => ext.test(new URL(r.name).pathname)).reduce((sum, r) => sum + r.encodedBodySize, 0);
		resolve({ lcpMs: entries[entries.length - 1].startTime, jsBytes: bytes(/\\.js$/), cssBytes: bytes(/\\.css$/), requests: resources.length + 1 });
	}).observe({ type: "largest-contentful-paint", buffered: true });
})`;

async function load(browser: import("playwright-core").Browser, path: string): Promise<Load> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	try {
		await page.goto(`${BASE}${path}`, { waitUntil: "networkidle" });
		// A string, not a function: tsx would wrap a function's inner helpers in its own, unknown to the page.
		return (await page.evaluate(MEASURE)) as Load;
	} finally {
		await context.close();
	}
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
	try {
		process.stdout.write(`page | JS (compressed) | CSS | requests | LCP median (min–max of ${RUNS})\n`);
		for (const path of await pages()) {
			const loads: Load[] = [];
			for (let i = 0; i < RUNS; i++) loads.push(await load(browser, path));
			const lcps = loads.map(l => l.lcpMs);
			const last = loads[loads.length - 1];
			process.stdout.write(
				`${path} | ${(last.jsBytes / 1024).toFixed(1)} KB | ${(last.cssBytes / 1024).toFixed(1)} KB | ${last.requests} | ${median(lcps).toFixed(0)} ms (${Math.min(...lcps).toFixed(0)}–${Math.max(...lcps).toFixed(0)})\n`
			);
		}
	} finally {
		await browser.close();
	}
}

main().catch(err => {
	process.stderr.write(`${(err as Error).stack ?? err}\n`);
	process.exit(1);
});
