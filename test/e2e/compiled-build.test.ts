/**
 * The build the image runs: `npm run build` compiled into a folder laid out as the image's /app
 * (package.json, dist/, client/dist, node_modules), started with plain `node dist/server.js` — no
 * TypeScript loader — with every service on embedded defaults: it becomes ready and serves the API
 * and the web client.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { TEST_JWT_SECRET } from "../helpers/env";
import { freePorts, type NodeProcess, outputTail, REPO_ROOT, startNode } from "../helpers/processes";

/** tsc over the whole project on a busy two-core machine, then a first start with migrations. */
const BUILD_DEADLINE_MS = 240_000;
const START_DEADLINE_MS = 90_000;

describe("the compiled build, as the image runs it", { timeout: BUILD_DEADLINE_MS + START_DEADLINE_MS + 60_000 }, () => {
	const app = mkdtempSync(path.join(os.tmpdir(), "codelearn-compiled-"));
	let node: NodeProcess;
	let baseUrl: string;

	before(
		async () => {
			const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
			execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", path.join(app, "dist")], {
				cwd: REPO_ROOT,
				stdio: "inherit",
				timeout: BUILD_DEADLINE_MS
			});
			execFileSync(process.execPath, [path.join(REPO_ROOT, "client/build/ensure-built.mjs")], { cwd: REPO_ROOT, stdio: "inherit" });
			copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(app, "package.json"));
			symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(app, "node_modules"));
			mkdirSync(path.join(app, "client"));
			symlinkSync(path.join(REPO_ROOT, "client", "dist"), path.join(app, "client", "dist"));
			const [port] = await freePorts(1);
			baseUrl = `http://127.0.0.1:${port}`;
			node = startNode({
				name: "compiled",
				compiledIn: app,
				env: {
					NODE_ENV: "test",
					JWT_SECRET: TEST_JWT_SECRET,
					LOG_LEVEL: "warn",
					METRICS_ENABLED: "false",
					PORT: String(port),
					HEALTH_PORT: "0",
					PASSWORD_HASH_LOG_N: "12",
					DATA_DIR: path.join(app, ".data")
				}
			});
			await node.waitReady(START_DEADLINE_MS);
		},
		{ timeout: BUILD_DEADLINE_MS + START_DEADLINE_MS }
	);

	after(async () => {
		await node?.stop("SIGTERM", 15_000);
		rmSync(app, { recursive: true, force: true });
	});

	it("when it runs then it is plain node on the compiled JavaScript, with no TypeScript loader", () => {
		const commandLine = readFileSync(`/proc/${node.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
		assert.deepEqual(commandLine.slice(1), ["dist/server.js"]);
		const environment = readFileSync(`/proc/${node.pid}/environ`, "utf8");
		assert.doesNotMatch(environment, /NODE_OPTIONS/);
	});

	it("when a person registers and reads through the gateway then the API answers as from the sources", async () => {
		const registered = await fetch(`${baseUrl}/api/auth/register`, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({
				username: "compiled_ada",
				email: "compiled_ada@example.com",
				password: "correct horse battery staple 9"
			})
		});
		assert.equal(registered.status, 201, outputTail(node));
		const profile = await fetch(`${baseUrl}/api/users/compiled_ada`);
		assert.equal(profile.status, 200);
		assert.equal(((await profile.json()) as { username: string }).username, "compiled_ada");
		const categories = await fetch(`${baseUrl}/api/categories`);
		assert.equal(categories.status, 200);
	});

	it("when a browser asks for the web client then the compiled gateway finds the client's build", async () => {
		const page = await fetch(`${baseUrl}/contests`);
		assert.equal(page.status, 200);
		assert.match(await page.text(), /<div id="app">/);
	});
});
