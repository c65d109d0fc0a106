/**
 * The world the hostile requests land in: an ordinary user who owns a published post with a
 * comment, a group and a contest with an answer problem and a code problem, a problem in the
 * practice archive with a submission of theirs and a draft problem, who takes part in a running
 * contest (of another user) with an answer and a code problem, and has a notification; another user; a
 * throw-away user for the routes that end sessions; a platform admin, who sends the cases of
 * admin-only routes, and a throw-away user whose role those cases change. Also the valid values
 * (the `Base`) every hostile case is built around. Kept alive: a hostile request that did
 * succeed (deleted the post, published the draft, logged the user out, made them admin, demoted
 * the admin) is repaired before the next case.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import type { ServiceBroker } from "moleculer";
import { REPO_ROOT } from "../helpers/processes";
import type { Base } from "./cases";
import { send } from "./client";
import type { Credentials } from "./headers";
import { bodyText } from "./hostile";
import { adminOnly, type JsonSchema, type Param, type RouteSpec } from "./routes";

export interface Actor {
	id: string;
	username: string;
	password: string;
	token: string;
	refreshToken: string;
}

/** A new account made admin (users.createAdmin), by whatever way the topology offers. */
export type CreateAdmin = (account: { username: string; email: string; password: string }) => Promise<void>;

/** In-process topologies: the broker in the test process calls users.createAdmin. */
export function createAdminWith(broker: ServiceBroker): CreateAdmin {
	return async account => {
		await broker.call("users.createAdmin", account);
	};
}

/**
 * Topologies with no broker in the test process: `scripts/create-admin.ts` (`npm run
 * create-admin`) as a node of its own with the cluster's environment, as an operator would make
 * the first admin: it joins over the transporter and calls users.createAdmin on a users node.
 */
export function createAdminByScript(env: Record<string, string>): CreateAdmin {
	return async ({ username, email, password }) => {
		await promisify(execFile)(
			process.execPath,
			["--import", "tsx", "scripts/create-admin.ts", "--username", username, "--email", email],
			{
				cwd: REPO_ROOT,
				env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, ADMIN_PASSWORD: password },
				timeout: 60_000
			}
		);
	};
}

export interface FixtureOptions {
	/** Needed for the admin fixture (`build`). */
	createAdmin?: CreateAdmin;
	/** The platform's JWT secret: hostile Authorization values include tokens signed with it whose claims are wrong. */
	jwtSecret?: string;
}

/** Routes that end or spend the caller's session or credentials: they act as a throw-away user. */
const SESSION_ROUTES = new Set([
	"POST /api/auth/logout",
	"DELETE /api/users/me",
	"PUT /api/users/me/password",
	"POST /api/auth/refresh",
	"POST /api/auth/login"
]);

const DAY_MS = 24 * 3600 * 1000;
const BASE_TEXT = "Adversarial base text";
/** How far ahead the running contest is scheduled: it must start in the future, and the fixtures wait for it. */
const RUNNING_CONTEST_LEAD_MS = 1500;

/** A + B in JavaScript: the program of every valid submission (judged in the background; its verdict is not what is tested). */
const PROGRAM = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;
const TESTS = [
	{ input: "1 2\n", output: "3\n", sample: true },
	{ input: "20 22\n", output: "42\n" }
];
const problemBody = (title: string) => ({ title, statement: "Print *a + b*.", timeLimitMs: 1000, memoryLimitMb: 64, tests: TESTS });

let counter = 0;
const unique = (prefix: string) => `${prefix}${randomBytes(3).toString("hex")}${(counter++).toString(36)}`;
const strongPassword = () => `pw-${randomBytes(9).toString("base64url")}-Long!`;

/** Candidates for a string with a pattern (the document has patterns only when it came from a local action). */
const PATTERN_CANDIDATES = ["abc", "en", "user.created", "adv-title", "a"];

