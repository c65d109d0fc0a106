/**
 * The authorization matrix: every /api route (the gateway's route table and its raw uploads, ROUTES here) × every kind of caller →
 * the status they get, from ONE table. A route without a row fails. The whole platform runs in one
 * process on the real PostgreSQL, the problems service and the judge included (each database-owning
 * service on a scratch database of its own); the fixtures (users, groups, posts, contests, problems,
 * submissions) are made once, and a call that would change what later calls see (a deletion, a
 * join, a registration, a publication) acts on a target of its own, made for that call.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig, SERVICE_NAMES } from "../../config";
import { apiRoutes } from "../../services";
import { uploadTable } from "../../services/gateway/upload-routes";
import { register, registerAdmin, registerMany, type TestUser } from "../helpers/accounts";
import { contestsClient, contestsInstance, FakeClock, MINUTE, minutesAfter, secretAnswer } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { groupsPlatform, uniqueName } from "../helpers/groups";
import { newUser } from "../helpers/http";
import { ok, uniqueWord } from "../helpers/posts";
import { unavailable } from "../helpers/services";

/** The route table, from the `http` keys of every service's actions, and the raw uploads (a problem's tests). */
const ROUTES = [...Object.keys(apiRoutes(loadConfig({}))), ...Object.keys(uploadTable())];

const ACTORS = [
	"anonymous",
	"owner",
	"another user",
	"group owner",
	"group admin",
	"group member",
	"former member",
	"outsider",
	"contest organiser",
	"participant",
	"non-participant",
	"platform admin"
] as const;
type Actor = (typeof ACTORS)[number];
type SignedIn = Exclude<Actor, "anonymous">;

/**
 * In the fixtures, `owner` writes the posts and comments acted on and is a plain member of the
 * groups G (public), P (private) and R (join by request); the group roles are those of these groups.
 */
const MEMBERS: SignedIn[] = ["owner", "group owner", "group admin", "group member"];
const NON_MEMBERS: SignedIn[] = [
	"another user",
	"former member",
	"outsider",
	"contest organiser",
	"participant",
	"non-participant",
	"platform admin"
];

/**
 * Expected statuses. A named actor wins; then `members` / `nonMembers` (of the groups above); then
 * `signedIn` for every signed-in actor left. `anonymous` is 401 unless given.
 */
type Expect = Partial<Record<Actor | "members" | "nonMembers" | "signedIn", number>>;

function expected(e: Expect, actor: Actor): number | undefined {
	if (e[actor] !== undefined) return e[actor];
	if (actor === "anonymous") return 401;
	if (MEMBERS.includes(actor) && e.members !== undefined) return e.members;
	if (NON_MEMBERS.includes(actor) && e.nonMembers !== undefined) return e.nonMembers;
	return e.signedIn;
}

interface Fixtures {
	users: Record<SignedIn, TestUser>;
	/** Logs in for `login` and `refresh`: nobody else's sessions change. */
	loginUser: TestUser;
	G: string;
	P: string;
	R: string;
	post: Post;
	draft: Post;
	groupPost: Post;
	privatePost: Post;
	/** The former member's draft in P, written while they were in it. */
	formerDraft: Post;
	/** The owner's comment on `post`; the former member's on `groupPost` (written while a member). */
	comment: string;
	formerComment: string;
	/** A running contest (no group) with problem A; `participant` registered. */
	C: string;
	problem: string;
	/** A running contest of G organised by its admin; the group member and the former member (before leaving) registered. */
	GC: string;
	groupProblem: string;
	/** Upcoming contests; `participant` registered in U2. */
	U: string;
	U2: string;
	/** An upcoming team contest (no group) with a team of G: the group member. */
	T: string;
	/** The owner's welcome notification. */
	notification: string;
	/** An ended contest (no group) of the contest organiser with a code problem, for its release to the archive. */
	E: string;
	/** C's code problem (added before it started) and the judge's problem behind it, a draft of the contest organiser. */
	codeProblem: string;
	judgeProblem: string;
	/** G's contest's code problem. */
	groupCodeProblem: string;
	/** The owner's problem in the practice archive (published), and the owner's draft. */
	archived: string;
	problemDraft: string;
	/** The owner's submission to `archived`; the participant's program for C's code problem. */
	submission: string;
	program: string;
}

interface Post {
	id: string;
	slug: string;
}

/** What a row's call may use: the fixtures, the caller, and makers of targets of its own. */
interface Scene {
	f: Fixtures;
	actor: Actor;
	as: TestUser | undefined;
	make: Makers;
}

/** One call: the route's path parameters, a query string, a body, and a token other than the actor's own (null: none). */
interface Call {
	params?: Record<string, string>;
	query?: string;
	body?: unknown;
	token?: string | null;
}

interface Row {
	route: string;
	/** What is acted on, when the route has several rows. */
	target?: string;
	expect: Expect;
	call(s: Scene): Call | Promise<Call>;
}

const postBody = (extra: Record<string, unknown> = {}) => ({
	title: `Matrix ${uniqueWord(8)}`,
	content: `About ${uniqueWord(8)}.`,
	category: "algorithms",
	...extra
});

/** A + B in JavaScript: what every program of the matrix sends (the verdict is not what is tested here). */
const SUM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;
const program = { language: "javascript", source: SUM };

