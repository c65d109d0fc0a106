/** The demo, in the order the platform needs it: people, then what they make together. */
import { apiClient } from "./api";
import { createGroups, registerPeople, writePosts } from "./community";
import { GROUPS } from "./content/groups";
import { PEOPLE, type Person } from "./content/people";
import { POSTS } from "./content/posts";
import { CONTEST, PRACTICE_PROBLEM } from "./content/problems";
import { assertEmpty } from "./emptiness";
import { openContest, playContest, publishPracticeProblem } from "./judged";

export interface Seeded {
	baseUrl: string;
	password: string;
	seconds: number;
	comments: number;
	reactions: number;
}

export async function seedDemo(baseUrl: string, password: string): Promise<Seeded> {
	const started = performance.now();
	const { api, probe } = apiClient(baseUrl);
	const clockSkewMs = await assertEmpty(
		probe,
		baseUrl,
		Object.values(PEOPLE).map(p => p.username)
	);
	const accounts = await registerPeople(api, password);
	// The contest first: it must start in the future, and the rest of the seed passes the wait.
	const contest = await openContest(api, accounts, clockSkewMs);
	const groups = await createGroups(api, accounts);
	const { comments, reactions } = await writePosts(api, accounts, groups);
	await publishPracticeProblem(api, accounts);
	await playContest(api, accounts, contest);
	return { baseUrl, password, seconds: (performance.now() - started) / 1000, comments, reactions };
}

/** What each person does in the demo, to pick whom to sign in as. */
function rolesOf(person: Person): string[] {
	const roles = Object.values(GROUPS).flatMap(g => (g.owner === person ? [`owns ${g.name}`] : []));
	if (CONTEST.organiser === person) roles.push(`organises ${CONTEST.title}`);
	if (PRACTICE_PROBLEM.author === person) roles.push(`wrote the problem ${PRACTICE_PROBLEM.title}`);
	if (CONTEST.participants.includes(person)) roles.push("takes part in the contest");
	return roles;
}

export function summaryLines(s: Seeded): string[] {
	const people = Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][];
	const width = Math.max(...people.map(([, p]) => p.username.length)) + 2;
	return [
		`Seeded ${s.baseUrl} in ${s.seconds.toFixed(1)} s: ${people.length} people, ${Object.keys(GROUPS).length} groups, ` +
			`${POSTS.length} posts with ${s.comments} comments and ${s.reactions} reactions, ` +
			`the practice problem "${PRACTICE_PROBLEM.title}" and the running contest "${CONTEST.title}".`,
		"",
		`Sign in as any of them with the password: ${s.password}`,
		...people.map(([key, p]) => `  ${p.username.padEnd(width)}${p.displayName} (${rolesOf(key).join("; ") || "member"})`),
		""
	];
}