/** A valid JSON text for a schema with no better knowledge of the field. */
export function validFromSchema(schema: JsonSchema): string {
	if (Array.isArray(schema.enum)) return JSON.stringify(schema.enum.find((v: unknown) => v !== null));
	if ("const" in schema) return JSON.stringify(schema.const);
	if (Array.isArray(schema.anyOf)) return validFromSchema(schema.anyOf[0]);
	const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
	if (types.includes("string")) {
		if (schema.format === "uuid") return JSON.stringify(randomUUID());
		if (schema.format === "email") return JSON.stringify(`${unique("adv")}@example.com`);
		if (schema.format === "uri") return JSON.stringify("https://example.com/avatar.png");
		if (schema.format === "date-time") return JSON.stringify(new Date().toISOString());
		const min: number = schema.minLength ?? 1;
		const max: number = schema.maxLength ?? 200;
		const fits = (s: string) => s.length >= min && s.length <= max && (!schema.pattern || new RegExp(schema.pattern, "u").test(s));
		const candidate = [BASE_TEXT.slice(0, max).padEnd(min, "x"), ...PATTERN_CANDIDATES].find(fits);
		return JSON.stringify(candidate ?? "a".repeat(min));
	}
	if (types.includes("integer") || types.includes("number")) return String(Math.min(schema.minimum ?? 1, schema.maximum ?? Infinity));
	if (types.includes("boolean")) return "false";
	if (types.includes("array"))
		return `[${Array.from({ length: schema.minItems ?? 0 }, () => validFromSchema(schema.items ?? {})).join(",")}]`;
	if (types.includes("object")) {
		const required = new Set<string>(schema.required ?? []);
		return bodyText(
			Object.entries<JsonSchema>(schema.properties ?? {})
				.filter(([k]) => required.has(k))
				.map(([k, s]) => [k, validFromSchema(s)])
		);
	}
	return '"x"';
}

export class Fixtures implements Base {
	main!: Actor;
	other!: Actor;
	/** For SESSION_ROUTES: replaced after any answer that was not a 4xx. */
	session!: Actor;
	post!: { id: string; slug: string };
	commentId!: string;
	groupId!: string;
	contestId!: string;
	problemId!: string;
	/** A code problem of the main user's (upcoming) contest: its rejudge is the organiser's. */
	codeProblemId!: string;
	/** The main user's problem in the practice archive, their draft (for publishing) and their submission to the first. */
	archiveProblemId!: string;
	draftProblemId!: string;
	submissionId!: string;
	/**
	 * A running contest of the other user, with an answer problem and a code problem, where the main
	 * user is registered: their answers and programs go there.
	 */
	running!: { contestId: string; problemId: string; codeProblemId: string };
	/** The main user's upcoming team contest, and their team in it (of their group). */
	teams!: { contestId: string; teamId: string };
	notificationId!: string;
	/** A platform admin: sends the token-carrying cases of admin-only routes. */
	admin!: Actor;
	/** The `{id}` of `PATCH /api/users/{id}/role`: hostile role changes land on nobody the other fixtures need. */
	roleTarget!: Actor;

	constructor(
		private readonly baseUrl: string,
		private readonly options: FixtureOptions = {}
	) {}

	private async call(method: string, path: string, token: string | undefined, body?: unknown) {
		const answer = await send(this.baseUrl, method, path, { token, body: body === undefined ? undefined : JSON.stringify(body) });
		let parsed: any = answer.text;
		try {
			parsed = answer.text ? JSON.parse(answer.text) : null;
		} catch {
			// not JSON: the assertion below shows it
		}
		return { status: answer.status, body: parsed };
	}

	private async expect(status: number, method: string, path: string, token: string | undefined, body?: unknown) {
		const res = await this.call(method, path, token, body);
		assert.equal(res.status, status, `fixture ${method} ${path}: ${JSON.stringify(res.body)}`);
		return res.body;
	}

	async register(prefix: string): Promise<Actor> {
		const username = unique(prefix);
		const password = strongPassword();
		const body = await this.expect(201, "POST", "/api/auth/register", undefined, {
			username,
			email: `${username}@example.com`,
			password
		});
		return { id: body.user.id, username, password, token: body.accessToken, refreshToken: body.refreshToken };
	}

	/** A new platform admin, logged in. */
	async registerAdmin(): Promise<Actor> {
		assert.ok(this.options.createAdmin, "the fixtures were given no way to create an admin");
		const username = unique("advadmin");
		const password = strongPassword();
		await this.options.createAdmin({ username, email: `${username}@example.com`, password });
		const body = await this.expect(200, "POST", "/api/auth/login", undefined, { login: username, password });
		assert.equal(body.user.role, "admin", `the new admin ${username} logged in as ${body.user.role}`);
		return { id: body.user.id, username, password, token: body.accessToken, refreshToken: body.refreshToken };
	}