/** A valid problem: `POST /problems`' body, and (with `kind: "code"`) a contest's code problem's. */
const problemBody = (extra: Record<string, unknown> = {}) => ({
	title: `Matrix ${uniqueWord(6)}`,
	statement: "Print *a + b*.",
	timeLimitMs: 1000,
	memoryLimitMb: 64,
	tests: [
		{ input: "1 2\n", output: "3\n", sample: true },
		{ input: "20 22\n", output: "42\n" }
	],
	...extra
});

/** For calls on the caller's own account that would end it or its sessions: a fresh account of the same platform role. */
const ownAccount = async ({ actor, make }: Scene) =>
	actor === "anonymous" ? null : (await make.account(actor === "platform admin")).token;

/** THE table: every route, every actor. */
const ROWS: Row[] = [
	// --- auth ---
	{ route: "POST /auth/register", expect: { anonymous: 201, signedIn: 201 }, call: () => ({ body: newUser("mx") }) },
	{
		route: "POST /auth/login",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ body: { login: f.loginUser.username, password: f.loginUser.password } })
	},
	{
		route: "POST /auth/refresh",
		expect: { anonymous: 200, signedIn: 200 },
		call: async ({ make }) => ({ body: { refreshToken: (await make.login()).refreshToken } })
	},
	{
		route: "POST /auth/logout",
		target: "a session of the caller's own",
		expect: { signedIn: 204 },
		call: async ({ as, make }) => ({ token: as ? (await make.login(as)).accessToken : null })
	},

	// --- users ---
	{ route: "GET /users/me", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "PATCH /users/me", expect: { signedIn: 200 }, call: () => ({ body: { bio: "Learning in the matrix." } }) },
	{
		route: "DELETE /users/me",
		target: "a fresh account of the caller's platform role",
		expect: { signedIn: 204 },
		call: async s => ({ token: await ownAccount(s) })
	},
	{
		route: "PUT /users/me/password",
		target: "a fresh account of the caller's platform role",
		expect: { signedIn: 204 },
		call: async s => {
			const token = await ownAccount(s);
			return { token, body: { currentPassword: s.make.lastPassword, newPassword: `a new passphrase ${uniqueWord(6)}` } };
		}
	},
	{ route: "GET /users/me/preferences", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "PUT /users/me/preferences", expect: { signedIn: 200 }, call: () => ({ body: { theme: "dark" } }) },
	{ route: "GET /users", expect: { signedIn: 403, "platform admin": 200 }, call: () => ({}) },
	{
		route: "GET /users/:username",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { username: f.users.owner.username } })
	},
	{
		route: "GET /people",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ query: `ids=${f.users.owner.id},${f.users["another user"].id}` })
	},
	{
		route: "GET /users/:username/rating",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { username: f.users.owner.username } })
	},
	{ route: "GET /leaderboard", expect: { anonymous: 200, signedIn: 200 }, call: () => ({ query: "by=solved" }) },
	{
		route: "PATCH /users/:id/role",
		target: "a fresh account",
		expect: { signedIn: 403, "platform admin": 200 },
		call: async ({ make }) => ({ params: { id: (await make.account()).id }, body: { role: "user" } })
	},

	// --- posts ---
	{ route: "POST /posts", target: "in no group", expect: { signedIn: 201 }, call: () => ({ body: postBody({ status: "published" }) }) },
	{
		route: "POST /posts",
		target: "in public G",
		expect: { members: 201, nonMembers: 403 },
		call: ({ f }) => ({ body: postBody({ groupId: f.G }) })
	},
	{
		route: "POST /posts",
		target: "in private P",
		expect: { members: 201, nonMembers: 404 },
		call: ({ f }) => ({ body: postBody({ groupId: f.P }) })
	},
	{ route: "GET /posts", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },
	{
		route: "GET /posts",
		target: "P's",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ query: `group=${f.P}` })
	},
	{
		route: "GET /posts/:idOrSlug",
		target: "published, in no group",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { idOrSlug: f.post.slug } })
	},
	{
		route: "GET /posts/:idOrSlug",
		target: "the owner's draft",
		expect: { anonymous: 404, signedIn: 404, owner: 200 },
		call: ({ f }) => ({ params: { idOrSlug: f.draft.id } })
	},
	{
		route: "GET /posts/:idOrSlug",
		target: "in private P",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { idOrSlug: f.privatePost.id } })
	},
	{
		route: "PATCH /posts/:id",
		target: "published, in no group",
		expect: { signedIn: 403, owner: 200, "platform admin": 200 },
		call: ({ f }) => ({ params: { id: f.post.id }, body: { title: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "PATCH /posts/:id",
		target: "the owner's draft",
		expect: { signedIn: 404, owner: 200 },
		call: ({ f }) => ({ params: { id: f.draft.id }, body: { title: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "PATCH /posts/:id",
		target: "in public G",
		expect: { signedIn: 403, owner: 200, "platform admin": 200 },
		call: ({ f }) => ({ params: { id: f.groupPost.id }, body: { title: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "PATCH /posts/:id",
		target: "in private P",
		expect: { members: 403, nonMembers: 404, owner: 200, "platform admin": 200 },
		call: ({ f }) => ({ params: { id: f.privatePost.id }, body: { title: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "PATCH /posts/:id",
		target: "publishing the former member's draft in P",
		expect: { signedIn: 404, "former member": 403 },
		call: ({ f }) => ({ params: { id: f.formerDraft.id }, body: { status: "published" } })
	},
	{
		route: "DELETE /posts/:id",
		target: "a fresh post of the owner in G",
		expect: { signedIn: 403, owner: 204, "group owner": 204, "group admin": 204, "platform admin": 204 },
		call: async ({ make }) => ({ params: { id: (await make.post({ groupId: make.f.G })).id } })
	},
	{
		route: "DELETE /posts/:id",
		target: "a fresh post of the owner in P",
		expect: { members: 403, nonMembers: 404, owner: 204, "group owner": 204, "group admin": 204, "platform admin": 204 },
		call: async ({ make }) => ({ params: { id: (await make.post({ groupId: make.f.P })).id } })
	},
	{
		route: "PUT /posts/:id/reactions/:kind",
		target: "in no group",
		expect: { signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.post.id, kind: "like" } })
	},
	{
		route: "PUT /posts/:id/reactions/:kind",
		target: "in public G",
		expect: { members: 200, nonMembers: 403 },
		call: ({ f }) => ({ params: { id: f.groupPost.id, kind: "like" } })
	},
	{
		route: "PUT /posts/:id/reactions/:kind",
		target: "in private P",
		expect: { members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.privatePost.id, kind: "like" } })
	},
	{
		route: "DELETE /posts/:id/reactions/:kind",
		target: "in public G",
		expect: { members: 200, nonMembers: 403 },
		call: ({ f }) => ({ params: { id: f.groupPost.id, kind: "helpful" } })
	},
	{
		route: "GET /posts/:id/comments",
		target: "in no group",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.post.id } })
	},
	{
		route: "GET /posts/:id/comments",
		target: "in private P",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.privatePost.id } })
	},
	{
		route: "POST /posts/:id/comments",
		target: "in no group",
		expect: { signedIn: 201 },
		call: ({ f }) => ({ params: { id: f.post.id }, body: { content: "A remark." } })
	},
	{
		route: "POST /posts/:id/comments",
		target: "in public G",
		expect: { members: 201, nonMembers: 403 },
		call: ({ f }) => ({ params: { id: f.groupPost.id }, body: { content: "A remark." } })
	},
	{
		route: "POST /posts/:id/comments",
		target: "in private P",
		expect: { members: 201, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.privatePost.id }, body: { content: "A remark." } })
	},
	{
		route: "PATCH /posts/:id/comments/:commentId",
		target: "the owner's comment",
		expect: { signedIn: 403, owner: 200 },
		call: ({ f }) => ({ params: { id: f.post.id, commentId: f.comment }, body: { content: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "PATCH /posts/:id/comments/:commentId",
		target: "the former member's comment in G",
		expect: { signedIn: 403 },
		call: ({ f }) => ({ params: { id: f.groupPost.id, commentId: f.formerComment }, body: { content: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "DELETE /posts/:id/comments/:commentId",
		target: "a fresh comment of the group member on the owner's post in G",
		expect: { signedIn: 403, owner: 204, "group owner": 204, "group admin": 204, "group member": 204, "platform admin": 204 },
		call: async ({ f, make }) => ({
			params: { id: f.groupPost.id, commentId: await make.comment(f.groupPost.id, f.users["group member"]) }
		})
	},
	{ route: "GET /categories", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },
	{ route: "GET /tags", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },

	// --- groups ---
	{ route: "POST /groups", expect: { signedIn: 201 }, call: () => ({ body: { name: uniqueName("matrix") } }) },
	{ route: "GET /groups", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },
	{ route: "GET /groups/invitations", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "GET /groups/:id", target: "public G", expect: { anonymous: 200, signedIn: 200 }, call: ({ f }) => ({ params: { id: f.G } }) },
	{
		route: "GET /groups/:id",
		target: "private P",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.P } })
	},
	{
		route: "PATCH /groups/:id",
		target: "public G",
		expect: { signedIn: 403, "group owner": 200, "group admin": 200 },
		call: ({ f }) => ({ params: { id: f.G }, body: { description: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "PATCH /groups/:id",
		target: "private P",
		expect: { members: 403, nonMembers: 404, "group owner": 200, "group admin": 200 },
		call: ({ f }) => ({ params: { id: f.P }, body: { description: `Edited ${uniqueWord(6)}` } })
	},
	{
		route: "DELETE /groups/:id",
		target: "a fresh public group",
		expect: { signedIn: 403, "group owner": 204 },
		call: async ({ make }) => ({ params: { id: await make.group("public") } })
	},
	{
		route: "DELETE /groups/:id",
		target: "a fresh private group",
		expect: { members: 403, nonMembers: 404, "group owner": 204 },
		call: async ({ make }) => ({ params: { id: await make.group("private") } })
	},
	{
		route: "POST /groups/:id/join",
		target: "a fresh public open group",
		expect: { members: 409, nonMembers: 200 },
		call: async ({ make }) => ({ params: { id: await make.group("public") } })
	},
	{
		route: "POST /groups/:id/join",
		target: "a fresh private open group",
		expect: { members: 409, nonMembers: 404 },
		call: async ({ make }) => ({ params: { id: await make.group("private") } })
	},
	{
		route: "POST /groups/:id/leave",
		target: "a fresh public group",
		expect: { members: 204, nonMembers: 409, "group owner": 409 },
		call: async ({ make }) => ({ params: { id: await make.group("public") } })
	},
	{
		route: "GET /groups/:id/members",
		target: "public G",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.G } })
	},
	{
		route: "GET /groups/:id/members",
		target: "private P",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.P } })
	},
	{
		route: "PATCH /groups/:id/members/:userId",
		target: "the member of public G, kept a member",
		expect: { signedIn: 403, "group owner": 200 },
		call: ({ f }) => ({ params: { id: f.G, userId: f.users["group member"].id }, body: { role: "member" } })
	},
	{
		route: "PATCH /groups/:id/members/:userId",
		target: "the member of private P, kept a member",
		expect: { members: 403, nonMembers: 404, "group owner": 200 },
		call: ({ f }) => ({ params: { id: f.P, userId: f.users["group member"].id }, body: { role: "member" } })
	},
	{
		route: "DELETE /groups/:id/members/:userId",
		target: "the member of a fresh public group",
		expect: { signedIn: 403, "group owner": 204, "group admin": 204 },
		call: async ({ f, make }) => ({ params: { id: await make.group("public"), userId: f.users["group member"].id } })
	},
	{
		route: "GET /groups/:id/invitations",
		expect: { signedIn: 403, "group owner": 200, "group admin": 200 },
		call: ({ f }) => ({ params: { id: f.G } })
	},
	{
		route: "POST /groups/:id/invitations",
		target: "public G, a fresh account",
		expect: { signedIn: 403, "group owner": 201, "group admin": 201 },
		call: async ({ f, make }) => ({ params: { id: f.G }, body: { userId: (await make.account()).id } })
	},
	{
		route: "POST /groups/:id/invitations",
		target: "private P, a fresh account",
		expect: { members: 403, nonMembers: 404, "group owner": 201, "group admin": 201 },
		call: async ({ f, make }) => ({ params: { id: f.P }, body: { userId: (await make.account()).id } })
	},
	{
		route: "DELETE /groups/:id/invitations/:userId",
		target: "a fresh invitation to G",
		expect: { signedIn: 403, "group owner": 204, "group admin": 204 },
		call: async ({ f, make }) => ({ params: { id: f.G, userId: await make.invitation(f.G) } })
	},
	{
		route: "GET /groups/:id/requests",
		expect: { signedIn: 403, "group owner": 200, "group admin": 200 },
		call: ({ f }) => ({ params: { id: f.R } })
	},
	{
		route: "POST /groups/:id/requests/:userId/approve",
		target: "a fresh request to R",
		expect: { signedIn: 403, "group owner": 200, "group admin": 200 },
		call: async ({ f, make }) => ({ params: { id: f.R, userId: await make.request(f.R) } })
	},
	{
		route: "POST /groups/:id/requests/:userId/reject",
		target: "a fresh request to R",
		expect: { signedIn: 403, "group owner": 204, "group admin": 204 },
		call: async ({ f, make }) => ({ params: { id: f.R, userId: await make.request(f.R) } })
	},
	{
		route: "GET /groups/:id/posts",
		target: "public G",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.G } })
	},
	{
		route: "GET /groups/:id/posts",
		target: "private P",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.P } })
	},
	{
		route: "GET /groups/:id/leaderboard",
		target: "public G",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.G } })
	},
	{
		route: "GET /groups/:id/leaderboard",
		target: "private P",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.P } })
	},

	// --- contests ---
	{ route: "POST /contests", target: "in no group", expect: { signedIn: 201 }, call: ({ make }) => ({ body: make.contestBody() }) },
	{
		route: "POST /contests",
		target: "in public G",
		expect: { members: 403, nonMembers: 404, "group owner": 201, "group admin": 201 },
		call: ({ f, make }) => ({ body: make.contestBody({ groupId: f.G }) })
	},
	{ route: "GET /contests", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },
	{
		route: "GET /contests/:id",
		target: "in no group",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.C } })
	},
	{
		route: "GET /contests/:id",
		target: "G's",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.GC } })
	},
	{
		route: "PATCH /contests/:id",
		target: "upcoming",
		expect: { signedIn: 403, "contest organiser": 200 },
		call: ({ f }) => ({ params: { id: f.U }, body: { title: `Renamed ${uniqueWord(6)}` } })
	},
	{
		route: "DELETE /contests/:id",
		target: "a fresh upcoming contest",
		expect: { signedIn: 403, "contest organiser": 204 },
		call: async ({ make }) => ({ params: { id: await make.contest() } })
	},
	{
		route: "POST /contests/:id/problems",
		target: "upcoming",
		expect: { signedIn: 403, "contest organiser": 201 },
		call: ({ f }) => ({ params: { id: f.U }, body: { title: "One more", statement: "Text.", points: 1, answer: secretAnswer("mx") } })
	},
	{
		route: "GET /contests/:id/problems",
		target: "running",
		expect: { signedIn: 403, "contest organiser": 200, participant: 200 },
		call: ({ f }) => ({ params: { id: f.C } })
	},
	{
		route: "POST /contests/:id/register",
		target: "upcoming, the participant registered",
		expect: { signedIn: 201, participant: 409 },
		call: ({ f }) => ({ params: { id: f.U2 } })
	},
	{
		route: "POST /contests/:id/problems/:problemId/submissions",
		target: "running",
		expect: { signedIn: 403, participant: 201 },
		call: ({ f }) => ({ params: { id: f.C, problemId: f.problem }, body: { answer: "a guess" } })
	},
	{
		route: "POST /contests/:id/problems/:problemId/submissions",
		target: "running, G's",
		expect: { members: 403, nonMembers: 404, "group member": 201 },
		call: ({ f }) => ({ params: { id: f.GC, problemId: f.groupProblem }, body: { answer: "a guess" } })
	},
	{ route: "GET /contests/:id/submissions/me", expect: { signedIn: 200 }, call: ({ f }) => ({ params: { id: f.C } }) },
	{
		route: "GET /contests/:id/leaderboard",
		target: "in no group",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.C } })
	},
	{
		route: "GET /contests/:id/leaderboard",
		target: "G's",
		expect: { anonymous: 404, members: 200, nonMembers: 404 },
		call: ({ f }) => ({ params: { id: f.GC } })
	},
	{
		route: "POST /contests/:id/teams",
		target: "a fresh team contest, a team of public G with the caller",
		expect: { members: 201, nonMembers: 403 },
		call: async ({ f, as, make }) => ({ params: { id: await make.teamContest() }, body: make.teamBody(f.G, as) })
	},
	{
		route: "POST /contests/:id/teams",
		target: "a fresh team contest, a team of private P with the caller",
		expect: { members: 201, nonMembers: 404 },
		call: async ({ f, as, make }) => ({ params: { id: await make.teamContest() }, body: make.teamBody(f.P, as) })
	},
	{
		route: "GET /contests/:id/teams",
		target: "an upcoming team contest",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.T } })
	},
	{
		route: "DELETE /contests/:id/teams/:teamId",
		target: "a fresh team of the group member, of G, in a fresh team contest",
		expect: { signedIn: 403, "group member": 204, "group owner": 204, "group admin": 204 },
		call: async ({ make }) => {
			const id = await make.teamContest();
			return { params: { id, teamId: await make.team(id) } };
		}
	},

	// --- problems and the judge ---
	{ route: "GET /judge/languages", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },
	{ route: "POST /problems", target: "a draft of the caller's own", expect: { signedIn: 201 }, call: () => ({ body: problemBody() }) },
	{ route: "GET /problems", expect: { anonymous: 200, signedIn: 200 }, call: () => ({}) },
	{
		route: "GET /problems/:id",
		target: "published",
		expect: { anonymous: 200, signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.archived } })
	},
	{
		route: "GET /problems/:id",
		target: "the owner's draft",
		expect: { anonymous: 404, signedIn: 404, owner: 200 },
		call: ({ f }) => ({ params: { id: f.problemDraft } })
	},
	{
		route: "GET /problems/:id",
		target: "the judge's problem of C's code problem",
		expect: { anonymous: 404, signedIn: 404, "contest organiser": 200 },
		call: ({ f }) => ({ params: { id: f.judgeProblem } })
	},
	{
		route: "POST /problems/:id/publish",
		target: "a fresh draft of the owner",
		expect: { signedIn: 404, owner: 200 },
		call: async ({ make }) => ({ params: { id: await make.problem() } })
	},
	{
		route: "POST /problems/:id/publish",
		target: "published",
		expect: { signedIn: 403, owner: 409 },
		call: ({ f }) => ({ params: { id: f.archived } })
	},
	{
		route: "POST /problems/:id/rejudge",
		target: "published",
		expect: { signedIn: 403, owner: 202 },
		call: ({ f }) => ({ params: { id: f.archived } })
	},
	{
		route: "POST /problems/:id/rejudge",
		target: "the owner's draft",
		expect: { signedIn: 404, owner: 202 },
		call: ({ f }) => ({ params: { id: f.problemDraft } })
	},
	{
		route: "POST /problems/:id/submissions",
		target: "published",
		expect: { signedIn: 202 },
		call: ({ f }) => ({ params: { id: f.archived }, body: program })
	},
	{
		route: "POST /problems/:id/submissions",
		target: "the owner's draft",
		expect: { signedIn: 404, owner: 202 },
		call: ({ f }) => ({ params: { id: f.problemDraft }, body: program })
	},
	{
		route: "POST /problems/:id/submissions",
		target: "the judge's problem of C's code problem, outside the contest",
		expect: { signedIn: 404, "contest organiser": 202 },
		call: ({ f }) => ({ params: { id: f.judgeProblem }, body: program })
	},
	{
		route: "GET /problems/:id/submissions",
		target: "published",
		expect: { signedIn: 200 },
		call: ({ f }) => ({ params: { id: f.archived } })
	},
	{
		route: "GET /problems/:id/submissions",
		target: "the owner's draft",
		expect: { signedIn: 404, owner: 200 },
		call: ({ f }) => ({ params: { id: f.problemDraft } })
	},
	{
		route: "GET /submissions/:id",
		target: "the owner's, in the archive",
		expect: { signedIn: 404, owner: 200, "platform admin": 200 },
		call: ({ f }) => ({ params: { id: f.submission } })
	},
	{
		route: "GET /submissions/:id",
		target: "the participant's program in C",
		expect: { signedIn: 404, participant: 200, "platform admin": 200 },
		call: ({ f }) => ({ params: { id: f.program } })
	},
	{
		route: "POST /contests/:id/problems/:problemId/programs",
		target: "running",
		expect: { signedIn: 403, participant: 202 },
		call: ({ f }) => ({ params: { id: f.C, problemId: f.codeProblem }, body: program })
	},
	{
		route: "POST /contests/:id/problems/:problemId/programs",
		target: "running, G's",
		expect: { members: 403, nonMembers: 404, "group member": 202 },
		call: ({ f }) => ({ params: { id: f.GC, problemId: f.groupCodeProblem }, body: program })
	},
	{
		route: "POST /contests/:id/problems/:problemId/rejudge",
		target: "running",
		expect: { signedIn: 403, "contest organiser": 202 },
		call: ({ f }) => ({ params: { id: f.C, problemId: f.codeProblem } })
	},
	{
		route: "POST /contests/:id/problems/:problemId/rejudge",
		target: "running, G's",
		expect: { members: 403, nonMembers: 404, "group admin": 202 },
		call: ({ f }) => ({ params: { id: f.GC, problemId: f.groupCodeProblem } })
	},
	{
		route: "POST /contests/:id/archive",
		target: "ended, with a code problem",
		expect: { signedIn: 403, "contest organiser": 202 },
		call: ({ f }) => ({ params: { id: f.E } })
	},
	{
		route: "POST /contests/:id/archive",
		target: "running",
		expect: { signedIn: 403, "contest organiser": 409 },
		call: ({ f }) => ({ params: { id: f.C } })
	},
	{
		route: "POST /contests/:id/archive",
		target: "running, G's",
		expect: { members: 403, nonMembers: 404, "group admin": 409 },
		call: ({ f }) => ({ params: { id: f.GC } })
	},
	{
		route: "PUT /problems/:id/tests",
		target: "a fresh draft of the owner",
		expect: { signedIn: 404, owner: 200 },
		call: async ({ make }) => ({ params: { id: await make.problem() }, body: { tests: problemBody().tests } })
	},
	{
		route: "PUT /problems/:id/tests",
		target: "a fresh published problem of the owner",
		expect: { signedIn: 403, owner: 200 },
		call: async ({ make }) => ({ params: { id: await make.problem({ publish: true }) }, body: { tests: problemBody().tests } })
	},

	// --- notifications ---
	{ route: "GET /notifications", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "GET /notifications/unread-count", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "POST /notifications/read-all", expect: { signedIn: 200 }, call: () => ({ body: {} }) },
	{ route: "GET /notifications/preferences", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "PUT /notifications/preferences", expect: { signedIn: 200 }, call: () => ({ body: { "post.reacted": { inApp: true } } }) },
	{ route: "GET /notifications/mutes", expect: { signedIn: 200 }, call: () => ({}) },
	{ route: "PUT /notifications/mutes/groups/:groupId", expect: { signedIn: 204 }, call: ({ f }) => ({ params: { groupId: f.G } }) },
	{ route: "DELETE /notifications/mutes/groups/:groupId", expect: { signedIn: 204 }, call: ({ f }) => ({ params: { groupId: f.G } }) },
	{ route: "POST /notifications/stream-ticket", expect: { signedIn: 200 }, call: () => ({}) },
	{
		route: "POST /notifications/:id/read",
		target: "the owner's notification",
		expect: { signedIn: 404, owner: 200 },
		call: ({ f }) => ({ params: { id: f.notification } })
	},

	// --- audit ---
	{ route: "GET /admin/audit", expect: { signedIn: 403, "platform admin": 200 }, call: () => ({}) }
];

