/**
 * The posts journey in Chromium against the one-process platform: a person signs up, writes a post
 * with code (preview, then publish), another person finds it by search and comments, and the
 * author's bell counts the comment live, without a reload. Every page passes axe and the CSP.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { unavailable } from "../helpers/services";
import { checkPage, chromiumMissing, openPage, signUp, startWebRig, type WatchedPage, type WebRig } from "./harness";

/** Issue 16: at most 200 KB of compressed JavaScript on the home page (its own chunks only, split per page). */
const HOME_JS_BUDGET = 200 * 1024;
const TITLE = "Binary search without off-by-one errors";
const CONTENT = "Keep the invariant: `lo` is always valid.\n\n```python\ndef search(xs, x):\n    lo, hi = 0, len(xs)\n    return lo\n```\n";

describe("web client: write a post, be commented, hear it live", { skip: chromiumMissing() || unavailable("postgres") }, () => {
	let rig: WebRig;
	let author: WatchedPage;
	let reader: WatchedPage;
	const suffix = Date.now().toString(36);

	before(async () => {
		rig = await startWebRig("posts");
		author = await openPage(rig);
		reader = await openPage(rig);
	});

	after(async () => {
		await rig?.stop();
	});

	it("when a person signs up then the home page greets them signed in, and passes axe", async () => {
		await author.page.goto("/");
		await author.page.getByRole("heading", { name: "Posts" }).waitFor();
		await author.page.waitForLoadState("networkidle");
		const javascript = await author.page.evaluate(
			`performance.getEntriesByType("resource").filter(r => r.name.endsWith(".js")).reduce((sum, r) => sum + r.encodedBodySize, 0)`
		);
		assert.ok(
			Number(javascript) > 0 && Number(javascript) <= HOME_JS_BUDGET,
			`the home page loads ${javascript} bytes of compressed JavaScript`
		);
		await checkPage(author, "home-anonymous");
		await author.page.goto("/register");
		await checkPage(author, "sign-up");
		await signUp(author.page, `ada_${suffix}`);
		await author.page.getByRole("link", { name: "Write" }).waitFor();
	});

	it("when they write with a preview and publish then the post page shows the rendered markdown with coloured code", async () => {
		const { page } = author;
		await page.getByRole("link", { name: "Write" }).click();
		await page.getByLabel("Title").fill(TITLE);
		await page.getByLabel("Tags").fill("binary-search, python");
		await page.getByLabel("Content (markdown)").click();
		await page.keyboard.insertText(CONTENT);
		await checkPage(author, "write");
		await page.getByRole("tab", { name: "Preview" }).click();
		await page.locator(".preview pre code").waitFor();
		await page.getByRole("button", { name: "Publish" }).click();
		await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
		assert.match(page.url(), /\/posts\/binary-search-without/);
		await page.locator(".prose pre code .tok-keyword").first().waitFor();
		assert.equal(await page.locator(".prose pre code .tok-keyword").first().textContent(), "def");
		await checkPage(author, "post");
	});

	it("when another person searches and comments then the author's bell counts it without a reload", async () => {
		await author.page.goto("/");
		const bell = author.page.getByRole("link", { name: /^Notifications/ });
		await bell.waitFor();
		const before = Number(
			(await author.page
				.getByTestId("unread-count")
				.textContent({ timeout: 2000 })
				.catch(() => "0")) ?? 0
		);

		const { page } = reader;
		await signUp(page, `grace_${suffix}`);
		await page.getByLabel("Search posts").fill("invariant");
		await page.getByRole("button", { name: "Search" }).click();
		await page.getByRole("heading", { name: /Posts matching/ }).waitFor();
		assert.equal(await page.locator(".card mark").first().textContent(), "invariant");
		await checkPage(reader, "search");
		await page.getByRole("link", { name: TITLE }).click();
		await page.getByRole("textbox", { name: "Add a comment" }).fill("What if the list is empty?");
		await page.getByRole("button", { name: "Comment" }).click();
		await page.getByText("What if the list is empty?").waitFor();

		await author.page
			.getByTestId("unread-count")
			.filter({ hasText: String(before + 1) })
			.waitFor();
		await author.page.getByRole("link", { name: /^Notifications/ }).click();
		await author.page.getByRole("link", { name: "New comment on your post" }).first().waitFor();
		await checkPage(author, "notifications");
	});

	it("when the author replies then the thread nests the reply under the comment", async () => {
		const { page } = author;
		await page.goto("/");
		await page.getByRole("link", { name: TITLE }).click();
		await page.getByRole("button", { name: "Reply" }).click();
		await page.getByRole("textbox", { name: /^Reply to comment/ }).fill("Then lo = hi = 0 and we return 0.");
		await page.getByRole("button", { name: "Reply", exact: true }).last().click();
		await page.locator(".thread .thread").getByText("Then lo = hi = 0").waitFor();
	});

	it("when a save fails then nothing typed is lost", async () => {
		const { page, context } = author;
		await page.goto("/write");
		await page.getByLabel("Title").fill("A draft that survives");
		await page.getByLabel("Content (markdown)").click();
		await page.keyboard.insertText("Every word of this stays.");
		await context.setOffline(true);
		await page.getByRole("button", { name: "Publish" }).click();
		await page
			.getByRole("alert")
			.getByText(/cannot be reached/)
			.waitFor();
		await context.setOffline(false);
		await page.reload();
		assert.equal(await page.getByLabel("Title").inputValue(), "A draft that survives");
		await page.getByText("Every word of this stays.").waitFor();
	});
});
