/**
 * The operators' REPL as an operator runs it: `node --import tsx scripts/repl.ts` in its own
 * process, joining a cluster over NATS (one node in this process with users and audit), driven
 * through its stdin line by line the way a terminal sends them, and judged by what it prints.
 */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Errors } from "moleculer";
import { Redis } from "ioredis";
import { Pool } from "pg";
import { createEvent } from "../../lib/events/envelope";
import { REPL_PROMPT } from "../../broker/repl";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { TEST_JWT_SECRET } from "../helpers/env";
import { eventually } from "../helpers/eventually";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform } from "../helpers/platform";
import { REPO_ROOT } from "../helpers/processes";
import { TEST_SERVICES, unavailable } from "../helpers/services";

/** tsx compiles on the fly and the machine is loaded: start-up and discovery get time. */
const START_DEADLINE_MS = 60_000;
const COMMAND_DEADLINE_MS = 30_000;
const PROMPT = `${REPL_PROMPT} `;
/** Colour codes (the `call` command colours its response even off a terminal). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/**
 * A REPL process on piped stdin/stdout. Node's REPL evaluates each line as it arrives, without
 * waiting for the previous command, so each command is sent only once the prompt that ends the
 * previous one is back, and its output is what came in between.
 */
class ReplSession {
	private output = "";
	readonly exited: Promise<number | null>;

	constructor(readonly child: ChildProcessWithoutNullStreams) {
		const append = (chunk: Buffer) => (this.output += chunk.toString("utf8").replace(ANSI, ""));
		child.stdout.on("data", append);
		child.stderr.on("data", append);
		this.exited = new Promise(resolve => child.once("exit", code => resolve(code)));
	}

	private prompts(): number {
		return this.output.split(PROMPT).length - 1;
	}

	/** Everything printed so far (for failure messages). */
	transcript(): string {
		return this.output.slice(-8000);
	}

	private async waitForPrompts(count: number, what: string, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.prompts() < count) {
			if (this.child.exitCode !== null) assert.fail(`the REPL exited (${this.child.exitCode}) ${what}:\n${this.transcript()}`);
			if (Date.now() > deadline) assert.fail(`no prompt within ${timeoutMs} ms ${what}:\n${this.transcript()}`);
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	}

	/** Resolves at the first prompt: the node has joined and the REPL reads commands. */
	ready(timeoutMs = START_DEADLINE_MS): Promise<void> {
		return this.waitForPrompts(1, "at start-up", timeoutMs);
	}

	/** Types a line and returns what the command printed, once the prompt is back. */
	async run(line: string, timeoutMs = COMMAND_DEADLINE_MS): Promise<string> {
		const before = this.prompts();
		const from = this.output.length;
		this.child.stdin.write(`${line}\n`);
		await this.waitForPrompts(before + 1, `after '${line}'`, timeoutMs);
		const printed = this.output.slice(from);
		return printed.slice(0, printed.lastIndexOf(PROMPT));
	}

	/** Repeats a command until its output satisfies `ok` (e.g. until discovery has happened). */
	async runUntil(line: string, ok: (output: string) => boolean, timeoutMs = COMMAND_DEADLINE_MS): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const output = await this.run(line);
			if (ok(output)) return output;
			if (Date.now() > deadline) assert.fail(`'${line}' never printed what was expected within ${timeoutMs} ms; last:\n${output}`);
			await new Promise(resolve => setTimeout(resolve, 250));
		}
	}
}

/** `node --import tsx <script>` in the repository root, with only this environment (and PATH). */
function openRepl(script: string, env: Record<string, string>): ReplSession {
	const child = spawn(process.execPath, ["--import", "tsx", script], {
		cwd: REPO_ROOT,
		env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
		stdio: ["pipe", "pipe", "pipe"]
	});
	return new ReplSession(child);
}

/** Sends `quit` and waits for the exit code (or says that it is still running). */
async function quit(repl: ReplSession): Promise<number | null | string> {
	repl.child.stdin.write("quit\n");
	return Promise.race([
		repl.exited,
		new Promise<string>(resolve => setTimeout(() => resolve("still running after 30 s"), 30_000).unref())
	]);
}

