/**
 * The code judge scaled out, with real processes over RabbitMQ: a front node (gateway, users,
 * problems) and `SERVICES=judge` nodes sharing the durable queue of queued submissions, on scratch
 * PostgreSQL databases and the Redis cacher. Two judge nodes share the work; one is killed -9 in
 * the middle of judging: its submissions go back to the queue, the other node claims them again
 * (one more attempt each) and every submission gets exactly one verdict, one `submission.judged`
 * event and at most one solve. A third node started afterwards takes its share. Observed from
 * outside: HTTP, each node's Prometheus endpoint, the problems database read directly.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { registerMany, type TestUser } from "../helpers/accounts";
import { eventually } from "../helpers/eventually";
import { JUDGE_START_DEADLINE_MS, judgeCluster, problemBody, type Sent, type SubmissionState } from "../helpers/judge";
import { ok } from "../helpers/posts";
import type { NodeProcess } from "../helpers/processes";
import { unavailable } from "../helpers/services";

/** A fast A+B: a JavaScript submission of a few tests is judged in well under a second. */
const A_PLUS_B = `const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n`;
/** The same, busy for 300 ms per test: with 6 tests a submission is in flight for about 2 s. */
const SLOW_A_PLUS_B = `const until = Date.now() + 300;\nwhile (Date.now() < until) {}\n${A_PLUS_B}`;
const SUM_TESTS = [
	{ input: "1 2\n", output: "3\n" },
	{ input: "40 2\n", output: "42\n" },
	{ input: "-5 5\n", output: "0\n" }
];
const SLOW_TESTS = Array.from({ length: 6 }, (_, i) => ({ input: `${i} ${i * 7}\n`, output: `${i * 8}\n` }));
/** The judge slots of the two nodes (their queue prefetch); the first is the one killed. */
const SLOTS = [2, 1];
/** The limit of unfinished submissions per user is 5 (429 beyond): each user sends fewer at once. */
const LEARNERS = 3;
/** Fast submissions judged by two or three nodes on a shared 2-core machine. */
const VERDICTS_MS = 30_000;
/** The killed node's submissions are back in the queue at once (its connection closed); judging them again takes seconds. */
const RECOVERY_MS = 60_000;
/** A killed judge's sandbox processes leave on their own (the IPC channel closed) within this. */
const ORPHANS_MS = 10_000;

