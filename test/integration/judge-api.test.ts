/**
 * Problems and the judge through the gateway, in one process on the real PostgreSQL (events
 * in-process): problems with hidden tests, drafts and publication, submissions in every language
 * judged in their sandboxes to each verdict, checkers and batches, live progress on the stream,
 * solved counts, and what never reaches a participant (hidden tests, others' submissions).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { strToU8, zipSync } from "fflate";
import { register, registerAdmin, type TestUser } from "../helpers/accounts";
import { scratchDatabase } from "../helpers/database";
import { type Platform, startPlatform } from "../helpers/platform";
import { assertError, ok, SseStream } from "../helpers/notifications";
import { unavailable } from "../helpers/services";
import { judgedSubmission } from "../helpers/judge";

/** A compile of C++ takes seconds on a loaded machine; a verdict comes well within this. */
const VERDICT_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const A_PLUS_B: Record<string, string> = {
	javascript: `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`,
	c: `#include <stdio.h>\nint main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); return 0; }\n`,
	cpp: `#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n`,
	python: `a, b = map(int, input().split())\nprint(a + b)\n`
};

const SUM_TESTS = [
	{ input: "1 2\n", output: "3\n", sample: true },
	{ input: "40 2\n", output: "42\n" },
	{ input: "-5 5\n", output: "0\n" }
];

const problemBody = (extra: Record<string, unknown> = {}) => ({
	title: "A plus B",
	statement: "Read two integers and print their **sum**.",
	timeLimitMs: 1000,
	memoryLimitMb: 64,
	tags: ["math"],
	difficulty: "easy",
	tests: SUM_TESTS,
	...extra
});

