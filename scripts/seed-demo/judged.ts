/** The practice problem and the contest: created, published, entered and answered through the API. */
import { setTimeout as delay } from "node:timers/promises";
import type { Api } from "./api";
import { type Accounts, markdown } from "./community";
import { CONTEST, PRACTICE_PROBLEM } from "./content/problems";

const DAY_MS = 24 * 3600 * 1000;
/** How long the seed waits past the contest's start for the platform to call it running. */
const START_GRACE_MS = 15_000;

interface Created {
	id: string;
}

export interface Contest {
	id: string;
	startsAt: Date;
	problemIds: { answers: string[]; code: string };
}

/** Writes the problem, publishes it into the archive, and submits its reference solutions (judged in the background). */
export async function publishPracticeProblem(api: Api, accounts: Accounts): Promise<void> {
	const { author, title, file, difficulty, tags, timeLimitMs, memoryLimitMb, tests, solutions } = PRACTICE_PROBLEM;
	const token = accounts[author].token;
	const { id } = await api<Created>("POST", "/api/problems", {
		token,
		body: { title, statement: markdown("problems", file), difficulty, tags, timeLimitMs, memoryLimitMb, tests }
	});
	await api("POST", `/api/problems/${id}/publish`, { token });
	for (const { author: who, language, source } of solutions) {
		await api("POST", `/api/problems/${id}/submissions`, { token: accounts[who].token, body: { language, source } });
	}
}

/** The contest, starting a few seconds from now by the server's clock, with its problems and participants. */
export async function openContest(api: Api, accounts: Accounts, clockSkewMs: number): Promise<Contest> {
	const token = accounts[CONTEST.organiser].token;
	const startsAt = new Date(Date.now() + clockSkewMs + CONTEST.startsInS * 1000);
	const endsAt = new Date(startsAt.getTime() + CONTEST.durationDays * DAY_MS);
	const { id } = await api<Created>("POST", "/api/contests", {
		token,
		body: {
			title: CONTEST.title,
			description: CONTEST.description,
			startsAt: startsAt.toISOString(),
			endsAt: endsAt.toISOString(),
			scoring: "icpc"
		}
	});
	const answers: string[] = [];
	for (const { title, statement, answer } of CONTEST.answerProblems) {
		answers.push(
			(await api<Created>("POST", `/api/contests/${id}/problems`, { token, body: { kind: "answer", title, statement, answer } })).id
		);
	}
	const { title, file, timeLimitMs, memoryLimitMb, tests } = CONTEST.codeProblem;
	const code = await api<Created>("POST", `/api/contests/${id}/problems`, {
		token,
		body: { kind: "code", title, statement: markdown("problems", file), timeLimitMs, memoryLimitMb, tests }
	});
	for (const person of CONTEST.participants) await api("POST", `/api/contests/${id}/register`, { token: accounts[person].token });
	return { id, startsAt, problemIds: { answers, code: code.id } };
}

/** Waits for the start, then the participants answer, so the board has standings. */
export async function playContest(api: Api, accounts: Accounts, contest: Contest): Promise<void> {
	const deadline = contest.startsAt.getTime() + START_GRACE_MS;
	for (;;) {
		const { status } = await api<{ status: string }>("GET", `/api/contests/${contest.id}`, {
			token: accounts[CONTEST.organiser].token
		});
		if (status === "running") break;
		if (Date.now() > deadline)
			throw new Error(`The contest ${contest.id} did not start (still ${status}) by ${new Date(deadline).toISOString()}`);
		await delay(250);
	}
	const base = `/api/contests/${contest.id}/problems`;
	for (const [person, index, answer] of CONTEST.answers) {
		await api("POST", `${base}/${contest.problemIds.answers[index]}/submissions`, { token: accounts[person].token, body: { answer } });
	}
	for (const { author, language, source } of CONTEST.programs) {
		await api("POST", `${base}/${contest.problemIds.code}/programs`, { token: accounts[author].token, body: { language, source } });
	}
}
