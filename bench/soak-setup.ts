/**
 * What the soak's requests need before the load: users registered through the API (so their
 * user.created events flow like any other), an A+B practice problem one of them publishes (when the
 * judge runs JavaScript here), and published posts to read.
 */
import { randomBytes } from "node:crypto";
import { JudgeApi } from "./judge-client";
import { untilOk } from "./until-ok";
import type { MixContext, SoakUser } from "./soak-mix";

const USERS = 10;
const POSTS_TO_READ = 20;
const TESTS = 5;

export interface SoakSetup extends MixContext {
	/** Why there are no submissions, when there are none. */
	submissionsSkipped?: string;
}

function aPlusBProblem(): Record<string, unknown> {
	const tests = Array.from({ length: TESTS }, (_, i) => {
		const [a, b] = [(i * 7919) % 100_000, -((i * 104_729) % 1_000_000)];
		return { input: `${a} ${b}\n`, output: `${a + b}\n`, ...(i === 0 ? { sample: true } : {}) };
	});
	return {
		title: "A plus B (soak)",
		statement: "Read two integers and print their **sum**.",
		timeLimitMs: 1000,
		memoryLimitMb: 64,
		difficulty: "easy",
		tests
	};
}

export async function setUpSoak(baseUrl: string, deadline: number, alive: () => void): Promise<SoakSetup> {
	const api = new JudgeApi(baseUrl);
	try {
		const runId = randomBytes(3).toString("hex");
		const users: SoakUser[] = [];
		for (let i = 0; i < USERS; i++) {
			const username = `soak_${runId}_${i}`;
			const body = { username, email: `${username}@example.com`, password: `Soak-${randomBytes(12).toString("hex")}!` };
			const registered = await untilOk("POST /api/auth/register", deadline, alive, () =>
				api.request("POST", "/api/auth/register", undefined, body)
			);
			users.push({ username, accessToken: registered.accessToken as string });
		}

		const slugs: string[] = [];
		for (let i = 0; i < POSTS_TO_READ; i++) {
			const post = {
				title: `Soak reading ${runId} ${i}`,
				content: `A post to read, **${i}**.`,
				category: "algorithms",
				tags: ["soak"],
				status: "published"
			};
			const created = await untilOk("POST /api/posts", deadline, alive, () =>
				api.request("POST", "/api/posts", users[i % USERS].accessToken, post)
			);
			slugs.push(created.slug as string);
		}

		const languages = (await untilOk("GET /api/judge/languages", deadline, alive, () =>
			api.request("GET", "/api/judge/languages")
		)) as unknown as { id: string; available: boolean; reason?: string }[];
		const javascript = languages.find(l => l.id === "javascript");
		if (!javascript?.available)
			return {
				runId,
				users,
				slugs,
				submissionsSkipped: `the judge cannot run JavaScript here: ${javascript?.reason ?? "not listed"}`
			};

		const author = users[0].accessToken;
		const problem = await untilOk("POST /api/problems", deadline, alive, () =>
			api.request("POST", "/api/problems", author, aPlusBProblem())
		);
		const problemId = problem.id as string;
		await untilOk("POST /api/problems/:id/publish", deadline, alive, () =>
			api.request("POST", `/api/problems/${problemId}/publish`, author, {})
		);
		return { runId, users, slugs, problemId };
	} finally {
		api.close();
	}
}
