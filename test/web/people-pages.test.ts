/**
 * The people and admin pages in Chromium against the one-process platform: profiles (another's,
 * with rating chart and contest history; one's own, edited), the global and a group's leaderboards
 * by rating and by problems solved, account settings (visibility, password, deletion), and the
 * audit trail as an admin and as anyone else. Ratings come from two rated contests driven through
 * the API on a clock the test moves; solved counts from practice problems the judge really judges.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { registerAdmin, type TestUser } from "../helpers/accounts";
import { contestsClient, contestsInstance, FakeClock, MINUTE, minutesAfter, secretAnswer, tickNow } from "../helpers/contests";
import { eventually } from "../helpers/eventually";
import type { Api } from "../helpers/http";
import { ok } from "../helpers/posts";
import { unavailable } from "../helpers/services";
import { checkPage, chromiumMissing, openPage, startWebRig, type WatchedPage, type WebRig } from "./harness";

/** Rankings apply contest.ended and judged submissions from their inbox: asynchronous. */
const DELIVERY_MS = 30_000;
const JUDGE_MS = 90_000;

const A_PLUS_B_JS = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;

interface Person extends TestUser {
	displayName: string;
}

async function registerPerson(api: Api, username: string, displayName: string): Promise<Person> {
	const password = `pw-${username}-Long!`;
	const res = ok(
		await api("POST", "/api/auth/register", { body: { username, email: `${username}@example.com`, password, displayName } }),
		201
	);
	return { id: res.user.id, username, password, token: res.accessToken, displayName };
}

/** Signs in through the form; lands signed in. */
async function signIn(page: Page, login: string, password: string) {
	await page.goto("/login");
	await page.getByLabel("Username or email").fill(login);
	await page.getByLabel("Password").fill(password);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByRole("button", { name: "Sign out" }).waitFor();
}

