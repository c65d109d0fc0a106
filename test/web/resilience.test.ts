/**
 * The client when things go wrong, and without a mouse: a 429 says when to try again and a 503 offers
 * a retry that works once the server is back (those answers are made by the browser's request
 * interception: the gateway's own 429 and 503 are tested in test/integration), a keyboard alone
 * signs in and reaches the content, and the sign-in and not-found pages pass axe, in dark mode too.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { unavailable } from "../helpers/services";
import { checkPage, chromiumMissing, openPage, PASSWORD, signUp, startWebRig, type WatchedPage, type WebRig } from "./harness";

const refusal = (status: number, type: string, message: string, retryAfterS: number) => ({
	status,
	headers: { "Content-Type": "application/json", "Retry-After": String(retryAfterS) },
	body: JSON.stringify({ name: "Error", message, code: status, type })
});

describe("web client: errors, retries and the keyboard", { skip: chromiumMissing() || unavailable("postgres") }, () => {
	let rig: WebRig;
	let visitor: WatchedPage;
	const username = `kay_${Date.now().toString(36)}`;

	before(async () => {
		rig = await startWebRig("resilience");
		const setup = await openPage(rig);
		await signUp(setup.page, username);
		await setup.context.close();
		visitor = await openPage(rig);
	});

	after(async () => {
		await rig?.stop();
	});

	it("when the API answers 429 then the page says when to try again, and trying again later works", async () => {
		const { page } = visitor;
		await page.route("**/api/posts?*", route => route.fulfill(refusal(429, "TOO_MANY_REQUESTS", "Rate limit exceeded", 42)));
		await page.goto("/");
		await page.getByRole("alert").getByText("Too many requests. Try again in 42 seconds.").waitFor();
		await page.unroute("**/api/posts?*");
		await page.getByRole("button", { name: "Try again" }).click();
		await page.getByText("No posts here yet.").waitFor();
		assert.equal(await page.getByRole("alert").count(), 0);
	});

	it("when a service is unavailable then the page offers a retry that works once it is back", async () => {
		const { page } = visitor;
		await page.route("**/api/groups?*", route => route.fulfill(refusal(503, "SERVICE_UNAVAILABLE", "Service unavailable", 10)));
		await page.goto("/groups");
		await page
			.getByRole("alert")
			.getByText(/busy or restarting. Try again in 10 seconds/)
			.waitFor();
		await page.unroute("**/api/groups?*");
		await page.getByRole("button", { name: "Try again" }).click();
		await page.getByRole("alert").waitFor({ state: "detached" });
		visitor.problems.length = 0; // the refused loads logged as failed resources: expected here
	});

	it("when someone uses only the keyboard then the skip link reaches the content and the sign-in form works", async () => {
		const { page } = visitor;
		await page.goto("/login");
		await page.getByRole("heading", { name: "Sign in" }).waitFor();
		await checkPage(visitor, "sign-in");
		await page.keyboard.press("Tab");
		assert.equal(await page.evaluate("document.activeElement.textContent"), "Skip to content");
		await page.keyboard.press("Enter");
		assert.equal(await page.evaluate("document.activeElement.id"), "main");
		await page.keyboard.press("Tab");
		await page.keyboard.type(username);
		await page.keyboard.press("Tab");
		await page.keyboard.type(PASSWORD);
		await page.keyboard.press("Enter");
		await page.getByRole("button", { name: "Sign out" }).waitFor();
		assert.equal(new URL(page.url()).pathname, "/");
	});

	it("when the device prefers dark then the pages are dark and still pass axe's contrast rules", async () => {
		const { page } = visitor;
		await page.emulateMedia({ colorScheme: "dark" });
		try {
			await page.goto("/");
			await page.getByRole("heading", { name: "Posts" }).waitFor();
			assert.equal(await page.evaluate("getComputedStyle(document.body).backgroundColor"), "rgb(13, 17, 23)");
			await checkPage(visitor, "home-dark");
			await page.goto("/login");
			await page.getByRole("heading", { name: "Sign in" }).waitFor();
			await checkPage(visitor, "sign-in-dark");
		} finally {
			await page.emulateMedia({ colorScheme: "light" });
		}
	});

	it("when an address leads nowhere then the not-found page says so, and passes axe", async () => {
		await visitor.page.goto("/no/such/page");
		await visitor.page.getByRole("heading", { name: "Page not found" }).waitFor();
		await checkPage(visitor, "not-found");
	});
});
