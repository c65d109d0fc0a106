/**
 * The docs page as a person uses it: headless Chromium (Debian's `chromium`) opens /api/docs,
 * Swagger UI lists the routes, and "Try it out" calls one of them through the gateway.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { unavailable } from "../helpers/services";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Swagger UI parses a 1.7 MB bundle: generous on a loaded two-core machine. */
const UI_DEADLINE_MS = 30_000;

/** `false` when Chromium is installed; otherwise a skip reason, or a failure in CI. */
function chromiumMissing(): false | string {
	if (existsSync(CHROMIUM)) return false;
	const reason = `needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
	if (process.env.CI === "true") throw new Error(`CI: ${reason}`);
	process.stderr.write(`skipping: ${reason}\n`);
	return reason;
}

describe("the docs page in headless Chromium", { skip: chromiumMissing() || unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_docs_posts");
	let platform: Platform;
	let browser: Browser;
	let page: Page;
	/** Every URL the page requested, and every message Chromium logged (CSP violations land here). */
	const requested: string[] = [];
	const logged: string[] = [];

	before(async () => {
		platform = await startPlatform({ SERVICES: "gateway,posts", POSTS_DATABASE_URL: db.url });
		browser = await chromium.launch({ executablePath: CHROMIUM });
		page = await browser.newPage();
		page.setDefaultTimeout(UI_DEADLINE_MS);
		page.on("request", request => requested.push(request.url()));
		page.on("console", message => logged.push(`${message.type()}: ${message.text()}`));
		page.on("pageerror", error => logged.push(`pageerror: ${error.message}`));
	});

	after(async () => {
		await browser?.close();
		await platform?.stop();
		await db.drop();
	});

	it("when the page opens then it lists the routes, under a CSP, loading nothing from elsewhere", async () => {
		const response = await page.goto(`${platform.baseUrl}/api/docs`);
		assert.equal(response?.status(), 200);
		assert.match((await response?.headerValue("content-security-policy")) ?? "", /script-src 'self'/);
		await page.locator(".opblock-summary-path").first().waitFor();
		const paths = await page.locator(".opblock-summary-path").allTextContents();
		for (const path of ["/api/auth/register", "/api/posts", "/api/posts/{idOrSlug}", "/api/categories"]) {
			assert.ok(
				paths.some(p => p.replace(/\u200b/g, "") === path),
				`${path} is listed`
			);
		}
		assert.deepEqual(
			requested.filter(url => !url.startsWith(platform.baseUrl) && !url.startsWith("data:")),
			[]
		);
		assert.deepEqual(
			logged.filter(line => /Content Security Policy|pageerror|^error/i.test(line)),
			[]
		);
	});

	it("when Try it out executes GET /api/categories then the page shows a 200 with the categories", async () => {
		const operation = page.locator(".opblock-get", { has: page.locator('.opblock-summary-path[data-path="/api/categories"]') });
		await operation.locator(".opblock-summary").click();
		await operation.getByRole("button", { name: "Try it out" }).click();
		await operation.getByRole("button", { name: "Execute" }).click();
		const status = operation.locator(".live-responses-table .response .response-col_status");
		await status.waitFor();
		assert.equal((await status.textContent())?.trim(), "200", "a documented 200");
		assert.match(
			(await operation.locator(".live-responses-table .response .response-col_description").textContent()) ?? "",
			/algorithms/
		);
		assert.ok(requested.includes(`${platform.baseUrl}/api/categories`), "the page called the gateway");
	});
});
