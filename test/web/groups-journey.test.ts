/**
 * The groups journey in Chromium against the one-process platform: an owner creates a private,
 * invitation-only group and invites someone by username; the invitee accepts from the groups page
 * and writes in the group, and the post shows on the group's page. Then a group that joins on
 * request: a person asks, the owner approves, and the new member sees the group as a member (at
 * 360 px). Every page passes axe and the CSP.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { unavailable } from "../helpers/services";
import { checkPage, chromiumMissing, openPage, PASSWORD, signUp, startWebRig, type WatchedPage, type WebRig } from "./harness";

const GROUP_URL = /\/groups\/[0-9a-f-]{36}$/;

/** Confirms every confirm() the page asks (leave, remove, delete). */
const acceptDialogs = (page: Page) => page.on("dialog", dialog => void dialog.accept());

describe("web client: groups, invitations and join requests", { skip: chromiumMissing() || unavailable("postgres") }, () => {
	let rig: WebRig;
	let owner: WatchedPage;
	let invitee: WatchedPage;
	let visitor: WatchedPage;
	let requester: WatchedPage;
	const suffix = Date.now().toString(36);
	const ownerName = `olga_${suffix}`;
	const inviteeName = `ivan_${suffix}`;
	const requesterName = `rita_${suffix}`;
	const privateGroup = `Graph theory circle ${suffix}`;
	const requestGroup = `Dynamic programming club ${suffix}`;
	const postTitle = "Dijkstra with a binary heap";
	let privateGroupUrl = "";
	let requestGroupUrl = "";

	before(async () => {
		rig = await startWebRig("groups");
		owner = await openPage(rig);
		invitee = await openPage(rig);
		visitor = await openPage(rig);
		requester = await openPage(rig, 360);
		for (const watched of [owner, invitee, visitor, requester]) acceptDialogs(watched.page);
	});

	after(async () => {
		await rig?.stop();
	});

	it("when signed out then /groups lists groups without a create link, and passes axe", async () => {
		const { page } = visitor;
		await page.goto("/groups");
		await page.getByRole("heading", { level: 1, name: "Groups" }).waitFor();
		await page.getByText("No groups yet.").waitFor();
		assert.equal(await page.getByRole("link", { name: "Create a group" }).count(), 0);
		await checkPage(visitor, "groups-anonymous");
	});

	it("when a person creates a private invitation-only group then its page shows them as its owner", async () => {
		const { page } = owner;
		await signUp(page, ownerName);
		await signUp(invitee.page, inviteeName);
		await page.goto("/groups");
		await page.getByRole("link", { name: "Create a group" }).click();
		await page.getByRole("heading", { level: 1, name: "Create a group" }).waitFor();
		await page.getByLabel("Name").fill(privateGroup);
		await page.getByLabel("Description").fill("Shortest paths, flows and matchings.\nWe meet on Thursdays.");
		await page.getByLabel("Private: only members can read it").check();
		await page.getByLabel("By invitation only").check();
		await checkPage(owner, "group-new");
		await page.getByRole("button", { name: "Create the group" }).click();
		await page.getByRole("heading", { level: 1, name: privateGroup }).waitFor();
		assert.match(page.url(), GROUP_URL);
		privateGroupUrl = new URL(page.url()).pathname;
		await page.getByText("you are an owner").waitFor();
		await page.getByText("You are its only owner").waitFor();
		assert.equal(await page.getByRole("button", { name: "Leave the group" }).count(), 0);
		await page.getByRole("heading", { name: "Manage the group" }).waitFor();
	});

	it("when the owner invites an unknown username then the API's refusal shows and the username stays typed", async () => {
		const { page } = owner;
		await page.getByLabel("Username to invite").fill(`nobody_${suffix}`);
		await page.getByRole("button", { name: "Invite", exact: true }).click();
		await page
			.getByRole("alert")
			.getByText(/not found/i)
			.waitFor();
		assert.equal(await page.getByLabel("Username to invite").inputValue(), `nobody_${suffix}`);
	});

	it("when the owner invites a person by username then the invitation is listed as pending", async () => {
		const { page } = owner;
		await page.getByLabel("Username to invite").fill(inviteeName);
		await page.getByRole("button", { name: "Invite", exact: true }).click();
		await page
			.getByRole("status")
			.getByText(/is invited/)
			.waitFor();
		await page
			.getByRole("list", { name: "Pending invitations" })
			.getByRole("link", { name: inviteeName.replace(/_/g, " ") })
			.waitFor();
		await page.getByRole("button", { name: /^Revoke the invitation of/ }).waitFor();
		await checkPage(owner, "group-owner");
	});

	it("when the invitee accepts on the groups page then they are a member and may write in the group", async () => {
		const { page } = invitee;
		await page.goto("/groups");
		const invitations = page.getByRole("region", { name: "Your invitations" });
		await invitations.getByRole("link", { name: privateGroup }).waitFor();
		await checkPage(invitee, "groups-invited");
		await invitations.getByRole("button", { name: `Accept the invitation to ${privateGroup}` }).click();
		await page.getByRole("heading", { level: 1, name: privateGroup }).waitFor();
		assert.equal(new URL(page.url()).pathname, privateGroupUrl);
		await page.getByRole("button", { name: "Leave the group" }).waitFor();
		await page.getByText("you are a member").waitFor();
		assert.equal(await page.getByRole("heading", { name: "Manage the group" }).count(), 0);
	});

	it("when the invitee writes in the group then the post appears on the group's page", async () => {
		const { page } = invitee;
		await page.getByRole("link", { name: "Write in this group" }).click();
		assert.match(page.url(), /\/write\?group=[0-9a-f-]{36}$/);
		await page.getByLabel("Title").fill(postTitle);
		await page.getByLabel("Content (markdown)").click();
		await page.keyboard.insertText("Relax edges in order of distance; a heap gives O((V + E) log V).");
		await page.getByRole("button", { name: "Publish" }).click();
		await page.getByRole("heading", { level: 1, name: postTitle }).waitFor();

		await page.goto(privateGroupUrl);
		const posts = page.getByRole("region", { name: "Posts" });
		await posts.getByRole("link", { name: postTitle }).click();
		await page.getByRole("heading", { level: 1, name: postTitle }).waitFor();
		assert.match(page.url(), /\/posts\/dijkstra-with-a-binary-heap/);

		await owner.page.goto(privateGroupUrl);
		await owner.page.getByRole("region", { name: "Posts" }).getByRole("link", { name: postTitle }).waitFor();
		await owner.page
			.getByRole("table", { name: `Members of ${privateGroup}` })
			.getByRole("link", { name: inviteeName.replace(/_/g, " ") })
			.waitFor();
	});

	it("when an outsider opens the private group then they are told it is not found", async () => {
		await visitor.page.goto(privateGroupUrl);
		await visitor.page
			.getByRole("alert")
			.getByText(/not found/i)
			.waitFor();
	});

	it("when a group joins on request then a visitor sees it and is asked to sign in to join", async () => {
		const { page } = owner;
		await page.goto("/groups/new");
		await page.getByLabel("Name").fill(requestGroup);
		await page.getByLabel("On request: an admin approves each request").check();
		await page.getByRole("button", { name: "Create the group" }).click();
		await page.getByRole("heading", { level: 1, name: requestGroup }).waitFor();
		requestGroupUrl = new URL(page.url()).pathname;

		await visitor.page.goto(requestGroupUrl);
		await visitor.page.getByRole("heading", { level: 1, name: requestGroup }).waitFor();
		await visitor.page.getByRole("link", { name: "Sign in" }).first().waitFor();
		await visitor.page.getByText("No posts in this group yet.").waitFor();
		assert.equal(await visitor.page.getByRole("heading", { name: "Manage the group" }).count(), 0);
		await checkPage(visitor, "group-visitor");
	});

	it("when a person asks to join and the owner approves then they become a member (at 360 px)", async () => {
		const { page } = requester;
		await signUp(page, requesterName);
		await page.goto(requestGroupUrl);
		await page.getByRole("button", { name: "Ask to join" }).click();
		await page.getByRole("status").getByText("Your request to join was sent").waitFor();

		await owner.page.reload();
		const requests = owner.page.getByRole("list", { name: "Requests to join" });
		await requests.getByRole("link", { name: requesterName.replace(/_/g, " ") }).waitFor();
		await owner.page.getByRole("button", { name: `Approve ${requesterName.replace(/_/g, " ")}'s request` }).click();
		await owner.page
			.getByRole("table", { name: `Members of ${requestGroup}` })
			.getByRole("link", { name: requesterName.replace(/_/g, " ") })
			.waitFor();
		await owner.page.getByText("No request is waiting.").waitFor();

		await page.reload();
		await page.getByRole("button", { name: "Leave the group" }).waitFor();
		await page.getByRole("link", { name: "Write in this group" }).waitFor();
		await checkPage(requester, "group-member-360");
	});

	it("when the owner makes the new member an admin then that member sees the group's management", async () => {
		const { page } = owner;
		const name = requesterName.replace(/_/g, " ");
		await page.getByLabel(`Role of ${name}`, { exact: true }).selectOption("admin");
		const changed = page.waitForResponse(res => res.request().method() === "PATCH" && res.url().includes("/members/"));
		await page
			.getByRole("form", { name: `Change the role of ${name}` })
			.getByRole("button", { name: "Change role" })
			.click();
		assert.equal((await changed).status(), 200);

		await requester.page.reload();
		await requester.page.getByRole("heading", { name: "Manage the group" }).waitFor();
		await requester.page.getByText("you are an admin").waitFor();
	});

	it("when the owner opens their group at 360 px then its tables and forms fit and pass axe", async () => {
		const narrow = await openPage(rig, 360);
		await narrow.page.goto(`/login?next=${encodeURIComponent(requestGroupUrl)}`);
		await narrow.page.getByLabel("Username or email").fill(ownerName);
		await narrow.page.getByLabel("Password").fill(PASSWORD);
		await narrow.page.getByRole("button", { name: "Sign in" }).click();
		await narrow.page.getByRole("heading", { level: 1, name: requestGroup }).waitFor();
		await narrow.page.getByRole("heading", { name: "Manage the group" }).waitFor();
		// A string: evaluated in the page, whose globals node's types do not know.
		const overflow = await narrow.page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360 px`);
		await checkPage(narrow, "group-owner-360");
		await narrow.context.close();
	});

	it("when a member leaves a private group then it is gone from their groups", async () => {
		const { page } = invitee;
		await page.goto(privateGroupUrl);
		await page.getByRole("button", { name: "Leave the group" }).click();
		await page.getByRole("heading", { level: 1, name: "Groups" }).waitFor();
		await page.goto("/groups?mine=true");
		await page.getByText("You are in no group yet.").waitFor();
	});
});