/** The route's path with its parameters filled in. */
function pathOf(route: string, call: Call): string {
	const template = route.slice(route.indexOf(" ") + 1);
	const path = template.replace(/:(\w+)/g, (_, name: string) => {
		const value = call.params?.[name];
		assert.ok(value, `${route}: no value for :${name}`);
		return encodeURIComponent(value);
	});
	return `/api${path}${call.query ? `?${call.query}` : ""}`;
}

describe("authorization matrix: every route × every kind of caller, from one table", { skip: unavailable("postgres") }, () => {
	// Every service, the problems service and the judge included; problems and rankings on scratch databases of their own.
	const problemsDb = scratchDatabase("codelearn_test_problems");
	const rankingsDb = scratchDatabase("codelearn_test_rankings");
	const h = groupsPlatform({
		SERVICES: SERVICE_NAMES.join(","),
		PROBLEMS_DATABASE_URL: problemsDb.url,
		RANKINGS_DATABASE_URL: rankingsDb.url,
		JUDGE_SLOTS: "1",
		REGISTER_MAX_PER_CLIENT: "1000000"
	});
	const clock = new FakeClock(Math.ceil(Date.now() / MINUTE) * MINUTE);
	let f: Fixtures;
	let make: Makers;

	before(async () => {
		await h.start();
		contestsInstance(h.platform).clock = clock;
		make = makers(h, clock);
		f = await fixtures(h, make, clock);
	});

	after(async () => {
		await h.stop();
		await problemsDb.drop();
		await rankingsDb.drop();
	});

	it("when the table is read then every route of ROUTES has a row, and every row a route and every actor an expectation", () => {
		const routes = ROUTES;
		const covered = new Set(ROWS.map(r => r.route));
		assert.deepEqual(
			routes.filter(r => !covered.has(r)),
			[],
			"routes without a row"
		);
		assert.deepEqual(
			[...covered].filter(r => !routes.includes(r)),
			[],
			"rows of no route"
		);
		const gaps = ROWS.flatMap(row =>
			ACTORS.filter(actor => expected(row.expect, actor) === undefined).map(actor => `${row.route} [${row.target ?? ""}] ${actor}`)
		);
		assert.deepEqual(gaps, []);
	});

	for (const row of ROWS) {
		it(`when each kind of caller calls ${row.route}${row.target ? ` (${row.target})` : ""} then each gets the status of the table`, async () => {
			const got: Partial<Record<Actor, number>> = {};
			const want: Partial<Record<Actor, number>> = {};
			for (const actor of ACTORS) {
				const as = actor === "anonymous" ? undefined : f.users[actor];
				const call = await row.call({ f, actor, as, make });
				const token = call.token === undefined ? as?.token : (call.token ?? undefined);
				const method = row.route.slice(0, row.route.indexOf(" "));
				const res = await h.api(method, pathOf(row.route, call), { token, body: call.body });
				got[actor] = res.status;
				want[actor] = expected(row.expect, actor);
				if (res.status >= 400 && res.status !== 404 && res.status !== 401)
					assert.ok(res.body?.type, `${actor}: an error in the standard shape: ${JSON.stringify(res.body)}`);
			}
			assert.deepEqual(got, want);
		});
	}
});

