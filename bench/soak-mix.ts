/**
 * The soak's mix of requests, drawn from a seeded PRNG so that a run can be repeated: reads (a
 * post, logged in, so that it reaches a posts node; a page of the solved board), keyed writes (post
 * creations and code submissions, each with its own Idempotency-Key), and unkeyed writes (profile
 * updates, and a few post creations, whose failures show what a client without a key cannot know).
 * Each created post's title and each program's source carry a marker, by which the databases are
 * counted at the end.
 */
import { prng } from "../lib/prng";
import type { SoakRequest } from "./soak-load";
import type { SoakKind } from "./soak-types";

/** Shares of the load by kind (they sum to 1); submissions' share goes to keyed posts when the judge cannot run JavaScript. */
export const MIX: Record<SoakKind, number> = {
	"post-read": 0.4,
	"leaderboard-read": 0.2,
	"post-create-keyed": 0.2,
	"submission-keyed": 0.03,
	"profile-update-unkeyed": 0.12,
	"post-create-unkeyed": 0.05
};

export const KEYED: ReadonlySet<SoakKind> = new Set(["post-create-keyed", "submission-keyed"]);

export interface SoakUser {
	username: string;
	accessToken: string;
}

/** What the set-up made, that the requests use. */
export interface MixContext {
	/** Tags every marker, key and title of this run. */
	runId: string;
	users: SoakUser[];
	/** Published posts to read. */
	slugs: string[];
	/** The practice problem (A+B) submitted to; undefined: no submissions. */
	problemId?: string;
}

/** What every marker of the run begins with. */
export const markerPrefix = (runId: string) => `soak-${runId}-`;
/** The marker of request `index`: in a created post's title, or a program's source. */
export const markerOf = (runId: string, index: number) => `${markerPrefix(runId)}${index}`;
/** A created post's title. */
export const titleOf = (marker: string) => `Soak ${marker}`;

/** The same program every time but for its marker (a comment): each submission is told apart in the database. */
const aPlusB = (marker: string) =>
	`// ${marker}\nconst [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;

function postBody(marker: string, index: number): string {
	const paragraphs = Array.from(
		{ length: 4 },
		(_, i) => `Paragraph ${i} of soak post ${index}: **loops** and \`arrays\`, written while nodes come and go.`
	);
	return JSON.stringify({
		title: titleOf(marker),
		content: paragraphs.join("\n\n"),
		category: "algorithms",
		tags: ["soak"],
		status: "published"
	});
}

function pickKind(shares: [SoakKind, number][], draw: number): SoakKind {
	let sum = 0;
	for (const [kind, share] of shares) {
		sum += share;
		if (draw < sum) return kind;
	}
	return shares[shares.length - 1][0];
}

/** The shares this run uses: without a problem, the submissions' share goes to keyed posts. */
export function sharesOf(ctx: MixContext): Record<SoakKind, number> {
	if (ctx.problemId) return { ...MIX };
	return { ...MIX, "post-create-keyed": MIX["post-create-keyed"] + MIX["submission-keyed"], "submission-keyed": 0 };
}

/** `count` requests: the kind of each drawn with `seed`, its user in turn. */
export function buildRequests(ctx: MixContext, count: number, seed: number): SoakRequest[] {
	const random = prng(seed);
	const shares = Object.entries(sharesOf(ctx)) as [SoakKind, number][];
	const json = { "content-type": "application/json" };
	return Array.from({ length: count }, (_, index): SoakRequest => {
		const kind = pickKind(shares, random());
		const user = ctx.users[index % ctx.users.length];
		const auth = { authorization: `Bearer ${user.accessToken}` };
		const marker = markerOf(ctx.runId, index);
		const key = { "idempotency-key": marker };
		const keyed = KEYED.has(kind);
		switch (kind) {
			case "post-read":
				return { kind, keyed, method: "GET", path: `/api/posts/${ctx.slugs[index % ctx.slugs.length]}`, headers: auth };
			case "leaderboard-read":
				return { kind, keyed, method: "GET", path: `/api/leaderboard?by=solved&page=${1 + (index % 3)}&pageSize=20` };
			case "post-create-keyed":
				return {
					kind,
					keyed,
					method: "POST",
					path: "/api/posts",
					headers: { ...auth, ...json, ...key },
					body: postBody(marker, index)
				};
			case "post-create-unkeyed":
				return { kind, keyed, method: "POST", path: "/api/posts", headers: { ...auth, ...json }, body: postBody(marker, index) };
			case "submission-keyed":
				return {
					kind,
					keyed,
					method: "POST",
					path: `/api/problems/${ctx.problemId}/submissions`,
					headers: { ...auth, ...json, ...key },
					body: JSON.stringify({ language: "javascript", source: aPlusB(marker) })
				};
			case "profile-update-unkeyed":
				return {
					kind,
					keyed,
					method: "PATCH",
					path: "/api/users/me",
					headers: { ...auth, ...json },
					body: JSON.stringify({ displayName: `Soak writer ${index}` })
				};
		}
	});
}
