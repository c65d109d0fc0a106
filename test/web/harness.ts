/**
 * What the browser journeys share: the whole platform in one process (every service, each on its
 * own scratch database of the real PostgreSQL), the client built from its current sources,
 * Debian's Chromium driven by playwright-core, and checks every page must pass: no console error
 * (a CSP violation is one), no request to another origin, and axe-core's serious and critical rules.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { DATABASE_SERVICES, databaseUrlVariable } from "../../config/schema";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { REPO_ROOT } from "../helpers/processes";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where screenshots of every page go (a test output, not committed). */
export const SCREENSHOTS = path.join(REPO_ROOT, "test-output", "screenshots");
/** A page on a loaded two-core machine, with the platform in the same process. */
export const UI_DEADLINE_MS = 20_000;

/** `false` when Chromium is installed; a skip reason otherwise, or a failure in CI. */
export function chromiumMissing(): false | string {
	if (existsSync(CHROMIUM)) return false;
	const reason = `needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
	if (process.env.CI === "true") throw new Error(`CI: ${reason}`);
	process.stderr.write(`skipping: ${reason}\n`);
	return reason;
}

export interface WebRig {
	platform: Platform;
	browser: Browser;
	stop(): Promise<void>;
}

/** Builds the client if its sources changed, starts the platform and Chromium. */
export async function startWebRig(name: string, env: Record<string, string> = {}): Promise<WebRig> {
	execFileSync(process.execPath, [path.join(REPO_ROOT, "client/build/ensure-built.mjs")], { cwd: REPO_ROOT, stdio: "inherit" });
	const databases = DATABASE_SERVICES.map(service => [service, scratchDatabase(`codelearn_test_web_${name}_${service}`)] as const);
	const platform = await startPlatform({
		...Object.fromEntries(databases.map(([service, db]) => [databaseUrlVariable(service), db.url])),
		JUDGE_SLOTS: "1",
		...env
	});
	const browser = await chromium.launch({ executablePath: CHROMIUM });
	return {
		platform,
		browser,
		async stop() {
			await browser.close();
			await platform.stop();
			await Promise.all(databases.map(([, db]) => db.drop()));
		}
	};
}

export interface WatchedPage {
	page: Page;
	context: BrowserContext;
	/** Console errors, page errors and requests to other origins, so far. */
	problems: string[];
}

/** A fresh browser profile (its own storage) on the platform, watched for what no page may do. */
export async function openPage(rig: WebRig, width = 1280): Promise<WatchedPage> {
	const context = await rig.browser.newContext({ viewport: { width, height: 900 }, baseURL: rig.platform.baseUrl });
	const page = await context.newPage();
	page.setDefaultTimeout(UI_DEADLINE_MS);
	const problems: string[] = [];
	const origin = new URL(rig.platform.baseUrl).origin;
	page.on(
		"console",
		message => message.type() === "error" && !/status of 4\d\d/.test(message.text()) && problems.push(`console: ${message.text()}`)
	);
	page.on("pageerror", error => problems.push(`pageerror: ${error.message}`));
	page.on("request", request => {
		const url = new URL(request.url());
		if (url.protocol.startsWith("http") && url.origin !== origin) problems.push(`request to another origin: ${request.url()}`);
	});
	return { page, context, problems };
}

export const PASSWORD = "correct horse battery staple 9";

/** Signs up through the form; lands on the home page signed in. */
export async function signUp(page: Page, username: string) {
	await page.goto("/register");
	await page.getByLabel("Username").fill(username);
	await page.getByLabel("Display name").fill(username.replace(/_/g, " "));
	await page.getByLabel("Email").fill(`${username}@example.com`);
	await page.getByLabel("Password").fill(PASSWORD);
	await page.getByRole("button", { name: "Create account" }).click();
	await page.getByRole("button", { name: "Sign out" }).waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core on the page as it is now (evaluated through the DevTools protocol, which the page's CSP
 * does not govern): no serious or critical violation. Also keeps a screenshot of the page.
 */
export async function checkPage(watched: WatchedPage, name: string) {
	const { page } = watched;
	await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate(async () => {
		const axe = (
			globalThis as unknown as {
				axe: { run(options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
			}
		).axe;
		return axe.run({ resultTypes: ["violations"] });
	});
	const blocking = result.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
	mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
	assert.deepEqual(blocking, [], `axe on ${name}`);
	assert.deepEqual(watched.problems, [], `console or requests on ${name}`);
}