// --- Fixtures and targets of their own ---

type Harness = ReturnType<typeof groupsPlatform>;

interface Makers {
	/** The fixtures, as far as they are built. */
	f: Fixtures;
	/** The password of the last account made. */
	lastPassword: string;
	account(admin?: boolean): Promise<TestUser>;
	login(user?: TestUser): Promise<{ accessToken: string; refreshToken: string }>;
	post(extra?: Record<string, unknown>, author?: TestUser): Promise<Post>;
	comment(postId: string, author: TestUser): Promise<string>;
	/** A group of the group owner where the group admin, member, owner and former member play their parts. */
	group(
		visibility: "public" | "private",
		joinPolicy?: "open" | "request",
		whileFormerIsMember?: (groupId: string) => Promise<void>
	): Promise<string>;
	invitation(groupId: string): Promise<string>;
	request(groupId: string): Promise<string>;
	contestBody(extra?: Record<string, unknown>): object;
	contest(): Promise<string>;
	/** A fresh upcoming team contest of the contest organiser (no group, teams of 2). */
	teamContest(): Promise<string>;
	/** A team of G for the caller alone (the owner's, for anonymous). */
	teamBody(groupId: string, as: TestUser | undefined): object;
	/** The group member's team of G in this team contest; its id. */
	team(contestId: string): Promise<string>;
	/** A fresh draft problem of the owner, or published; its id. */
	problem(options?: { publish?: boolean }): Promise<string>;
	/** A code problem added to an upcoming contest by its organiser: the contest's problem id and the judge's problem id. */
	codeProblem(contestId: string, organiser: TestUser): Promise<{ id: string; judgeProblem: string }>;
}