	/** Everything anew: users, then what the main user owns. */
	async build(): Promise<void> {
		[this.main, this.other, this.session, this.roleTarget, this.admin] = await Promise.all([
			this.register("advmain"),
			this.register("advother"),
			this.register("advsession"),
			this.register("advrole"),
			this.registerAdmin()
		]);
		await this.buildOwned();
	}

	private async buildOwned(): Promise<void> {
		const post = await this.expect(201, "POST", "/api/posts", this.main.token, {
			title: "Adversarial fixture post",
			content: "Some *markdown*.",
			category: "algorithms",
			status: "published"
		});
		this.post = { id: post.id, slug: post.slug };
		const comment = await this.expect(201, "POST", `/api/posts/${post.id}/comments`, this.main.token, { content: "A fixture comment" });
		this.commentId = comment.id;
		const group = await this.expect(201, "POST", "/api/groups", this.main.token, {
			name: unique("Adversarial group "),
			visibility: "public",
			joinPolicy: "open"
		});
		this.groupId = group.id;
		const now = Date.now();
		const contest = await this.expect(201, "POST", "/api/contests", this.main.token, {
			title: "Adversarial fixture contest",
			startsAt: new Date(now + DAY_MS).toISOString(),
			endsAt: new Date(now + 2 * DAY_MS).toISOString(),
			scoring: "icpc"
		});
		this.contestId = contest.id;
		const problem = await this.expect(201, "POST", `/api/contests/${contest.id}/problems`, this.main.token, {
			title: "Fixture problem",
			statement: "What is six times seven?",
			answer: "42"
		});
		this.problemId = problem.id;
		const code = await this.expect(201, "POST", `/api/contests/${contest.id}/problems`, this.main.token, {
			kind: "code",
			...problemBody("Fixture code problem")
		});
		this.codeProblemId = code.id;
		const teamContest = await this.expect(201, "POST", "/api/contests", this.main.token, {
			title: "Adversarial team contest",
			startsAt: new Date(now + DAY_MS).toISOString(),
			endsAt: new Date(now + 2 * DAY_MS).toISOString(),
			scoring: "icpc",
			teams: { maxSize: 3 }
		});
		const team = await this.expect(201, "POST", `/api/contests/${teamContest.id}/teams`, this.main.token, {
			groupId: this.groupId,
			name: "Fixture team",
			memberIds: [this.main.id]
		});
		this.teams = { contestId: teamContest.id, teamId: team.id };
		await this.buildProblems();
		await this.buildRunning();
		// Another user's comment gives the main user a notification (delivered by an event).
		await this.expect(201, "POST", `/api/posts/${post.id}/comments`, this.other.token, { content: "A comment that notifies" });
		const deadline = Date.now() + 10_000;
		for (;;) {
			const list = await this.expect(200, "GET", "/api/notifications", this.main.token);
			if (list.rows.length) {
				this.notificationId = list.rows[0].id;
				break;
			}
			assert.ok(Date.now() < deadline, "the fixture notification did not arrive within 10 s");
			await delay(50);
		}
	}

	/** The main user's published problem with a submission of theirs, and a draft. */
	private async buildProblems(): Promise<void> {
		const archived = await this.expect(201, "POST", "/api/problems", this.main.token, problemBody("Adversarial archive problem"));
		await this.expect(200, "POST", `/api/problems/${archived.id}/publish`, this.main.token);
		this.archiveProblemId = archived.id;
		await this.buildDraft();
		const submitted = await this.expect(202, "POST", `/api/problems/${archived.id}/submissions`, this.main.token, {
			language: "javascript",
			source: PROGRAM
		});
		this.submissionId = submitted.id;
	}

	private async buildDraft(): Promise<void> {
		this.draftProblemId = (
			await this.expect(201, "POST", "/api/problems", this.main.token, problemBody("Adversarial draft problem"))
		).id;
	}

