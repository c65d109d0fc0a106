/**
 * The contests and practice journey in Chromium against the one-process platform: an organiser
 * creates a contest starting a minute later, with an answer problem and a code problem; another
 * person registers, and their open page shows the problems when it starts. They answer and send a
 * program (the judge's progress shown live, then the verdict), and the organiser's open
 * leaderboard counts each solve without a reload. The board is frozen for the participant (the
 * whole contest is in its freeze), with their own row live. Then the practice archive: an author
 * writes and publishes a problem, a learner solves it in JavaScript with the live verdict, and
 * their code survives a reload. Last, a team registers in a team contest and withdraws. Every page
 * passes axe and the CSP, two at 360 px.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { unavailable } from "../helpers/services";
import { checkPage, chromiumMissing, openPage, signUp, startWebRig, type WatchedPage, type WebRig } from "./harness";

/** Seconds between creating the contest and its start: enough to add its problems and register before. */
const START_IN_S = 30;
/** The start, the leaderboard's poll (4 s) and a judging on a loaded two-core machine. */
const LIVE_DEADLINE_MS = 90_000;

const SUM_SOLUTION = 'const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n';
const WRONG_SOLUTION = "console.log(42);\n";

/** A datetime-local value (the browser's own time zone) this many seconds from now. */
const localTimeIn = (page: Page, seconds: number) =>
	// No helper function inside: tsx would wrap it in a helper the page does not have.
	page.evaluate(s => {
		const at = new Date(Date.now() + s * 1000);
		return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
	}, seconds);

/** Replaces the text of a CodeMirror editor (it lives in a shadow root, which Playwright's locators pierce). */
async function typeCode(page: Page, editor: Locator, code: string) {
	await editor.click();
	await page.keyboard.press("ControlOrMeta+A");
	await page.keyboard.press("Delete");
	await page.keyboard.insertText(code);
}

/**
 * Everything the judging region said, in order: a MutationObserver records each text it shows, so
 * the test sees the steps the stream moved it through, however fast they went.
 */
async function recordJudging(page: Page, region: Locator) {
	await region.evaluate(node => {
		const browser = globalThis as unknown as InBrowser;
		const seen: string[] = (browser.judgingTexts = []);
		new browser.MutationObserver(() => seen.push(node.textContent ?? "")).observe(node, {
			childList: true,
			subtree: true,
			characterData: true
		});
	});
	return () => page.evaluate(() => (globalThis as unknown as InBrowser).judgingTexts);
}

/** What the test keeps in, and uses of, the page's window (the server's TypeScript has no DOM types). */
interface InBrowser {
	judgingTexts: string[];
	stayedOpen?: boolean;
	MutationObserver: new (callback: () => void) => { observe(node: unknown, options: object): void };
}

/** Sends the answer typed, waiting out the throttle (one answer per problem every 5 s) when the page says to; answers the verdict shown. */
async function sendAnswer(page: Page): Promise<string> {
	const verdict = page.getByTestId("answer-verdict").filter({ hasText: /Accepted|Wrong answer/ });
	const throttled = page.getByRole("alert").filter({ hasText: /Try again in \d+ seconds/ });
	for (;;) {
		await page.getByRole("button", { name: "Send the answer" }).click();
		await verdict.or(throttled).first().waitFor();
		if (!(await throttled.count())) return (await verdict.textContent()) ?? "";
		const seconds = Number(/in (\d+) seconds/.exec((await throttled.textContent()) ?? "")?.[1]);
		await page.waitForTimeout(seconds * 1000);
	}
}

/** Calls the API as the page's signed-in person (with the token the client keeps), for what this journey does not click through. */
async function apiAs<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
	return page.evaluate(
		async request => {
			const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
			const { accessToken } = JSON.parse(storage.getItem("code-learn:tokens") ?? "{}") as { accessToken?: string };
			const res = await fetch(request.path, {
				method: request.method,
				headers: {
					Authorization: `Bearer ${accessToken}`,
					...(request.body === undefined ? {} : { "Content-Type": "application/json" })
				},
				body: request.body === undefined ? undefined : JSON.stringify(request.body)
			});
			if (!res.ok) throw new Error(`${request.method} ${request.path}: ${res.status} ${await res.text()}`);
			return (await res.json()) as T;
		},
		{ method, path, body }
	);
}