function makers(h: Harness, clock: FakeClock): Makers {
	const api = (method: string, path: string, as: TestUser | undefined, body?: unknown) => h.api(method, path, { token: as?.token, body });
	const m: Makers = {
		f: {} as Fixtures,
		lastPassword: "",
		async account(admin = false) {
			const user = admin ? await registerAdmin(h.api, h.platform.broker) : await register(h.api, "mx");
			m.lastPassword = user.password;
			return user;
		},
		async login(user = m.f.loginUser) {
			return ok(await h.api("POST", "/api/auth/login", { body: { login: user.username, password: user.password } }));
		},
		async post(extra = {}, author = m.f.users.owner) {
			return ok(await api("POST", "/api/posts", author, postBody({ status: "published", ...extra })), 201);
		},
		async comment(postId, author) {
			return ok(await api("POST", `/api/posts/${postId}/comments`, author, { content: "A remark to act on." }), 201).id;
		},
		async group(visibility, joinPolicy = "open", whileFormerIsMember) {
			const u = m.f.users;
			const group = ok(await api("POST", "/api/groups", u["group owner"], { name: uniqueName("matrix") }), 201);
			for (const who of ["group admin", "group member", "owner", "former member"] as const)
				ok(await api("POST", `/api/groups/${group.id}/join`, u[who]));
			ok(await api("PATCH", `/api/groups/${group.id}/members/${u["group admin"].id}`, u["group owner"], { role: "admin" }));
			if (visibility !== "public" || joinPolicy !== "open")
				ok(await api("PATCH", `/api/groups/${group.id}`, u["group owner"], { visibility, joinPolicy }));
			await whileFormerIsMember?.(group.id);
			assert.equal((await api("POST", `/api/groups/${group.id}/leave`, u["former member"])).status, 204);
			return group.id as string;
		},
		async invitation(groupId) {
			const invitee = await m.account();
			ok(await api("POST", `/api/groups/${groupId}/invitations`, m.f.users["group owner"], { userId: invitee.id }), 201);
			return invitee.id;
		},
		async request(groupId) {
			const requester = await m.account();
			ok(await api("POST", `/api/groups/${groupId}/join`, requester), 202);
			return requester.id;
		},
		contestBody(extra = {}) {
			const start = minutesAfter(clock, 10);
			return {
				title: `Matrix ${uniqueWord(6)}`,
				startsAt: start.toISOString(),
				endsAt: new Date(start.getTime() + 60 * MINUTE).toISOString(),
				scoring: "icpc",
				...extra
			};
		},
		async contest() {
			return ok(await api("POST", "/api/contests", m.f.users["contest organiser"], m.contestBody()), 201).id;
		},
		async teamContest() {
			return ok(await api("POST", "/api/contests", m.f.users["contest organiser"], m.contestBody({ teams: { maxSize: 2 } })), 201).id;
		},
		teamBody(groupId, as) {
			return { groupId, name: `Matrix ${uniqueWord(6)}`, memberIds: [(as ?? m.f.users.owner).id] };
		},
		async team(contestId) {
			const member = m.f.users["group member"];
			return ok(await api("POST", `/api/contests/${contestId}/teams`, member, m.teamBody(m.f.G, member)), 201).id;
		},
		async problem({ publish = false } = {}) {
			const { id } = ok(await api("POST", "/api/problems", m.f.users.owner, problemBody()), 201);
			if (publish) ok(await api("POST", `/api/problems/${id}/publish`, m.f.users.owner));
			return id as string;
		},
		async codeProblem(contestId, organiser) {
			const added = ok(
				await api("POST", `/api/contests/${contestId}/problems`, organiser, problemBody({ kind: "code", points: 1 })),
				201
			);
			assert.ok(added.code?.problemId, `a code problem shows its judge's problem: ${JSON.stringify(added)}`);
			return { id: added.id as string, judgeProblem: added.code.problemId as string };
		}
	};
	return m;
}