describe("problems and the judge in one process, on the real PostgreSQL", { skip: unavailable("postgres") }, () => {
	const db = scratchDatabase("codelearn_test_problems");
	const users = scratchDatabase("codelearn_test_users");
	let platform: Platform;
	let author: TestUser;
	let learner: TestUser;
	let published: { id: string };

	const api = (...args: Parameters<Platform["api"]>) => platform.api(...args);
	const createProblem = async (user: TestUser, body = problemBody()) =>
		ok(await api("POST", "/api/problems", { token: user.token, body }), 201);
	const publish = async (id: string, user = author) => ok(await api("POST", `/api/problems/${id}/publish`, { token: user.token }));
	const submit = async (problemId: string, language: string, source: string, user = learner) =>
		ok(await api("POST", `/api/problems/${problemId}/submissions`, { token: user.token, body: { language, source } }), 202);
	const verdictOf = (id: string, user = learner) => judgedSubmission(api, user, id, VERDICT_MS);
	const judged = async (problemId: string, language: string, source: string, user = learner) =>
		verdictOf((await submit(problemId, language, source, user)).id, user);

	before(async () => {
		platform = await startPlatform({
			SERVICES: "gateway,users,problems,judge",
			PROBLEMS_DATABASE_URL: db.url,
			USERS_DATABASE_URL: users.url,
			JUDGE_SLOTS: "2",
			RATE_LIMIT_MAX: "1000000",
			ACCESS_TOKEN_TTL_S: "3600"
		});
		[author, learner] = await Promise.all([register(platform.api, "author"), register(platform.api, "learner")]);
		published = await createProblem(author);
		await publish(published.id);
	});

	after(async () => {
		await platform?.stop();
		await Promise.all([db.drop(), users.drop()]);
	});

	it("when the languages are listed then JavaScript, C, C++ and Python are there, each available with its version", async () => {
		const languages = ok(await api("GET", "/api/judge/languages"));
		assert.deepEqual(
			languages.map((l: { id: string }) => l.id),
			["javascript", "c", "cpp", "python"]
		);
		for (const language of languages) {
			assert.equal(language.available, true, `${language.id}: ${language.reason}`);
			assert.ok(language.version.length > 3, `${language.id} names its version`);
		}
	});

	it("when a problem is created then it is its author's draft, with samples shown and hidden tests only counted", async () => {
		const created = await createProblem(author);
		assert.match(created.id, UUID);
		assert.equal(created.status, "draft");
		assert.equal(created.authorId, author.id);
		assert.equal(created.testCount, 3);
		assert.deepEqual(created.samples, [{ input: "1 2\n", output: "3\n" }]);
		assert.equal(created.checker, "tokens");
		assert.equal(created.scoring, "all-or-nothing");
		assert.match(created.statementHtml, /<strong>sum<\/strong>/);
		assert.equal("tests" in created, false);
		assert.ok(!JSON.stringify(created).includes("40 2"), "a hidden test's input never shows");

		assertError(await api("GET", `/api/problems/${created.id}`, { token: learner.token }), 404);
		assertError(await api("GET", `/api/problems/${created.id}`), 404);
		assertError(await api("POST", `/api/problems/${created.id}/publish`, { token: learner.token }), 404);
		assertError(
			await api("POST", `/api/problems/${created.id}/submissions`, {
				token: learner.token,
				body: { language: "python", source: "print(3)" }
			}),
			404
		);
		assert.equal(ok(await api("GET", `/api/problems/${created.id}`, { token: author.token })).id, created.id);

		const listed = ok(await api("GET", "/api/problems?pageSize=100"));
		assert.ok(!listed.rows.some((p: { id: string }) => p.id === created.id), "a draft is not in the archive");
		const afterPublish = await publish(created.id);
		assert.equal(afterPublish.status, "published");
		assertError(await api("POST", `/api/problems/${created.id}/publish`, { token: author.token }), 409, "ALREADY_PUBLISHED");
		const archive = ok(await api("GET", "/api/problems?tag=math&difficulty=easy&pageSize=100"));
		assert.ok(archive.rows.some((p: { id: string }) => p.id === created.id));
	});

	for (const language of Object.keys(A_PLUS_B)) {
		it(`when a correct ${language} program is submitted then it is accepted on every test, the sample shown in full`, async () => {
			const submitted = await submit(published.id, language, A_PLUS_B[language]);
			assert.equal(submitted.status, "queued");
			const result = await verdictOf(submitted.id);
			assert.equal(result.verdict, "AC", JSON.stringify(result));
			assert.equal(result.score, 100);
			assert.equal(result.language, language);
			assert.equal(result.tests.length, 3);
			assert.deepEqual(
				result.tests.map((t: { verdict: string }) => t.verdict),
				["AC", "AC", "AC"]
			);
			assert.deepEqual([result.tests[0].input, result.tests[0].expected, result.tests[0].actual], ["1 2\n", "3\n", "3\n"]);
			for (const hiddenTest of result.tests.slice(1))
				assert.deepEqual(Object.keys(hiddenTest).sort(), ["memoryKb", "timeMs", "verdict"]);
		});
	}

	it("when programs are wrong, slow, crash or do not compile then each gets its verdict, and hidden tests stay hidden", async () => {
		const [wrong, slow, crash, compile] = await Promise.all([
			judged(published.id, "python", "a, b = map(int, input().split())\nprint(a - b if a == 40 else a + b)\n"),
			judged(published.id, "javascript", "for (;;) {}"),
			judged(published.id, "python", "import sys\nprint('secret', sys.stdin.read(), file=sys.stderr)\nraise SystemExit(3)\n"),
			judged(published.id, "c", "int main(void) { return undefined_name; }\n")
		]);
		assert.equal(wrong.verdict, "WA");
		assert.deepEqual(
			wrong.tests.map((t: { verdict: string }) => t.verdict),
			["AC", "WA"],
			"all-or-nothing stops at the first failure"
		);
		assert.equal(wrong.tests[1].message, undefined, "a hidden test's checker message would quote its answer");
		assert.equal(wrong.score, 0);
		assert.equal(slow.verdict, "TLE");
		assert.equal(crash.verdict, "RE");
		assert.match(crash.tests[0].message, /secret 1 2/, "a sample's stderr is shown");
		assert.equal(compile.verdict, "CE");
		assert.match(compile.compileMessage, /undefined_name/);
		assert.deepEqual(compile.tests, []);
	});

	it("when a problem has batches and partial scoring then each batch scores only if all its tests pass", async () => {
		const problem = await createProblem(
			author,
			problemBody({
				scoring: "partial",
				batches: [{ points: 30 }, { points: 70 }],
				tests: [
					{ input: "1 2\n", output: "3\n", sample: true, batch: 0 },
					{ input: "2 2\n", output: "4\n", batch: 0 },
					{ input: "100 1\n", output: "101\n", batch: 1 },
					{ input: "100 2\n", output: "102\n", batch: 1 }
				]
			})
		);
		await publish(problem.id);
		const smallOnly = await judged(problem.id, "python", "a, b = map(int, input().split())\nprint(a + b if a < 100 else 0)\n");
		assert.equal(smallOnly.verdict, "WA");
		assert.equal(smallOnly.score, 30);
		assert.equal(smallOnly.tests.length, 4, "with batches every test is judged");
		assert.equal((await judged(problem.id, "python", A_PLUS_B.python)).score, 100);
	});

	it("when a problem compares floats or uses a custom checker then answers within tolerance, or that the checker accepts, pass", async () => {
		const floats = await createProblem(
			author,
			problemBody({ checker: { kind: "floats", absolute: 1e-3 }, tests: [{ input: "1 3\n", output: "0.333333\n", sample: true }] })
		);
		await publish(floats.id);
		assert.equal((await judged(floats.id, "python", "a, b = map(int, input().split())\nprint(round(a / b, 4))\n")).verdict, "AC");
		assert.equal((await judged(floats.id, "python", "print(0.34)\n")).verdict, "WA");

		// Any pair of numbers summing to the input's value is accepted: testlib's exit codes, 0 accepts, 1 rejects.
		const checker = [
			"import sys",
			"n = int(open(sys.argv[1]).read())",
			"out = open(sys.argv[2]).read().split()",
			"sys.exit(0 if len(out) == 2 and int(out[0]) + int(out[1]) == n else 1)"
		].join("\n");
		const split = await createProblem(
			author,
			problemBody({
				checker: { kind: "custom", language: "python", source: checker },
				tests: [{ input: "10\n", output: "5 5\n", sample: true }]
			})
		);
		await publish(split.id);
		assert.equal((await judged(split.id, "javascript", "console.log('3 7')")).verdict, "AC");
		assert.equal((await judged(split.id, "javascript", "console.log('3 8')")).verdict, "WA");
	});

	it("when a submission is judged then its submitter's stream shows compiling, each test and the verdict", async () => {
		const { ticket } = ok(await api("POST", "/api/notifications/stream-ticket", { token: learner.token }));
		const stream = await SseStream.connect(`${platform.baseUrl}/api/notifications/stream?ticket=${encodeURIComponent(ticket)}`);
		try {
			const { id } = await submit(published.id, "javascript", A_PLUS_B.javascript);
			const mine = (f: { event?: string; data?: string }) => f.event === "submission" && JSON.parse(f.data!).submissionId === id;
			await stream.waitFor("the verdict on the stream", f => mine(f) && JSON.parse(f.data!).status === "done", VERDICT_MS);
			const steps = stream.frames.filter(mine).map(f => JSON.parse(f.data!));
			assert.deepEqual(
				steps.map(s => [s.status, s.test ?? null]),
				[
					["compiling", null],
					["running", 1],
					["running", 2],
					["running", 3],
					["done", null]
				]
			);
			assert.equal(steps.at(-1).verdict, "AC");
		} finally {
			await stream.close();
		}
	});

	it("when a problem has pretests then they run first, whatever their place, and their verdict shows before the other tests end", async () => {
		const problem = await createProblem(
			author,
			problemBody({
				tests: [
					{ input: "40 2\n", output: "42\n" },
					{ input: "-5 5\n", output: "0\n" },
					{ input: "1 2\n", output: "3\n", pretest: true }
				]
			})
		);
		await publish(problem.id);
		const { ticket } = ok(await api("POST", "/api/notifications/stream-ticket", { token: learner.token }));
		const stream = await SseStream.connect(`${platform.baseUrl}/api/notifications/stream?ticket=${encodeURIComponent(ticket)}`);
		try {
			// Right on small numbers only: it passes the pretest (1 2) and fails the first hidden test.
			const { id } = await submit(problem.id, "python", "a, b = map(int, input().split())\nprint(a + b if a < 10 else 0)\n");
			const mine = (f: { event?: string; data?: string }) => f.event === "submission" && JSON.parse(f.data!).submissionId === id;
			await stream.waitFor("the verdict on the stream", f => mine(f) && JSON.parse(f.data!).status === "done", VERDICT_MS);
			const steps = stream.frames.filter(mine).map(f => JSON.parse(f.data!));
			assert.deepEqual(
				steps.map(s => [s.status, s.test ?? null, s.pretestVerdict ?? null]),
				[
					["compiling", null, null],
					["running", 1, null],
					["running", 2, "AC"],
					["done", null, null]
				],
				"the pretests' verdict comes with the first test after them"
			);
			const done = await verdictOf(id);
			assert.deepEqual(
				{
					verdict: done.verdict,
					pretestVerdict: done.pretestVerdict,
					tests: done.tests.map((t: { verdict: string }) => t.verdict)
				},
				{ verdict: "WA", pretestVerdict: "AC", tests: ["AC", "WA"] }
			);
		} finally {
			await stream.close();
		}
		const failsPretest = await judged(problem.id, "python", "print(0)\n");
		assert.deepEqual(
			{ verdict: failsPretest.verdict, pretestVerdict: failsPretest.pretestVerdict },
			{ verdict: "WA", pretestVerdict: "WA" }
		);
		assert.equal((await judged(published.id, "python", "print(3)\n")).pretestVerdict, null, "a problem without pretests has none");
	});

	it("when someone else asks for a submission then it does not exist for them; an admin may read it", async () => {
		const { id } = await submit(published.id, "python", A_PLUS_B.python);
		assertError(await api("GET", `/api/submissions/${id}`, { token: author.token }), 404, "SUBMISSION_NOT_FOUND");
		assertError(await api("GET", `/api/submissions/${id}`), 401);
		const admin = await registerAdmin(platform.api, platform.broker);
		assert.equal(ok(await api("GET", `/api/submissions/${id}`, { token: admin.token })).id, id);
		const mine = ok(await api("GET", `/api/problems/${published.id}/submissions?pageSize=100`, { token: learner.token }));
		assert.ok(mine.rows.some((s: { id: string }) => s.id === id));
		assert.ok(mine.rows.every((s: { userId: string }) => s.userId === learner.id));
	});

	it("when a user solves a problem twice then it counts once in the archive and shows as solved to them", async () => {
		const problem = await createProblem(author);
		await publish(problem.id);
		const solver = await register(platform.api, "solver");
		for (let i = 0; i < 2; i++) assert.equal((await judged(problem.id, "python", A_PLUS_B.python, solver)).verdict, "AC");
		const seen = ok(await api("GET", `/api/problems/${problem.id}`, { token: solver.token }));
		assert.equal(seen.solvedCount, 1);
		assert.equal(seen.solved, true);
		assert.equal(ok(await api("GET", `/api/problems/${problem.id}`, { token: learner.token })).solved, false);
	});

	it("when the author uploads tests as a zip or as JSON then they replace the old ones; anyone else, or a bad archive, is refused", async () => {
		const problem = await createProblem(author);
		await publish(problem.id);
		const upload = (body: Uint8Array | string, user = author, type = "application/zip") =>
			fetch(`${platform.baseUrl}/api/problems/${problem.id}/tests`, {
				method: "PUT",
				headers: { authorization: `Bearer ${user.token}`, "content-type": type },
				body
			}).then(async res => ({ status: res.status, headers: res.headers, body: (await res.json()) as any }));
		const zip = zipSync({
			"samples/1.in": strToU8("2 3\n"),
			"samples/1.out": strToU8("5\n"),
			"2.in": strToU8("10 20\n"),
			"2.out": strToU8("30\n"),
			"10.in": strToU8("7 7\n"),
			"10.ans": strToU8("14\n")
		});
		const replaced = ok(await upload(zip));
		assert.equal(replaced.testCount, 3);
		assert.deepEqual(replaced.samples, [{ input: "2 3\n", output: "5\n" }]);
		const judgedNow = await judged(problem.id, "javascript", A_PLUS_B.javascript);
		assert.equal(judgedNow.verdict, "AC");
		assert.equal(judgedNow.tests.length, 3);
		assert.equal(judgedNow.tests[0].input, "2 3\n", "judged on the uploaded tests");

		const json = JSON.stringify({ tests: [{ input: "1 1\n", output: "2\n", sample: true }] });
		assert.equal(ok(await upload(json, author, "application/json")).testCount, 1);
		assertError(await upload(zip, learner), 403, "FORBIDDEN");
		assertError(await upload(strToU8("not a zip")), 422, "TESTS_INVALID_ARCHIVE");
		assertError(await upload(zipSync({ "1.in": strToU8("1") })), 422, "TESTS_UNPAIRED");
		assertError(await upload(new Uint8Array(33 * 1024 * 1024)), 413);
		assert.equal(ok(await api("GET", `/api/problems/${problem.id}`)).testCount, 1, "refused uploads change nothing");
	});

	it("when submissions are malformed or problems inconsistent then the answer is a 4xx in the error shape and nothing is written", async () => {
		const bad = (body: unknown, user = learner) =>
			api("POST", `/api/problems/${published.id}/submissions`, { token: user.token, body });
		assertError(await bad({ language: "brainfuck", source: "+" }), 422);
		assertError(await bad({ language: "python", source: "" }), 422);
		assertError(await bad({ language: "python", source: "x".repeat(70_000) }), 422);
		assertError(await bad({ language: "python", source: "é".repeat(40_000) }), 422, "VALIDATION_ERROR");
		assertError(await bad({ language: "python", source: "x".repeat(200_000) }), 413);
		assertError(await bad({ language: "python" }), 422);
		assertError(
			await api("POST", `/api/problems/${published.id}/submissions`, { body: { language: "python", source: "print(1)" } }),
			401
		);
		const create = (body: unknown) => api("POST", "/api/problems", { token: author.token, body });
		assertError(await create(problemBody({ batches: [{ points: 10 }] })), 422);
		assertError(await create(problemBody({ checker: { kind: "custom" } })), 422);
		assertError(await create(problemBody({ checker: { kind: "tokens", absolute: 0.1 } })), 422);
		assertError(await create(problemBody({ tests: [] })), 422);
		assertError(await create(problemBody({ timeLimitMs: 60_000 })), 422);
		const mine = ok(await api("GET", `/api/problems/${published.id}/submissions?pageSize=100`, { token: learner.token }));
		assert.ok(mine.rows.every((s: { language: string }) => Object.keys(A_PLUS_B).includes(s.language)));
	});

	it("when a user has five submissions waiting then a sixth is refused with 429 until the judge catches up", async () => {
		const busy = await register(platform.api, "busy");
		const slow = "const t = Date.now(); while (Date.now() - t < 900) {}\nconsole.log(3);";
		const queued = await Promise.all(Array.from({ length: 5 }, () => submit(published.id, "javascript", slow, busy)));
		assertError(
			await api("POST", `/api/problems/${published.id}/submissions`, {
				token: busy.token,
				body: { language: "javascript", source: slow }
			}),
			429
		);
		await Promise.all(queued.map(s => verdictOf(s.id, busy)));
		await submit(published.id, "javascript", A_PLUS_B.javascript, busy);
	});
});