/** The direct children of a process (the JavaScript sandbox's host processes), by `ps`. */
function childrenOf(pid: number): number[] {
	try {
		return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
			.split("\n")
			.map(s => Number(s.trim()))
			.filter(n => n > 0);
	} catch {
		return []; // ps exits 1 when there is none
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe("judge nodes scaled out over RabbitMQ", { skip: unavailable("postgres", "amqp", "redis"), concurrency: 1 }, () => {
	const cluster = judgeCluster("judge");
	let judges: NodeProcess[] = [];
	let author: TestUser;
	let learners: TestUser[] = [];
	let sumProblem: string;
	let slowProblem: string;
	let readyMs: number;

	/** `perUser` submissions of each learner, one after another, the learners at once. */
	const submitEach = async (problemId: string, source: string, perUser: number): Promise<Sent[]> =>
		(
			await Promise.all(
				learners.map(async user => {
					const sent: Sent[] = [];
					for (let i = 0; i < perUser; i++) sent.push(await cluster.submit(problemId, user, "javascript", source));
					return sent;
				})
			)
		).flat();

	const assertAllAccepted = (states: SubmissionState[], tests: number) => {
		for (const s of states) {
			assert.equal(s.verdict, "AC", JSON.stringify(s));
			assert.equal(s.score, 100, JSON.stringify(s));
			assert.equal(s.tests.length, tests, JSON.stringify(s));
		}
	};

	before(
		async () => {
			const started = performance.now();
			judges = await cluster.start(SLOTS);
			const users = await registerMany(cluster.api, LEARNERS + 1, "judged");
			[author, ...learners] = users;
			sumProblem = await cluster.publishedProblem(author, problemBody("A plus B", SUM_TESTS));
			slowProblem = await cluster.publishedProblem(author, problemBody("A plus B, slowly", SLOW_TESTS, 2000));
			readyMs = performance.now() - started;
		},
		{ timeout: JUDGE_START_DEADLINE_MS + 60_000 }
	);

	after(() => cluster.stop(), { timeout: 60_000 });

	test("when two judge nodes run then both take submissions, and each is judged once", { timeout: 60_000 }, t =>
		cluster.diagnosed(t, async () => {
			const counted = await Promise.all(judges.map(n => cluster.judgedBy(n)));
			const started = performance.now();
			const sent = await submitEach(sumProblem, A_PLUS_B, 4);
			const states = await cluster.allDone(sent, VERDICTS_MS);
			const elapsed = performance.now() - started;
			assertAllAccepted(states, SUM_TESTS.length);

			// The counter moves after the verdict is recorded, the status before: poll to the total.
			const judged = await eventually(
				"both nodes' counters account for every submission",
				async () => (await Promise.all(judges.map(n => cluster.judgedBy(n)))).map((v, i) => v - counted[i]),
				counts => counts.reduce((a, b) => a + b, 0) >= sent.length,
				5000
			);
			t.diagnostic(
				`front and ${judges.length} judge nodes ready in ${Math.round(readyMs)} ms; ${sent.length} submissions judged in ${Math.round(elapsed)} ms; by node: ${judges.map((n, i) => `${n.name} ${judged[i]}`).join(", ")}`
			);
			assert.equal(
				judged.reduce((a, b) => a + b, 0),
				sent.length,
				`the nodes judged ${JSON.stringify(judged)}`
			);
			for (const [i, n] of judged.entries()) assert.ok(n > 0, `${judges[i].name} judged none: ${JSON.stringify(judged)}`);

			const rows = await cluster.query<{ id: string; attempts: number }>(
				`SELECT id, attempts FROM "problems".submissions WHERE id = ANY($1)`,
				[sent.map(s => s.id)]
			);
			assert.equal(rows.length, sent.length);
			for (const r of rows) assert.equal(r.attempts, 1, `submission ${r.id} was claimed ${r.attempts} times with no node lost`);
		})
	);

	test(
		"when a judge node is killed -9 mid-judging then another node judges its submissions: one verdict each, one event each",
		{ timeout: 120_000 },
		t =>
			cluster.diagnosed(t, async () => {
				const [victim, survivor] = judges;
				const survivorBefore = await cluster.judgedBy(survivor);
				const reportsBefore = await cluster.callsOf(victim, "problems.reportProgress");
				const sent = await submitEach(slowProblem, SLOW_A_PLUS_B, 2);

				// Mid-judging, on the victim: it holds claimed submissions with no verdict, and has reported more
				// progress than "compiling" and "test 1" for each of them, so one of its own is past its first test.
				const submittedAt = performance.now();
				const atKill = await eventually(
					`${victim.name} judging, one of its submissions past its first test`,
					async () => ({
						judging: await cluster.judgingOn(victim),
						reports: (await cluster.callsOf(victim, "problems.reportProgress")) - reportsBefore,
						states: await cluster.submissions(sent)
					}),
					({ judging, reports }) => judging >= 1 && reports >= 2 * judging + 1,
					30_000,
					50
				);
				const sandboxes = childrenOf(victim.pid);
				assert.ok(sandboxes.length >= 1, `${victim.name} runs JavaScript in sandbox host processes, none found`);
				const killedAt = Date.now();
				const killedPerf = performance.now();
				victim.child.kill("SIGKILL");
				assert.equal((await victim.exited).signal, "SIGKILL");
				// The dead node's sandbox processes do not outlive it (watched while the others judge).
				const orphansGone = eventually(
					`${victim.name}'s sandbox processes ${JSON.stringify(sandboxes)} exited`,
					async () => sandboxes.filter(alive),
					left => left.length === 0,
					ORPHANS_MS,
					50
				).then(() => performance.now() - killedPerf);
				orphansGone.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
				t.diagnostic(
					`killed ${victim.name} ${Math.round(killedPerf - submittedAt)} ms after the submissions, judging ${atKill.judging} (${atKill.reports} progress reports); ` +
						`statuses then: ${JSON.stringify(atKill.states.map(s => (s.progress ? `${s.status} ${s.progress.test}/${s.progress.of}` : s.status)))}`
				);

				const states = await cluster.allDone(sent, RECOVERY_MS);
				const recoveredMs = performance.now() - killedPerf;
				assertAllAccepted(states, SLOW_TESTS.length);

				const ids = sent.map(s => s.id);
				const rows = await cluster.query<{ id: string; attempts: number; judged_ms: number }>(
					`SELECT id, attempts, (extract(epoch FROM judged_at) * 1000)::float8 AS judged_ms FROM "problems".submissions WHERE id = ANY($1)`,
					[ids]
				);
				const events = await cluster.query<{ aggregate_id: string; n: number }>(
					`SELECT aggregate_id, count(*)::int AS n FROM "problems".outbox WHERE type = 'submission.judged' AND aggregate_id = ANY($1) GROUP BY aggregate_id`,
					[ids]
				);
				const reclaimed = rows.filter(r => r.attempts >= 2);
				t.diagnostic(
					[
						`all ${sent.length} done ${Math.round(recoveredMs)} ms after the kill`,
						`attempts: ${JSON.stringify(rows.map(r => r.attempts))}`,
						`claimed again: ${reclaimed.length}, their verdicts ${reclaimed.map(r => Math.round(r.judged_ms - killedAt)).join(", ")} ms after the kill`
					].join("\n")
				);

				assert.equal(rows.length, sent.length);
				const eventsOf = new Map(events.map(e => [e.aggregate_id, e.n]));
				for (const id of ids) assert.equal(eventsOf.get(id) ?? 0, 1, `submission.judged rows of ${id}: ${JSON.stringify(events)}`);
				assert.ok(reclaimed.length >= 1, `no submission was claimed again after the kill: ${JSON.stringify(rows)}`);
				// Only what the dead node held went back to the queue, once: nothing else was judged twice.
				assert.ok(
					reclaimed.length <= SLOTS[0],
					`${reclaimed.length} submissions claimed again, the dead node held at most ${SLOTS[0]}: ${JSON.stringify(rows)}`
				);
				for (const r of rows) assert.ok(r.attempts <= 2, `submission ${r.id} claimed ${r.attempts} times after one kill`);
				for (const r of reclaimed) assert.ok(r.judged_ms >= killedAt, `${r.id} was claimed again yet judged before the kill`);

				// The survivor judged what the dead node had claimed (its counter moves after recording).
				const survivorJudged = await eventually(
					`${survivor.name} counted its verdicts`,
					async () => (await cluster.judgedBy(survivor)) - survivorBefore,
					n => n >= reclaimed.length,
					5000
				);
				t.diagnostic(`${survivor.name} judged ${survivorJudged} of the ${sent.length}`);

				// One solve per user, however many accepted submissions and claims.
				const solves = await cluster.query<{ user_id: string }>(`SELECT user_id FROM "problems".solved WHERE problem_id = $1`, [
					slowProblem
				]);
				const firstSolves = await cluster.query<{ n: number }>(
					`SELECT count(*)::int AS n FROM "problems".outbox WHERE type = 'submission.judged' AND aggregate_id = ANY($1) AND (envelope->'payload'->>'firstSolve')::boolean`,
					[ids]
				);
				const problem = ok(await cluster.api("GET", `/api/problems/${slowProblem}`, { token: learners[0].token }));
				assert.equal(problem.solvedCount, LEARNERS, `solvedCount ${problem.solvedCount} for ${LEARNERS} users`);
				assert.deepEqual(solves.map(s => s.user_id).sort(), learners.map(u => u.id).sort());
				assert.equal(firstSolves[0].n, LEARNERS, "one first solve event per user");

				const orphansMs = await orphansGone;
				t.diagnostic(`${victim.name}'s ${sandboxes.length} sandbox processes exited ${Math.round(orphansMs)} ms after the kill`);
			})
	);

	test("when a third judge node starts after the kill then it takes submissions", { timeout: JUDGE_START_DEADLINE_MS + 60_000 }, t =>
		cluster.diagnosed(t, async () => {
			const survivor = judges[1];
			const startedAt = performance.now();
			const third = await cluster.startJudge("judge-3", 1);
			await third.waitReady(JUDGE_START_DEADLINE_MS);
			const startMs = performance.now() - startedAt;
			// The front node has dropped the dead one and knows the new one.
			await cluster.untilJudgeEndpoints(2);

			const counted = await Promise.all([survivor, third].map(n => cluster.judgedBy(n)));
			const sent = await submitEach(sumProblem, A_PLUS_B, 4);
			assertAllAccepted(await cluster.allDone(sent, VERDICTS_MS), SUM_TESTS.length);
			const judged = await eventually(
				"the two nodes' counters account for every submission",
				async () => (await Promise.all([survivor, third].map(n => cluster.judgedBy(n)))).map((v, i) => v - counted[i]),
				counts => counts.reduce((a, b) => a + b, 0) >= sent.length,
				5000
			);
			t.diagnostic(
				`judge-3 ready ${Math.round(startMs)} ms after its start; of ${sent.length}: ${survivor.name} ${judged[0]}, judge-3 ${judged[1]}`
			);
			assert.equal(judged[0] + judged[1], sent.length, JSON.stringify(judged));
			assert.ok(judged[1] > 0, `judge-3 judged none: ${JSON.stringify(judged)}`);
		})
	);
});