	/** The other user's contest with an answer and a code problem, the main user registered, waited for until it has started. */
	private async buildRunning(): Promise<void> {
		const startsAt = Date.now() + RUNNING_CONTEST_LEAD_MS;
		const contest = await this.expect(201, "POST", "/api/contests", this.other.token, {
			title: "Adversarial running contest",
			startsAt: new Date(startsAt).toISOString(),
			endsAt: new Date(startsAt + DAY_MS).toISOString(),
			scoring: "icpc"
		});
		const answered = await this.expect(201, "POST", `/api/contests/${contest.id}/problems`, this.other.token, {
			title: "Running answer problem",
			statement: "What is six times seven?",
			answer: "42"
		});
		const code = await this.expect(201, "POST", `/api/contests/${contest.id}/problems`, this.other.token, {
			kind: "code",
			...problemBody("Running code problem")
		});
		await this.expect(201, "POST", `/api/contests/${contest.id}/register`, this.main.token);
		// Running once its start is past; started once the scheduler (it ticks every second) has recorded
		// `contest.started`, which the audit trail shows: what that event causes must not land amid the cases.
		const deadline = Date.now() + RUNNING_CONTEST_LEAD_MS + 15_000;
		for (;;) {
			const audit = await this.expect(
				200,
				"GET",
				`/api/admin/audit?type=contest.started&aggregateId=${contest.id}`,
				this.admin.token
			);
			if (audit.rows.length) break;
			assert.ok(Date.now() < deadline, "the running contest's contest.started event did not reach the audit trail");
			await delay(100);
		}
		this.running = { contestId: contest.id, problemId: answered.id, codeProblemId: code.id };
	}

	/**
	 * Repairs what successful hostile requests may have undone. Returns whether it wrote anything
	 * (the caller then waits for the state to settle).
	 */
	async ensure(): Promise<boolean> {
		const me = await this.call("GET", "/api/users/me", this.main.token);
		if (me.status !== 200 || me.body.role !== "user") {
			// Logged out, deleted, or made admin by a hostile request: a fresh ordinary user.
			this.main = await this.register("advmain");
			await this.buildOwned();
			return true;
		}
		this.main.username = me.body.username;
		const checks = await Promise.all([
			this.call("GET", `/api/posts/${this.post.id}`, this.main.token),
			this.call("GET", `/api/posts/${this.post.id}/comments?pageSize=100`, this.main.token),
			this.call("GET", `/api/groups/${this.groupId}`, this.main.token),
			this.call("GET", `/api/contests/${this.contestId}/problems`, this.main.token),
			this.call("GET", `/api/users/${this.other.username}`, undefined),
			this.call("GET", "/api/users/me", this.session.token),
			this.call("GET", "/api/users/me", this.admin.token),
			this.call("GET", `/api/users/${this.roleTarget.username}`, undefined),
			this.call("GET", `/api/problems/${this.archiveProblemId}`, this.main.token),
			this.call("GET", `/api/problems/${this.draftProblemId}`, this.main.token),
			this.call("GET", `/api/submissions/${this.submissionId}`, this.main.token),
			this.call("GET", `/api/contests/${this.running.contestId}/problems`, this.main.token)
		]);
		const [post, comments, group, problems, other, session, admin, roleTarget, archived, draft, submission, running] = checks;
		let wrote = false;
		if (other.status !== 200) {
			this.other = await this.register("advother");
			wrote = true;
		}
		if (admin.status !== 200 || admin.body.role !== "admin") {
			// Logged out or demoted by a hostile request (its {id} is never the admin's, but say it were): a fresh admin.
			this.admin = await this.registerAdmin();
			wrote = true;
		}
		if (roleTarget.status !== 200) {
			this.roleTarget = await this.register("advrole");
			wrote = true;
		}
		if (session.status !== 200) await this.renewSession();
		const intact =
			post.status === 200 &&
			post.body.slug === this.post.slug &&
			comments.status === 200 &&
			comments.body.rows.some((c: any) => c.id === this.commentId) &&
			group.status === 200 &&
			group.body.myRole === "owner" &&
			problems.status === 200 &&
			[this.problemId, this.codeProblemId].every(id => (problems.body.rows ?? problems.body).some((p: any) => p.id === id));
		if (!intact) {
			await this.buildOwned();
			return true;
		}
		if (archived.status !== 200 || archived.body.status !== "published" || submission.status !== 200) {
			await this.buildProblems();
			wrote = true;
		} else if (draft.status !== 200 || draft.body.status !== "draft") {
			// Published by a request that succeeded: publishing needs a draft.
			await this.buildDraft();
			wrote = true;
		}
		const runningProblems: { id: string }[] = running.status === 200 ? (running.body.rows ?? running.body) : [];
		if (![this.running.problemId, this.running.codeProblemId].every(id => runningProblems.some(p => p.id === id))) {
			await this.buildRunning();
			wrote = true;
		}
		return wrote || session.status !== 200;
	}

