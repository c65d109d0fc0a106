import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { newUser } from "../helpers/http";
import { type Platform, startPlatform, TEST_ENV } from "../helpers/platform";

const ROOT = path.resolve(__dirname, "../..");

/** Runs server.ts with the given environment and resolves with its exit code and output. */
function runServer(env: Record<string, string>, deadlineMs: number): Promise<{ code: number | null; output: string }> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: ROOT, env: { ...process.env, ...env } });
		let output = "";
		child.stdout.on("data", d => (output += d));
		child.stderr.on("data", d => (output += d));
		const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
		child.on("exit", code => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

describe("one process on the embedded database (PGlite)", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "codelearn-embedded-"));
	const env = { DATA_DIR: dataDir };
	let platform: Platform | undefined;

	before(async () => {
		platform = await startPlatform(env);
	});

	after(async () => {
		await platform?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("when started with no database configured then it is ready and serves the users flow", async () => {
		const { api } = platform!;
		const ready = await api("GET", "/health/ready");
		assert.equal(ready.status, 200);
		const user = newUser();
		const registered = await api("POST", "/api/auth/register", { body: user });
		assert.equal(registered.status, 201);
		const me = await api("GET", "/api/users/me", { token: registered.body.accessToken });
		assert.equal(me.body.username, user.username);
	});

	it("when requests run concurrently then transactions neither deadlock nor mix", async () => {
		const { api } = platform!;
		const users = Array.from({ length: 6 }, () => newUser("conc"));
		const results = await Promise.all(users.map(body => api("POST", "/api/auth/register", { body })));
		assert.deepEqual(
			results.map(r => r.status),
			users.map(() => 201)
		);
		const refreshed = await Promise.all(
			results.map(r => api("POST", "/api/auth/refresh", { body: { refreshToken: r.body.refreshToken } }))
		);
		assert.deepEqual(
			refreshed.map(r => r.status),
			users.map(() => 200)
		);
	});

	it("when another process opens the same data directory then it refuses to start, clearly", async () => {
		const { code, output } = await runServer({ ...TEST_ENV, ...env }, 60_000);
		assert.equal(code, 1);
		assert.match(output, /is in use by process \d+/);
	});

	it("when restarted on the same directory then the data is still there", async () => {
		const user = newUser("persist");
		assert.equal((await platform!.api("POST", "/api/auth/register", { body: user })).status, 201);
		await platform!.stop();
		platform = await startPlatform(env);
		const login = await platform.api("POST", "/api/auth/login", { body: { login: user.username, password: user.password } });
		assert.equal(login.status, 200);
	});
});
