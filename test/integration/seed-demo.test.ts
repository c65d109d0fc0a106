/**
 * A first run: the one-process platform started as `npm start` starts it (server.ts, every
 * service, each on its own database of the real PostgreSQL) announces its URLs, and
 * `npm run seed-demo` fills it through the HTTP API with a living site, once: a second run refuses
 * and writes nothing.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DATABASE_SERVICES } from "../../config";
import { GROUPS } from "../../scripts/seed-demo/content/groups";
import { PEOPLE } from "../../scripts/seed-demo/content/people";
import { POSTS } from "../../scripts/seed-demo/content/posts";
import { CONTEST, PRACTICE_PROBLEM } from "../../scripts/seed-demo/content/problems";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { eventually } from "../helpers/eventually";
import { type Api, apiClient } from "../helpers/http";
import { freePorts, type NodeProcess, REPO_ROOT, startNode } from "../helpers/processes";
import { unavailable } from "../helpers/services";

/** The seed's own budget is 30 s; the deadline leaves room for a busy shared machine. */
const SEED_DEADLINE_MS = 60_000;
/** The practice problem's reference solutions, judged one at a time (JUDGE_SLOTS=1). */
const VERDICT_MS = 90_000;

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

function runSeed(baseUrl: string): Promise<Run> {
	const started = Date.now();
	return new Promise(resolve => {
		execFile(
			process.execPath,
			["--import", "tsx", "scripts/seed-demo.ts", "--url", baseUrl],
			{ cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" }, timeout: SEED_DEADLINE_MS },
			(err, stdout, stderr) =>
				resolve({ code: err ? ((err.code as number | undefined) ?? null) : 0, stdout, stderr, ms: Date.now() - started })
		);
	});
}

/** Every list anyone may read, by its total: what "writes nothing" is checked against. */
async function totals(api: Api) {
	const total = async (path: string) => (await api("GET", `${path}?pageSize=1`)).body.total as number;
	return {
		posts: await total("/api/posts"),
		groups: await total("/api/groups"),
		contests: await total("/api/contests"),
		problems: await total("/api/problems")
	};
}

describe("a first run: the start banner and the demo seed", { skip: unavailable("postgres") }, () => {
	const databases = DATABASE_SERVICES.map(service => [service, scratchDatabase(`codelearn_test_seed_${service}`)] as const);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "codelearn-seed-demo-"));
	let node: NodeProcess;
	let baseUrl: string;
	let metricsPort: number;
	let api: Api;
	let seeded: Run;
	let password: string;

	before(async () => {
		const [port, metrics] = await freePorts(2);
		metricsPort = metrics;
		node = startNode({
			name: "one-process",
			env: {
				NODE_ENV: "test",
				JWT_SECRET: TEST_JWT_SECRET,
				LOG_LEVEL: "info",
				LOG_FORMAT: "json",
				DATA_DIR: dataDir,
				PORT: String(port),
				METRICS_PORT: String(metrics),
				JUDGE_SLOTS: "1",
				...Object.fromEntries(databases.map(([service, db]) => [`${service.toUpperCase()}_DATABASE_URL`, db.url]))
			}
		});
		await node.waitReady(60_000);
		baseUrl = `http://127.0.0.1:${port}`;
		api = apiClient(baseUrl);
		seeded = await runSeed(baseUrl);
		password = /password: (\S+)$/m.exec(seeded.stdout)?.[1] ?? "";
	});

	after(async () => {
		await node?.stop();
		await Promise.all(databases.map(([, db]) => db.drop()));
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const signIn = async (username: string) => {
		const res = await api("POST", "/api/auth/login", { body: { login: username, password } });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		return res.body.accessToken as string;
	};

	it("when the platform has started then one JSON info line names its web client, API docs and metrics URLs", async () => {
		await eventually(
			"the banner",
			async () => node.output(),
			out => out.includes('"msg":"Code-Learn is running"'),
			10_000
		);
		const banners = node
			.output()
			.split("\n")
			.filter(line => line.includes('"msg":"Code-Learn is running"'))
			.map(line => JSON.parse(line));
		assert.equal(banners.length, 1);
		assert.equal(banners[0].level, 30);
		assert.equal(banners[0].web, `${baseUrl}/`);
		assert.equal(banners[0].docs, `${baseUrl}/api/docs`);
		assert.equal(banners[0].metrics, `http://127.0.0.1:${metricsPort}/metrics`);
		assert.equal((await fetch(banners[0].docs)).status, 200);
		assert.equal((await fetch(banners[0].metrics)).status, 200);
	});

	it("when seed-demo runs on the empty platform then it succeeds within 30 s and prints every account with the password", t => {
		assert.equal(seeded.code, 0, `${seeded.stderr}\n${seeded.stdout}`);
		t.diagnostic(`seed-demo took ${seeded.ms} ms (its whole process)`);
		assert.ok(seeded.ms < 30_000, `took ${seeded.ms} ms`);
		assert.ok(password.length >= 8, seeded.stdout);
		for (const { username } of Object.values(PEOPLE)) assert.match(seeded.stdout, new RegExp(`^ {2}${username} `, "m"));
	});

	it("when seeded then every person exists with their bio and signs in with the printed password", async () => {
		for (const { username, displayName, bio } of Object.values(PEOPLE)) {
			const profile = await api("GET", `/api/users/${username}`);
			assert.equal(profile.status, 200, username);
			assert.equal(profile.body.displayName, displayName);
			assert.equal(profile.body.bio, bio);
		}
		await signIn(PEOPLE.maya.username);
	});

	it("when seeded then the groups have their members, and the group by request keeps one request for its owner", async () => {
		const { body } = await api("GET", "/api/groups?pageSize=100");
		assert.deepEqual(
			body.rows.map((g: any) => g.name).sort(),
			Object.values(GROUPS)
				.map(g => g.name)
				.sort()
		);
		for (const group of Object.values(GROUPS)) {
			const row = body.rows.find((g: any) => g.name === group.name);
			assert.equal(row.joinPolicy, group.joinPolicy);
			assert.equal(row.memberCount, 1 + group.members.length, group.name);
		}
		const byRequest = body.rows.find((g: any) => g.joinPolicy === "request");
		const owner = Object.values(GROUPS).find(g => g.joinPolicy === "request")!.owner;
		const requests = await api("GET", `/api/groups/${byRequest.id}/requests`, { token: await signIn(PEOPLE[owner].username) });
		assert.equal(requests.status, 200);
		assert.equal(requests.body.total, 1);
	});

	it("when seeded then the posts are published with their markdown, comments and reactions, some in groups", async () => {
		const { body } = await api("GET", "/api/posts?pageSize=100");
		assert.equal(body.total, POSTS.length);
		assert.equal(body.rows.filter((p: any) => p.groupId).length, POSTS.filter(p => p.group).length);
		for (const post of POSTS) {
			const row = body.rows.find((p: any) => p.title === post.title);
			assert.ok(row, post.title);
			assert.equal(row.category, post.category);
			const full = (await api("GET", `/api/posts/${row.id}`)).body;
			assert.match(full.content, /```[a-z]+\n/, `${post.title}: a fenced code block`);
			assert.match(full.html, /<pre/);
			const comments = await api("GET", `/api/posts/${row.id}/comments?pageSize=100`);
			assert.equal(comments.body.total, post.comments.length, post.title);
			assert.equal(
				comments.body.rows.filter((c: any) => c.parentId).length,
				post.comments.filter(c => c.replyTo !== undefined).length
			);
			for (const [kind, people] of Object.entries(post.reactions))
				assert.equal(full.reactions[kind], people.length, `${post.title}: ${kind}`);
		}
	});

	it("when seeded then the practice problem is published with its tests, and both reference solutions are accepted", async () => {
		const { body } = await api("GET", "/api/problems");
		assert.equal(body.total, 1);
		const problem = body.rows[0];
		assert.equal(problem.title, PRACTICE_PROBLEM.title);
		assert.equal(problem.status, "published");
		assert.equal(problem.testCount, PRACTICE_PROBLEM.tests.length);
		await eventually(
			"both reference solutions accepted",
			async () => (await api("GET", `/api/problems/${problem.id}`)).body.solvedCount,
			solved => solved === PRACTICE_PROBLEM.solutions.length,
			VERDICT_MS,
			500
		);
	});

	it("when seeded then the contest runs with its participants, its problems and standings", async () => {
		const { body } = await api("GET", "/api/contests?status=running");
		assert.equal(body.total, 1);
		const contest = body.rows[0];
		assert.equal(contest.title, CONTEST.title);
		assert.equal(contest.participantCount, CONTEST.participants.length);
		assert.equal(contest.problemCount, CONTEST.answerProblems.length + 1);
		const board = await api("GET", `/api/contests/${contest.id}/leaderboard`);
		assert.equal(board.status, 200);
		assert.equal(board.body.total, CONTEST.participants.length);
		assert.ok(board.body.rows[0].solved >= 1, JSON.stringify(board.body.rows[0]));
	});

	it("when seed-demo runs again then it refuses in one line with exit 1 and writes nothing", async () => {
		const before = await totals(api);
		const again = await runSeed(baseUrl);
		assert.equal(again.code, 1);
		assert.equal(again.stdout, "");
		assert.match(
			again.stderr,
			/^Refusing to seed: the platform at .* is not empty \(it has \d+ posts\); seed-demo only fills an empty one\.\n$/
		);
		assert.deepEqual(await totals(api), before);
	});
});