	async renewSession(): Promise<void> {
		this.session = await this.register("advsession");
	}

	usesSession(route: RouteSpec): boolean {
		return SESSION_ROUTES.has(route.key);
	}

	/** The token a case of the route carries: the admin's for admin-only routes, else an ordinary user's. */
	tokenFor(route: RouteSpec): string {
		return adminOnly(route) ? this.admin.token : this.ordinaryToken(route);
	}

	private ordinaryToken(route: RouteSpec): string {
		return this.usesSession(route) ? this.session.token : this.main.token;
	}

	/** What hostile Authorization values are made from: an ordinary user's token, never the admin's. */
	credentials(route: RouteSpec): Credentials {
		assert.ok(this.options.jwtSecret, "the fixtures were given no JWT secret");
		return { token: this.ordinaryToken(route), secret: this.options.jwtSecret };
	}

	path(route: RouteSpec, name: string): string {
		// Answers and programs go to the running contest's problems; a contest's rejudge is of a code problem.
		const programs = route.template.endsWith("/programs");
		const answers = /^\/api\/contests\/\{id\}\/problems\/\{problemId\}\/submissions$/.test(route.template);
		const contestProblem = programs
			? this.running.codeProblemId
			: answers
				? this.running.problemId
				: route.template.endsWith("/rejudge")
					? this.codeProblemId
					: this.problemId;
		const byName: Record<string, string> = {
			username: this.main.username,
			idOrSlug: this.post.slug,
			kind: "like",
			commentId: this.commentId,
			userId: this.other.id,
			problemId: contestProblem,
			groupId: this.groupId,
			teamId: this.teams.teamId
		};
		if (name in byName) return encodeURIComponent(byName[name]);
		if (name === "id") {
			const resource = route.template.split("/")[2];
			// `users/{id}` is the role route: its hostile cases change the throw-away user's role, never a fixture's.
			const ids: Record<string, string> = {
				users: this.roleTarget.id,
				posts: this.post.id,
				groups: this.groupId,
				contests:
					programs || answers
						? this.running.contestId
						: route.template.includes("/teams")
							? this.teams.contestId
							: this.contestId,
				notifications: this.notificationId,
				// Only a draft can be published; the rest act on the published problem (the tests' upload too).
				problems: route.template.endsWith("/publish") ? this.draftProblemId : this.archiveProblemId,
				submissions: this.submissionId
			};
			if (resource in ids) return ids[resource];
		}
		throw new Error(`${route.key}: no valid value for the path parameter "${name}"; add one to test/adversarial/fixtures.ts`);
	}

	body(route: RouteSpec, param: Param): string {
		const session = this.session;
		const byName: Record<string, () => string> = {
			username: () => JSON.stringify(unique("advnew")),
			password: () => JSON.stringify(route.key === "POST /api/auth/login" ? session.password : strongPassword()),
			login: () => JSON.stringify(session.username),
			refreshToken: () => JSON.stringify(session.refreshToken),
			currentPassword: () => JSON.stringify(session.password),
			newPassword: () => JSON.stringify(strongPassword()),
			groupId: () => JSON.stringify(this.groupId),
			userId: () => JSON.stringify(this.other.id),
			parentId: () => JSON.stringify(this.commentId),
			startsAt: () => JSON.stringify(new Date(Date.now() + DAY_MS).toISOString()),
			endsAt: () => JSON.stringify(new Date(Date.now() + 2 * DAY_MS).toISOString()),
			answer: () => '"42"',
			language: () => '"javascript"',
			source: () => JSON.stringify(PROGRAM),
			tests: () => JSON.stringify(TESTS),
			memberIds: () => JSON.stringify([this.main.id])
		};
		return byName[param.name]?.() ?? validFromSchema(param.schema);
	}
}