const skip = unavailable("postgres", "nats", "amqp");

describe("the operators' REPL on a cluster over NATS", { skip, concurrency: 1 }, () => {
	const namespace = `repl-test-${process.pid}-${randomBytes(3).toString("hex")}`;
	const nodeID = `${namespace}-node`;
	const dbs = { users: scratchDatabase("codelearn_test_users"), audit: scratchDatabase("codelearn_test_audit") };
	let platform: Platform;
	let audit: Pool;
	let home: string;
	let repl: ReplSession;
	/** A dead letter put in the audit inbox by the test, as the consumer leaves one after its last attempt. */
	const deadEvent = createEvent("users", {
		type: "user.updated",
		aggregateId: randomUUID(),
		actorId: null,
		payload: { fields: ["displayName"] }
	});

	before(
		async () => {
			platform = await startPlatform({
				SERVICES: "users,audit",
				NAMESPACE: namespace,
				NODE_ID: nodeID,
				TRANSPORTER: TEST_SERVICES.nats,
				EVENTS_AMQP_URL: TEST_SERVICES.amqp,
				USERS_DATABASE_URL: dbs.users.url,
				AUDIT_DATABASE_URL: dbs.audit.url,
				// The `cluster` and `outbox` commands read the nodes' metrics; no fixed port needed.
				METRICS_ENABLED: "true",
				METRICS_PORT: "0"
			});
			audit = new Pool({ connectionString: dbs.audit.url, max: 2 });
			await audit.query(
				`INSERT INTO audit.event_retries (event_id, type, envelope, attempts, next_attempt_at, last_error, dead)
				 VALUES ($1, $2, $3, 5, now(), 'simulated: the handler failed 5 times', true)`,
				[deadEvent.id, deadEvent.type, JSON.stringify(deadEvent)]
			);

			home = await mkdtemp(path.join(os.tmpdir(), "codelearn-repl-"));
			// Exactly the operator's cluster settings: nothing else of the test runner leaks in.
			repl = openRepl("scripts/repl.ts", {
				HOME: home,
				NODE_ENV: "test",
				JWT_SECRET: TEST_JWT_SECRET,
				NAMESPACE: namespace,
				TRANSPORTER: TEST_SERVICES.nats,
				EVENTS_AMQP_URL: TEST_SERVICES.amqp,
				LOG_LEVEL: "warn"
			});
			await repl.ready();
		},
		{ timeout: START_DEADLINE_MS + 30_000 }
	);

	after(
		async () => {
			if (repl && repl.child.exitCode === null) repl.child.kill("SIGKILL");
			await platform?.stop();
			await audit?.end();
			await Promise.all([...Object.values(dbs).map(db => db.drop()), deleteEventTopology(namespace)]);
			if (home) await rm(home, { recursive: true, force: true });
		},
		{ timeout: 60_000 }
	);

	test("when the operator types `nodes`, then the cluster's node and the REPL's own node are listed", { timeout: 60_000 }, async () => {
		const output = await repl.runUntil("nodes", out => out.includes(nodeID), 45_000);
		assert.match(output, /Node ID/);
		assert.match(output, /repl-\S+ \(\*\)/, "the REPL's node, marked as the local one");
	});

	test(
		"when the operator types `cluster`, then each node is shown up with its services and every breaker closed",
		{ timeout: 60_000 },
		async () => {
			const output = await repl.runUntil("cluster", out => new RegExp(`${nodeID}\\s+up\\s+\\S+\\s+audit, users`).test(out));
			assert.match(output, /Nodes: 2 \(2 up\)/);
			assert.match(output, /repl-\S+ \(this REPL\)\s+up\s+\S+\s+-/);
			assert.match(output, /Circuit breakers[^\n]*\n\s+none: every breaker is closed/);
			assert.doesNotMatch(output, /Metrics not read from/);
		}
	);

	test(
		"when a node's breaker to an endpoint opens, then `cluster` lists it as OPEN, seen from that node",
		{ timeout: 60_000 },
		async () => {
			// A service that fails with 503 every time: 20 failures (minRequestCount, 100 % ≥ 50 %) open its breaker.
			platform.broker.createService({
				name: "flaky",
				actions: {
					fail() {
						throw new Errors.MoleculerServerError("down on purpose", 503, "DOWN");
					}
				}
			});
			await platform.broker.waitForServices("flaky", 10_000);
			for (let i = 0; i < 20; i++) await assert.rejects(platform.broker.call("flaky.fail"), { code: 503 });
			await assert.rejects(platform.broker.call("flaky.fail"), { name: "ServiceNotAvailableError" }, "the breaker is open");

			const output = await repl.runUntil("cluster", out => /flaky\.fail\s+OPEN/.test(out));
			assert.match(
				output,
				new RegExp(`Caller\\s+Endpoint node\\s+Action\\s+State\\n\\s+${nodeID}\\s+${nodeID}\\s+flaky\\.fail\\s+OPEN`)
			);
		}
	);

	test("when the operator creates an admin, then `call users.exists` finds the account", { timeout: 60_000 }, async () => {
		const admin = newUser("replAdmin");
		const created = await repl.run(`create-admin ${admin.username} ${admin.email} '${admin.password}'`);
		const match = new RegExp(`>> Admin ready: ${admin.username} \\(([0-9a-f-]{36})\\), role admin`).exec(created);
		assert.ok(match, `create-admin printed:\n${created}`);

		const found = await repl.run(`call users.exists --id ${match[1]}`);
		assert.match(found, />> Response:\s+true/);
		const missing = await repl.run(`call users.exists --id ${randomUUID()}`);
		assert.match(missing, />> Response:\s+false/);
	});

	test(
		"when the operator types `outbox`, then the users outbox and the audit consumer are reported from the node's metrics",
		{ timeout: 60_000 },
		async () => {
			// The admin created above is one event: published by the users relay, applied by audit.
			const output = await repl.runUntil(
				"outbox",
				out => /\n\s+audit\s+[1-9]\d*\s+0\s+0\s+/.test(out) && /\n\s+users\s+0\s+[1-9]/.test(out)
			);
			assert.match(output, new RegExp(`\\n\\s+users\\s+0\\s+[1-9]\\d*\\s+0\\s+${nodeID}`), output);
			assert.match(output, new RegExp(`\\n\\s+audit\\s+[1-9]\\d*\\s+0\\s+0\\s+${nodeID}`), output);
		}
	);

	test(
		"when the operator lists audit's dead letters and re-drives one, then it is retried and applied",
		{ timeout: 60_000 },
		async () => {
			const listed = await repl.run("dead-letters audit");
			assert.match(listed, />> 1 dead letter\(s\) in audit/);
			assert.match(listed, new RegExp(`${deadEvent.id}\\s+user\\.updated\\s+5\\s+\\S+\\s+simulated: the handler failed 5 times`));

			const redriven = await repl.run(`dead-letters audit --redrive ${deadEvent.id}`);
			assert.match(redriven, />> Re-drove 1 dead letter\(s\) of audit/);
			await eventually(
				"the re-driven event in the audit trail, no longer in the inbox's retries",
				async () => {
					const { rows } = await audit.query(
						`SELECT (SELECT count(*) FROM audit.event_retries WHERE event_id = $1)::int AS retries,
					        (SELECT count(*) FROM audit.audit_events WHERE event_id = $1)::int AS recorded`,
						[deadEvent.id]
					);
					return rows[0] as { retries: number; recorded: number };
				},
				s => s.retries === 0 && s.recorded === 1,
				15_000,
				100
			);
			assert.match(await repl.run("dead-letters audit"), />> No dead letters in audit/);
		}
	);

	test(
		"when the operator asks for dead letters of a service that consumes no events, then the REPL says so",
		{ timeout: 60_000 },
		async () => {
			const output = await repl.run("dead-letters users");
			assert.match(output, />> 'users' has no dead letters to show: no node up runs it as an event consumer \(consumers up: audit\)/);
		}
	);

	test(
		"when the operator clears the users cache, then the users entries are gone on its node and other entries stay",
		{ timeout: 60_000 },
		async () => {
			const cacher = platform.broker.cacher!;
			await cacher.set("users.profile:repl-test", { cached: true });
			await cacher.set("audit.list:repl-test", { cached: true });
			const output = await repl.run("cache-clear users");
			assert.match(output, new RegExp(`>> Cleared 'users\\.\\*\\*' on 1 node\\(s\\): ${nodeID}`));
			await eventually(
				"the users entry dropped",
				() => cacher.get("users.profile:repl-test"),
				v => v === null || v === undefined,
				10_000
			);
			assert.deepEqual(await cacher.get("audit.list:repl-test"), { cached: true });
		}
	);

	test("when the operator types `quit`, then the REPL leaves the cluster and exits 0", { timeout: 60_000 }, async () => {
		assert.equal(await quit(repl), 0, repl.transcript());
		await eventually(
			"the REPL node gone from the cluster",
			async () => platform.broker.registry.getNodeList({ onlyAvailable: true }).map(n => n.id),
			ids => ids.length === 1 && ids[0] === nodeID,
			10_000
		);
	});
});