describe("web client: profiles, leaderboards, settings and the audit trail", { skip: chromiumMissing() || unavailable("postgres") }, () => {
	let rig: WebRig;
	let api: Api;
	let ada: Person;
	let bob: Person;
	let admin: TestUser;
	let adaPage: WatchedPage;
	let groupId: string;
	const contests: { id: string; title: string }[] = [];
	const suffix = Date.now().toString(36).slice(-6);
	const POST_TITLE = `Notes on greedy proofs ${suffix}`;

	/**
	 * A rated contest of ada and bob on one answer problem, played to its end on the moved clock:
	 * only ada answers right, so she places first.
	 */
	async function ratedContest(clock: FakeClock, title: string) {
		const c = contestsClient({ api });
		const svc = contestsInstance(rig.platform);
		const start = minutesAfter(clock, 10);
		const contest = ok(await c.post(admin, { ...c.body(start, 60), title, rated: true }), 201);
		const answer = secretAnswer("p");
		const problem = await c.addProblem(contest.id, admin, answer);
		await c.join(contest.id, ada, bob);
		clock.set(start.getTime() + 5 * MINUTE);
		await tickNow(svc);
		ok(await c.submit(contest.id, problem.id, ada, answer), 201);
		ok(await c.submit(contest.id, problem.id, bob, "not the answer"), 201);
		clock.set(start.getTime() + 61 * MINUTE);
		await tickNow(svc);
		contests.push({ id: contest.id, title });
	}

	/** A published practice problem (a + b) by the admin. */
	async function practiceProblem(title: string): Promise<string> {
		const body = {
			title,
			statement: "Read two integers and print their **sum**.",
			timeLimitMs: 1000,
			memoryLimitMb: 64,
			tags: ["math"],
			difficulty: "easy",
			tests: [
				{ input: "1 2\n", output: "3\n", sample: true },
				{ input: "40 2\n", output: "42\n" }
			]
		};
		const problem = ok(await api("POST", "/api/problems", { token: admin.token, body }), 201);
		ok(await api("POST", `/api/problems/${problem.id}/publish`, { token: admin.token }));
		return problem.id;
	}

	async function solve(problemId: string, who: TestUser) {
		const sent = ok(
			await api("POST", `/api/problems/${problemId}/submissions`, {
				token: who.token,
				body: { language: "javascript", source: A_PLUS_B_JS }
			}),
			202
		);
		const done = await eventually(
			`submission ${sent.id} judged`,
			async () => ok(await api("GET", `/api/submissions/${sent.id}`, { token: who.token })),
			s => s.status === "done",
			JUDGE_MS,
			250
		);
		assert.equal(done.verdict, "AC", JSON.stringify(done));
	}

	before(async () => {
		rig = await startWebRig("people", { RATE_LIMIT_MAX: "1000000", ACCESS_TOKEN_TTL_S: "3600" });
		api = rig.platform.api;
		const clock = new FakeClock(Math.ceil(Date.now() / MINUTE) * MINUTE);
		contestsInstance(rig.platform).clock = clock;
		ada = await registerPerson(api, `ada_${suffix}`, "Ada Lovelace");
		bob = await registerPerson(api, `bob_${suffix}`, "Bob Babbage");
		admin = await registerAdmin(api, rig.platform.broker);
		ok(await api("PATCH", "/api/users/me", { token: bob.token, body: { bio: "Engines, mostly analytical." } }));
		ok(
			await api("POST", "/api/posts", {
				token: bob.token,
				body: {
					title: POST_TITLE,
					content: "Exchange arguments, step by step.",
					category: "algorithms",
					tags: ["greedy"],
					status: "published"
				}
			}),
			201
		);
		const group = ok(
			await api("POST", "/api/groups", {
				token: ada.token,
				body: { name: `Analytical ${suffix}`, description: "Engines.", visibility: "public", joinPolicy: "open" }
			}),
			201
		);
		groupId = group.id;
		ok(await api("POST", `/api/groups/${groupId}/join`, { token: bob.token }));

		await ratedContest(clock, `Spring round ${suffix}`);
		await ratedContest(clock, `Summer round ${suffix}`);
		for (const who of [ada, bob])
			await eventually(
				`${who.username} rated twice`,
				async () => ok(await api("GET", `/api/users/${who.username}/rating`)),
				r => r.history.length === 2,
				DELIVERY_MS,
				200
			);

		// Practice: bob solves two problems, ada one, so the solved board orders bob above ada.
		const [first, second] = [await practiceProblem(`Sum ${suffix}`), await practiceProblem(`Sum again ${suffix}`)];
		await solve(first, bob);
		await solve(second, bob);
		await solve(first, ada);
		await eventually(
			"the solved counts",
			async () => [
				ok(await api("GET", `/api/users/${bob.username}/rating`)).solved,
				ok(await api("GET", `/api/users/${ada.username}/rating`)).solved
			],
			([b, a]) => b === 2 && a === 1,
			DELIVERY_MS,
			200
		);

		adaPage = await openPage(rig);
		await signIn(adaPage.page, ada.username, ada.password);
	});

	after(async () => {
		await rig?.stop();
	});

	it("when someone opens another person's profile then name, bio, standing, contests, the rating chart and their posts show", async () => {
		const { page } = adaPage;
		await page.goto(`/users/${bob.username}`);
		await page.getByRole("heading", { level: 1, name: bob.displayName }).waitFor();
		await page.getByText("Engines, mostly analytical.").waitFor();
		const chart = page.getByRole("img", { name: /^Rating history: 2 rated contests, from 1500 to \d+/ });
		await chart.waitFor();
		const standing = page.locator(".standing");
		assert.match((await standing.textContent()) ?? "", /Rating\d{3,4}Rank#2Problems solved2Rank by problems solved#1/);
		for (const contest of contests) {
			const link = page.getByRole("region", { name: "Contests" }).getByRole("link", { name: contest.title });
			assert.equal(await link.getAttribute("href"), `/contests/${contest.id}`);
		}
		await page.getByRole("link", { name: POST_TITLE }).waitFor();
		assert.equal(await page.getByRole("button", { name: "Edit profile" }).count(), 0, "no editor on another's profile");

		// The chart's numbers, in a table that opens below it: a row per rated contest, each losing rating.
		await page.getByText("Rating history as a table").click();
		const rows = page.locator(".rating-figure tbody tr");
		assert.equal(await rows.count(), 2);
		for (const row of await rows.all()) assert.match((await row.locator("td").last().textContent()) ?? "", /^-\d+$/);
		await checkPage(adaPage, "profile-other");
	});

	it("when a person edits their own bio then their profile shows it, also after a reload", async () => {
		const { page } = adaPage;
		await page.getByRole("banner").getByRole("link", { name: ada.displayName }).click();
		await page.getByRole("heading", { level: 1, name: ada.displayName }).waitFor();
		await page.getByRole("button", { name: "Edit profile" }).click();
		await page.getByLabel("Bio").fill("First programmer; notes on the Engine.");
		await checkPage(adaPage, "profile-own-editing");
		await page.getByRole("button", { name: "Save profile" }).click();
		await page.getByRole("status").filter({ hasText: "Profile saved." }).waitFor();
		await page.getByText("First programmer; notes on the Engine.").waitFor();
		await page.reload();
		await page.getByText("First programmer; notes on the Engine.").waitFor();
		await page.getByRole("img", { name: /^Rating history: 2 rated contests, from 1500 to/ }).waitFor();
		await checkPage(adaPage, "profile-own");
	});

	it("when the profile is read on a 360 px screen then nothing overflows the page sideways", async () => {
		const narrow = await openPage(rig, 360);
		try {
			await signIn(narrow.page, bob.username, bob.password);
			await narrow.page.goto(`/users/${ada.username}`);
			await narrow.page.getByRole("img", { name: /^Rating history/ }).waitFor();
			await narrow.page.getByRole("link", { name: contests[0].title }).waitFor();
			const width = await narrow.page.evaluate<number>("document.documentElement.scrollWidth");
			assert.ok(width <= 360, `the page is ${width} px wide`);
			await checkPage(narrow, "profile-360");
		} finally {
			await narrow.context.close();
		}
	});

	it("when the leaderboard is opened then the rated are in rating order, the caller's line marked, and by solved the order follows", async () => {
		const { page } = adaPage;
		await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Leaderboard" }).click();
		await page.getByRole("heading", { level: 1, name: "Leaderboard" }).waitFor();
		const rows = page.locator("table.board tbody tr");
		await page.getByRole("link", { name: bob.displayName }).waitFor(); // the names, learnt after the board
		const lines = async () =>
			Promise.all(
				(await rows.all()).map(async row => [await row.locator("td").first().textContent(), await row.locator("th").textContent()])
			);
		assert.deepEqual(await lines(), [
			["1", `${ada.displayName} @${ada.username} (you)`],
			["2", `${bob.displayName} @${bob.username}`]
		]);
		assert.equal(await page.locator('tr[aria-current="true"]').count(), 1);
		await page.getByText("Your place: #1 of 2, highlighted below.").waitFor();
		await checkPage(adaPage, "leaderboard");

		await page.getByRole("link", { name: "By problems solved" }).click();
		await page.waitForURL(/\/leaderboard\?by=solved$/);
		await page.getByText("Your place: #2 of 2, highlighted below.").waitFor();
		assert.deepEqual(await lines(), [
			["1", `${bob.displayName} @${bob.username}`],
			["2", `${ada.displayName} @${ada.username} (you)`]
		]);
		await checkPage(adaPage, "leaderboard-solved");

		await page.getByRole("link", { name: bob.displayName }).click();
		await page.getByRole("heading", { level: 1, name: bob.displayName }).waitFor();
	});

	it("when a group's leaderboard is opened then its members are ranked, linking back to the group", async () => {
		const { page } = adaPage;
		await page.goto(`/groups/${groupId}/leaderboard`);
		await page.getByRole("heading", { level: 1, name: `Analytical ${suffix}: leaderboard` }).waitFor();
		await page.getByRole("link", { name: bob.displayName }).waitFor();
		assert.equal(await page.locator('tr[aria-current="true"] th').textContent(), `${ada.displayName} @${ada.username} (you)`);
		assert.equal(await page.getByRole("link", { name: `Analytical ${suffix}` }).getAttribute("href"), `/groups/${groupId}`);
		await checkPage(adaPage, "group-leaderboard");
	});

	it("when a person makes their profile private then others find no profile; public again, it is back", async () => {
		const { page } = adaPage;
		await page.goto("/settings");
		await page.getByRole("heading", { level: 1, name: "Account settings" }).waitFor();
		await page.getByLabel(/Only me/).check();
		await page.getByRole("button", { name: "Save preferences" }).click();
		await page.getByRole("status").filter({ hasText: "Preferences saved." }).waitFor();
		assert.equal((await api("GET", `/api/users/${ada.username}`)).status, 404);
		// Their own profile still shows them, and says why the standing is hidden.
		await page.goto(`/users/${ada.username}`);
		await page.getByText("Your profile is private").waitFor();

		await page.goto("/settings");
		await page.getByLabel(/Everyone/).check();
		await page.getByRole("button", { name: "Save preferences" }).click();
		await page.getByRole("status").filter({ hasText: "Preferences saved." }).waitFor();
		assert.equal((await api("GET", `/api/users/${ada.username}`)).status, 200);
		await checkPage(adaPage, "settings");
	});

	it("when a person changes their password then a wrong current one is refused, and the new one signs them in", async () => {
		const { page } = adaPage;
		const next = "a new horse battery staple 7";
		await page.goto("/settings");
		await page.getByLabel("Current password").fill("not my password at all");
		await page.getByLabel("New password", { exact: true }).fill(next);
		await page.getByLabel("New password again").fill(next);
		await page.getByRole("button", { name: "Change password" }).click();
		await page
			.getByRole("alert")
			.getByText(/current password is not correct/)
			.waitFor();
		assert.equal(await page.getByLabel("New password", { exact: true }).inputValue(), next, "what was typed stays");

		await page.getByLabel("Current password").fill(ada.password);
		await page.getByRole("button", { name: "Change password" }).click();
		await page.getByRole("status").filter({ hasText: "Password changed." }).waitFor();
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.getByRole("link", { name: "Sign in" }).waitFor();
		await signIn(page, ada.username, next);
		ada.password = next;
	});

	it("when a person deletes their account after confirming then they are signed out and their profile is gone", async () => {
		const leaving = await registerPerson(api, `cyd_${suffix}`, "Cyd Leaving");
		const watched = await openPage(rig);
		try {
			const { page } = watched;
			await signIn(page, leaving.username, leaving.password);
			await page.goto("/settings");
			await page.getByRole("button", { name: "Delete my account…" }).click();
			await page.getByLabel(/^Type your username/).fill("someone else");
			await page.getByRole("button", { name: "Delete my account permanently" }).click();
			await page.getByRole("alert").getByText("Type your username exactly to confirm").waitFor();
			await checkPage(watched, "settings-delete");
			await page.getByLabel(/^Type your username/).fill(leaving.username);
			await page.getByRole("button", { name: "Delete my account permanently" }).click();
			await page.getByRole("heading", { level: 1, name: "Your account is deleted" }).waitFor();
			await page.getByRole("link", { name: "Sign in" }).waitFor();
			assert.equal((await api("GET", `/api/users/${leaving.username}`)).status, 404);
		} finally {
			await watched.context.close();
		}
	});

	it("when an admin opens the audit trail then events show, and filtering by type keeps only that type", async () => {
		const watched = await openPage(rig);
		try {
			const { page } = watched;
			await signIn(page, admin.username, admin.password);
			await page.getByRole("link", { name: "Audit" }).click();
			await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
			await page.locator("table.audit tbody tr").first().waitFor();
			await checkPage(watched, "audit");

			await page.getByLabel("Event type").fill("contest.ended");
			await page.getByRole("button", { name: "Apply filters" }).click();
			await page.waitForURL(/type=contest\.ended/);
			await page.getByRole("status").filter({ hasText: "2 events match the filters." }).waitFor();
			const types = await page.locator("table.audit tbody th a").allTextContents();
			assert.deepEqual(types, ["contest.ended", "contest.ended"]);
			await page.locator("table.audit tbody tr").first().getByText("Show").click();
			await page
				.locator(".payload")
				.first()
				.getByText(/"rated": true/)
				.waitFor();
			await checkPage(watched, "audit-filtered");
		} finally {
			await watched.context.close();
		}
	});

	it("when someone who is not an admin opens the audit trail then they read that it is for admins only", async () => {
		const { page } = adaPage;
		await page.goto("/admin/audit");
		await page
			.getByRole("alert")
			.getByText(/^Admins only/)
			.waitFor();
		assert.equal(await page.getByRole("link", { name: "Audit" }).count(), 0, "the layout offers no Audit link");
		assert.equal((await api("GET", "/api/admin/audit", { token: bob.token })).status, 403, "the API refuses them too");
		await checkPage(adaPage, "audit-forbidden");
	});
});
