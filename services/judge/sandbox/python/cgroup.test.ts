/**
 * Cgroup detection and the v2 driver on a fake cgroup tree (plain files): which version is picked, and which
 * interface files a run's cgroup gets. The v1 driver runs for real in the hostile suite on v1 hosts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectCgroups } from "./cgroup";

async function tree(files: Record<string, string>): Promise<string> {
	const root = await mkdtemp(join(tmpdir(), "py-cgroup-"));
	for (const [path, content] of Object.entries(files)) {
		await mkdir(join(root, path, ".."), { recursive: true });
		await writeFile(join(root, path), content);
	}
	return root;
}

describe("detectCgroups", () => {
	it("picks v2 when the root is a cgroup2 mount offering memory and pids", async () => {
		const root = await tree({ "cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n" });
		try {
			const driver = await detectCgroups(root);
			assert.notEqual(typeof driver, "string");
			assert.equal(typeof driver === "string" ? null : driver.version, "v2");
		} finally {
			await rm(root, { recursive: true });
		}
	});

	it("says which v2 controller is missing", async () => {
		const root = await tree({ "cgroup.controllers": "cpu io memory\n" });
		try {
			assert.match(String(await detectCgroups(root)), /pids/);
		} finally {
			await rm(root, { recursive: true });
		}
	});

	it("picks v1 with memory and pids hierarchies, and says what is missing otherwise", async () => {
		const v1 = await tree({ "memory/memory.limit_in_bytes": "", "pids/cgroup.procs": "", "cpu,cpuacct/cpuacct.usage": "0" });
		const none = await tree({ "unified/cgroup.controllers": "" });
		try {
			const driver = await detectCgroups(v1);
			assert.equal(typeof driver === "string" ? driver : driver.version, "v1");
			assert.match(String(await detectCgroups(none)), /no cgroup v2 .* and no cgroup v1 memory hierarchy/);
		} finally {
			await rm(v1, { recursive: true });
			await rm(none, { recursive: true });
		}
	});
});

describe("cgroup v2 driver", () => {
	it("enables memory and pids below the root and the parent, limits a run, and reads its figures", async () => {
		const root = await tree({
			"cgroup.controllers": "cpu memory pids\n",
			"cgroup.subtree_control": "cpu\n",
			"code-learn-judge/cgroup.subtree_control": ""
		});
		try {
			const driver = await detectCgroups(root);
			if (typeof driver === "string") assert.fail(driver);
			await driver.setup();
			assert.equal(await readFile(join(root, "cgroup.subtree_control"), "utf8"), "+memory +pids");
			assert.equal(await readFile(join(root, "code-learn-judge/cgroup.subtree_control"), "utf8"), "+memory +pids");
			const run = await driver.create("run", { memoryBytes: 64 << 20, pids: 32 });
			const dir = join(root, "code-learn-judge/run");
			assert.deepEqual(run.procsFiles, [join(dir, "cgroup.procs")]);
			assert.equal(await readFile(join(dir, "memory.max"), "utf8"), String(64 << 20));
			assert.equal(await readFile(join(dir, "pids.max"), "utf8"), "32");
			await writeFile(join(dir, "memory.peak"), String(5 << 20));
			await writeFile(join(dir, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n");
			await writeFile(join(dir, "cpu.stat"), "usage_usec 12500\nuser_usec 10000\nsystem_usec 2500\n");
			assert.deepEqual(await run.stats(), { cpuMs: 12.5, peakKb: 5120, oomKilled: true });
		} finally {
			await rm(root, { recursive: true });
		}
	});
});