describe("the REPL of a one-process node (REPL=true npm start)", { skip: unavailable("postgres", "redis"), concurrency: 1 }, () => {
	const namespace = `repl-one-${process.pid}-${randomBytes(3).toString("hex")}`;
	const users = scratchDatabase("codelearn_test_users");
	/** The Redis cacher's keys of this namespace: what `cache-clear` must act on, seen from outside. */
	const cachePrefix = `${namespace}-cache-`;
	let redis: Redis;
	let home: string;
	let repl: ReplSession;

	before(
		async () => {
			redis = new Redis(TEST_SERVICES.redis);
			home = await mkdtemp(path.join(os.tmpdir(), "codelearn-repl-"));
			repl = openRepl("server.ts", {
				HOME: home,
				NODE_ENV: "test",
				JWT_SECRET: TEST_JWT_SECRET,
				NAMESPACE: namespace,
				REPL: "true",
				SERVICES: "users",
				USERS_DATABASE_URL: users.url,
				CACHER: TEST_SERVICES.redis,
				HEALTH_PORT: "0",
				METRICS_PORT: "0",
				LOG_LEVEL: "warn"
			});
			await repl.ready();
		},
		{ timeout: START_DEADLINE_MS + 30_000 }
	);

	after(
		async () => {
			if (repl && repl.child.exitCode === null) repl.child.kill("SIGKILL");
			const keys = await redis.keys(`${cachePrefix}*`);
			if (keys.length) await redis.del(...keys);
			redis.disconnect();
			await users.drop();
			if (home) await rm(home, { recursive: true, force: true });
		},
		{ timeout: 60_000 }
	);

	test(
		"when the operator uses the custom commands in the node's own process, then they act on that node",
		{ timeout: 90_000 },
		async () => {
			const cluster = await repl.run("cluster");
			assert.match(cluster, /Nodes: 1 \(1 up\)/);
			assert.match(cluster, /\(this REPL\)\s+up\s+\S+\s+users\n/);

			const admin = newUser("oneAdmin");
			assert.match(await repl.run(`create-admin ${admin.username} ${admin.email} '${admin.password}'`), />> Admin ready: /);
			const outbox = await repl.runUntil("outbox", out => /\n\s+users\s+0\s+[1-9]/.test(out));
			assert.match(outbox, /no node reports an event consumer/);

			// A cached read, then the clean: the node that sends `cache.clean.users` skips its own
			// broadcast, so in one process the command must clean the local cacher itself.
			assert.match(await repl.run(`call users.profile --username ${admin.username}`), />> Response:/);
			await redis.set(`${cachePrefix}audit.list:repl-test`, "{}");
			assert.equal((await redis.keys(`${cachePrefix}users.profile:*`)).length, 1, "the profile is cached");
			assert.match(await repl.run("cache-clear users"), />> Cleared 'users\.\*\*' on 1 node\(s\)/);
			assert.deepEqual(await redis.keys(`${cachePrefix}users.*`), []);
			assert.equal(await redis.get(`${cachePrefix}audit.list:repl-test`), "{}", "other services' entries stay");

			assert.equal(await quit(repl), 0, repl.transcript());
		}
	);
});