/** The solved count of a person's row on the leaderboard (the cell after their name). */
const solvedCell = (page: Page, name: string) => page.locator("table.board tbody tr", { hasText: name }).locator("td").nth(1);

describe(
	"web client: contests with a live leaderboard, and the practice archive",
	{ skip: chromiumMissing() || unavailable("postgres") },
	() => {
		let rig: WebRig;
		let organiser: WatchedPage;
		let participant: WatchedPage;
		let author: WatchedPage;
		const suffix = Date.now().toString(36);
		const participantName = `bea_${suffix}`;
		const participantShown = participantName.replace(/_/g, " ");
		const contestTitle = `Autumn cup ${suffix}`;
		const problemTitle = `Sum of two ${suffix}`;
		let contestUrl = "";

		before(async () => {
			rig = await startWebRig("contests");
			organiser = await openPage(rig);
			participant = await openPage(rig);
			author = await openPage(rig);
			for (const watched of [organiser, participant, author]) watched.page.on("dialog", dialog => void dialog.accept());
		});

		after(async () => {
			await rig?.stop();
		});

		it("when signed out then /contests lists contests by status without a create link, and passes axe", async () => {
			const { page } = organiser;
			await page.goto("/contests");
			await page.getByRole("heading", { level: 1, name: "Contests" }).waitFor();
			await page.getByText("No contest is running now.").waitFor();
			assert.equal(await page.getByRole("link", { name: "Create a contest" }).count(), 0);
			assert.equal(await page.getByRole("link", { name: "Running" }).getAttribute("aria-current"), "page");
			await checkPage(organiser, "contests");
		});

		it("when a person creates a contest then its page lists it as upcoming, with a countdown", async () => {
			const { page } = organiser;
			await signUp(page, `olaf_${suffix}`);
			await page.goto("/contests");
			await page.getByRole("link", { name: "Create a contest" }).click();
			await page.getByLabel("Title").fill(contestTitle);
			await page.getByLabel("Description").fill("Two problems, five minutes.");
			assert.equal(await page.getByLabel(/^Rated/).count(), 0, "only admins see the rated switch");
			await checkPage(organiser, "contest-new");
			await page.getByLabel("Starts").fill(await localTimeIn(page, START_IN_S));
			await page.getByLabel("Ends").fill(await localTimeIn(page, START_IN_S + 5 * 60));
			// A freeze as long as the contest: everyone but the organiser sees the board as at the start.
			await page.getByLabel(/^Freeze the standings/).fill("5");
			await page.getByRole("button", { name: "Create the contest" }).click();
			await page.getByRole("heading", { level: 1, name: contestTitle }).waitFor();
			contestUrl = new URL(page.url()).pathname;
			assert.match(contestUrl, /^\/contests\/[0-9a-f-]{36}$/);
			await page.getByText("upcoming", { exact: true }).waitFor();
			await page.getByRole("timer").first().waitFor();
		});

		it("when the organiser adds an answer problem and a code problem then both are listed, lettered", async () => {
			const { page } = organiser;
			await page.getByLabel("Problem title").fill("The answer");
			await page.getByLabel("Statement", { exact: true }).fill("What is six times seven?");
			await page.getByLabel("The answer", { exact: true }).fill("42");
			await page.getByRole("button", { name: "Add the problem" }).click();
			await page.getByRole("heading", { name: "A. The answer" }).waitFor();

			await page.getByLabel(/a program, run on tests/).check();
			await page.getByLabel("Problem title").fill("Sum");
			await page.getByLabel("Statement", { exact: true }).fill("Print the sum of the two numbers of the input.");
			await page.getByLabel("Test 1: input").fill("1 2\n");
			await page.getByLabel("Test 1: expected output").fill("3\n");
			await page.getByRole("button", { name: "Add a test" }).click();
			await page.getByLabel("Test 2: input").fill("5 6\n");
			await page.getByLabel("Test 2: expected output").fill("11\n");
			await page.getByRole("button", { name: "Add the problem" }).click();
			await page.getByRole("heading", { name: "B. Sum" }).waitFor();
			await checkPage(organiser, "contest-organiser-upcoming");
		});

		it("when another person registers then their page waits for the start", async () => {
			const { page } = participant;
			await signUp(page, participantName);
			await page.goto(contestUrl);
			await page.getByRole("button", { name: "Register" }).click();
			await page.getByText("You are registered").waitFor();
			assert.equal(await page.getByRole("heading", { name: "A. The answer" }).count(), 0);
		});

		it("when the contest starts then the problems appear, and each solve reaches the organiser's open leaderboard live", async () => {
			await organiser.page.goto(`${contestUrl}/leaderboard`);
			await organiser.page.getByRole("heading", { level: 1, name: `${contestTitle}: leaderboard` }).waitFor();
			await solvedCell(organiser.page, participantShown).waitFor();
			// Set once on the open page: still there at the end proves nothing reloaded it.
			await organiser.page.evaluate(() => ((globalThis as unknown as InBrowser).stayedOpen = true));

			const { page } = participant;
			await page.getByRole("heading", { name: "A. The answer" }).waitFor({ timeout: LIVE_DEADLINE_MS });
			await organiser.page
				.getByTestId("board-status")
				.getByText(/^Live standings/)
				.waitFor({ timeout: LIVE_DEADLINE_MS });

			await page.getByLabel("Your answer to problem A").fill("41");
			assert.equal(await sendAnswer(page), "Wrong answer");
			await page.getByLabel("Your answer to problem A").fill("42");
			assert.equal(await sendAnswer(page), "Accepted");
			await solvedCell(organiser.page, participantShown).filter({ hasText: /^1$/ }).waitFor({ timeout: LIVE_DEADLINE_MS });

			const editor = page.getByLabel(/^Solution to B\. Sum/);
			await editor.waitFor();
			await checkPage(participant, "contest-running");
			await typeCode(page, editor, SUM_SOLUTION);
			const said = await recordJudging(page, page.getByTestId("judging"));
			await page.getByRole("button", { name: "Submit", exact: true }).click();
			await page.getByTestId("judging").getByText("Accepted").waitFor({ timeout: LIVE_DEADLINE_MS });
			const steps = await said();
			assert.ok(
				steps.some(text => /Compiling|Running test \d+ of 2/.test(text)),
				`the judge's progress is shown before the verdict: ${JSON.stringify(steps)}`
			);
			await page.getByRole("table", { name: "Tests" }).waitFor();
			await page.getByRole("cell", { name: "B. Sum" }).waitFor();

			await solvedCell(organiser.page, participantShown).filter({ hasText: /^2$/ }).waitFor({ timeout: LIVE_DEADLINE_MS });
			assert.equal(await organiser.page.evaluate(() => (globalThis as unknown as InBrowser).stayedOpen), true);
			await organiser.page.getByText("You see them live.").waitFor();
			await checkPage(organiser, "leaderboard-live");
		});

		it("when the participant opens the leaderboard during the freeze then it says so, with their own row live", async () => {
			const { page } = participant;
			await page.getByRole("navigation", { name: "Contest" }).getByRole("link", { name: "Leaderboard" }).click();
			await page.getByTestId("frozen").getByText("The standings are frozen.").waitFor();
			const live = page.getByRole("table", { name: "Your live standing" });
			await live.locator("td").nth(1).filter({ hasText: /^2$/ }).waitFor();
			const frozen = page.getByRole("table", { name: "Standings at the freeze" });
			assert.equal(await frozen.locator("tbody tr", { hasText: participantShown }).locator("td").nth(1).textContent(), "0");
			await checkPage(participant, "leaderboard-frozen");
		});

		it("when an author writes a practice problem and publishes it then the archive lists it", async () => {
			const { page } = author;
			await signUp(page, `ada_${suffix}`);
			await page.goto("/problems");
			await page.getByRole("link", { name: "Write a problem" }).click();
			await page.getByLabel("Title").fill(problemTitle);
			await page
				.getByLabel("Statement", { exact: true })
				.fill("Read two integers and print their sum.\n\n```js\nconsole.log(1 + 2);\n```\n");
			await page.getByLabel("Difficulty").selectOption("easy");
			await page.getByLabel("Tags").fill("math, warm-up");
			await page.getByLabel("Test 1: input").fill("1 2\n");
			await page.getByLabel("Test 1: expected output").fill("3\n");
			await page.getByRole("button", { name: "Add a test" }).click();
			await page.getByLabel("Test 2: input").fill("-4 10\n");
			await page.getByLabel("Test 2: expected output").fill("6\n");
			await checkPage(author, "problem-new");
			await page.getByRole("button", { name: "Create the draft" }).click();
			await page.getByRole("heading", { level: 1, name: problemTitle }).waitFor();
			await page.getByText("This problem is a draft").waitFor();
			await page.getByRole("button", { name: "Publish" }).click();
			await page.getByText("This problem is in the archive.").waitFor();
		});

		it("when a learner submits JavaScript then the verdict comes live, and their code survives a reload", async () => {
			const { page } = participant;
			await page.goto("/problems?tag=math");
			await page.getByRole("link", { name: problemTitle }).waitFor();
			await checkPage(participant, "problems");
			await page.getByRole("link", { name: problemTitle }).click();
			await page.getByRole("heading", { level: 1, name: problemTitle }).waitFor();
			await page.locator(".statement pre code .tok-keyword, .statement pre code .tok-variableName").first().waitFor();
			const editor = page.getByLabel(/^Solution to .* \(JavaScript\)$/);
			await editor.waitFor();
			await checkPage(participant, "problem");

			await typeCode(page, editor, WRONG_SOLUTION);
			await page.getByRole("button", { name: "Submit", exact: true }).click();
			await page.getByTestId("judging").getByText("Wrong answer").waitFor({ timeout: LIVE_DEADLINE_MS });

			await typeCode(page, editor, SUM_SOLUTION);
			const said = await recordJudging(page, page.getByTestId("judging"));
			await page.getByRole("button", { name: "Submit", exact: true }).click();
			await page.getByTestId("judging").getByText("Accepted").waitFor({ timeout: LIVE_DEADLINE_MS });
			assert.ok((await said()).some(text => /Compiling|Running test/.test(text)));
			const mine = page.getByRole("region", { name: "Your submissions" });
			await mine.getByRole("cell", { name: "Accepted" }).waitFor();
			await mine.getByRole("cell", { name: "Wrong answer" }).waitFor();
			await page.getByText("you solved it").waitFor();

			await page.reload();
			await page.getByText("console.log(a + b);").waitFor();

			await mine.getByRole("link").first().click();
			await page.getByRole("heading", { level: 1, name: "Submission" }).waitFor();
			await page.getByRole("table", { name: "Tests" }).waitFor();
			await checkPage(participant, "submission");
		});

		it("when a group's member registers a team in a team contest then it is listed, and withdrawn before the start", async () => {
			// The group and the contest through the API: their own forms are covered above and in the groups journey.
			const groupName = `Team lab ${suffix}`;
			const group = await apiAs<{ id: string }>(author.page, "POST", "/api/groups", { name: groupName });
			await apiAs(participant.page, "POST", `/api/groups/${group.id}/join`);
			const startsAt = new Date(Date.now() + 3_600_000);
			const contest = await apiAs<{ id: string }>(organiser.page, "POST", "/api/contests", {
				title: `Team relay ${suffix}`,
				startsAt: startsAt.toISOString(),
				endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
				scoring: "points",
				teams: { maxSize: 2 }
			});

			const { page } = author;
			await page.goto(`/contests/${contest.id}`);
			await page.getByText("A team contest").waitFor();
			await page.getByLabel("Group of the team").selectOption({ label: groupName });
			await page.getByLabel("Team name").fill("Pair of ducks");
			await page.getByLabel(participantShown).check();
			await page.getByRole("button", { name: "Register the team" }).click();
			await page.getByRole("heading", { name: "Teams (1)" }).waitFor();
			await page.getByRole("listitem").filter({ hasText: "Pair of ducks (your team)" }).getByText(participantShown).waitFor();
			await checkPage(author, "contest-team");
			await page.getByRole("button", { name: "Withdraw your team" }).click();
			await page.getByRole("heading", { name: "Teams (0)" }).waitFor();
		});

		it("when someone opens a running contest at 360 px then it reads well and passes axe", async () => {
			const narrow = await openPage(rig, 360);
			await narrow.page.goto(contestUrl);
			await narrow.page.getByRole("heading", { level: 1, name: contestTitle }).waitFor();
			await narrow.page.getByText("Sign in and register to see the problems.").waitFor();
			await checkPage(narrow, "contest-360");
			await narrow.page.goto(`${contestUrl}/leaderboard`);
			await narrow.page.getByTestId("frozen").waitFor();
			await checkPage(narrow, "leaderboard-360");
			await narrow.context.close();
		});
	}
);