async function fixtures(h: Harness, make: Makers, clock: FakeClock): Promise<Fixtures> {
	const contests = contestsClient(h);
	const names: SignedIn[] = ACTORS.filter((a): a is SignedIn => a !== "anonymous" && a !== "platform admin");
	const registered = await registerMany(h.api, names.length + 1, "mx");
	const users = Object.fromEntries(names.map((name, i) => [name, registered[i]])) as Record<SignedIn, TestUser>;
	users["platform admin"] = await registerAdmin(h.api, h.platform.broker);
	const f = { users, loginUser: registered[names.length] } as Fixtures;
	make.f = f;
	const api = (method: string, path: string, as: TestUser | undefined, body?: unknown) => h.api(method, path, { token: as?.token, body });

	// The running contests: scheduled, given problems and participants, then the clock moves to their start.
	const start = minutesAfter(clock, 10);
	const schedule = { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 120 * MINUTE).toISOString(), scoring: "icpc" };
	f.C = (await contests.create(users["contest organiser"], start, 120)).id;
	f.problem = (await contests.addProblem(f.C, users["contest organiser"], secretAnswer("mxA"))).id;
	const code = await make.codeProblem(f.C, users["contest organiser"]);
	f.codeProblem = code.id;
	f.judgeProblem = code.judgeProblem;
	await contests.join(f.C, users.participant);
	// Over 5 minutes after the start (the clock moves there below): ended, its code problem ready for the archive.
	f.E = (await contests.create(users["contest organiser"], start, 5)).id;
	await make.codeProblem(f.E, users["contest organiser"]);

	f.G = await make.group("public", "open", async G => {
		f.GC = ok(
			await api("POST", "/api/contests", users["group admin"], { title: `Matrix ${uniqueWord(6)}`, ...schedule, groupId: G }),
			201
		).id;
		f.groupProblem = (await contests.addProblem(f.GC, users["group admin"], secretAnswer("mxG"))).id;
		f.groupCodeProblem = (await make.codeProblem(f.GC, users["group admin"])).id;
		await contests.join(f.GC, users["group member"], users["former member"]);
		const groupPost = await make.post({ groupId: G });
		f.formerComment = await make.comment(groupPost.id, users["former member"]);
		f.groupPost = groupPost;
	});
	f.P = await make.group("private", "open", async P => {
		f.formerDraft = await make.post({ groupId: P, status: "draft" }, users["former member"]);
	});
	f.R = await make.group("public", "request");
	f.post = await make.post();
	f.draft = await make.post({ status: "draft" });
	f.privatePost = await make.post({ groupId: f.P });
	f.comment = await make.comment(f.post.id, users.owner);

	// The practice archive: the owner's published problem with a submission of theirs, and a draft.
	f.archived = await make.problem();
	ok(await api("POST", `/api/problems/${f.archived}/publish`, users.owner));
	f.problemDraft = await make.problem();
	f.submission = ok(await api("POST", `/api/problems/${f.archived}/submissions`, users.owner, program), 202).id;

	clock.set(start);
	f.program = ok(await api("POST", `/api/contests/${f.C}/problems/${f.codeProblem}/programs`, users.participant, program), 202).id;
	clock.set(start.getTime() + 6 * MINUTE);
	f.U = await make.contest();
	await contests.addProblem(f.U, users["contest organiser"], secretAnswer("mxU"));
	f.U2 = await make.contest();
	await contests.join(f.U2, users.participant);
	f.T = await make.teamContest();
	await make.team(f.T);

	const [welcome] = await eventually(
		"the owner's welcome notification",
		async () => ok(await api("GET", "/api/notifications", users.owner)).rows as { id: string }[],
		rows => rows.length > 0,
		15_000,
		100
	);
	f.notification = welcome.id;
	return f;
}
