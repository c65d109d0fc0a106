/** The host layout mirrored into the sandbox: the loader path from the ELF header, symlink chains, bind lists, bwrap's arguments. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bwrapArgs } from "./bwrap-args";
import { elfInterpreter } from "./elf";
import { isUnder, outermost, symlinkChain } from "./host-paths";

function elfWithInterpreter(path: string): Buffer {
	const image = Buffer.alloc(512);
	image.writeUInt32BE(0x7f454c46, 0);
	image[4] = 2;
	image[5] = 1;
	image.writeBigUInt64LE(64n, 0x20);
	image.writeUInt16LE(56, 0x36);
	image.writeUInt16LE(2, 0x38);
	image.writeUInt32LE(6, 64);
	image.writeUInt32LE(3, 120);
	image.writeBigUInt64LE(300n, 128);
	image.writeBigUInt64LE(BigInt(path.length + 1), 152);
	image.write(`${path}\0`, 300, "latin1");
	return image;
}

describe("elfInterpreter", () => {
	it("reads PT_INTERP", () => {
		assert.equal(elfInterpreter(elfWithInterpreter("/lib64/ld-linux-x86-64.so.2")), "/lib64/ld-linux-x86-64.so.2");
	});

	it("is null for what is not a 64-bit ELF", () => {
		assert.equal(elfInterpreter(Buffer.from("#!/bin/sh\necho hi\n".padEnd(100))), null);
	});
});

describe("host paths", () => {
	it("lists every symlink on the way to a file", async () => {
		const root = await mkdtemp(join(tmpdir(), "py-layout-"));
		try {
			await mkdir(join(root, "usr/lib/x86_64-linux-gnu"), { recursive: true });
			await mkdir(join(root, "usr/lib64"), { recursive: true });
			await writeFile(join(root, "usr/lib/x86_64-linux-gnu/ld.so"), "");
			await symlink("usr/lib64", join(root, "lib64"));
			await symlink("../lib/x86_64-linux-gnu/ld.so", join(root, "usr/lib64/ld.so"));
			const chain = await symlinkChain(join(root, "lib64/ld.so"));
			assert.deepEqual(chain.links, [
				{ path: join(root, "lib64"), target: "usr/lib64" },
				{ path: join(root, "usr/lib64/ld.so"), target: "../lib/x86_64-linux-gnu/ld.so" }
			]);
			assert.equal(chain.real, join(root, "usr/lib/x86_64-linux-gnu/ld.so"));
		} finally {
			await rm(root, { recursive: true });
		}
	});

	it("binds each directory once", () => {
		assert.deepEqual(outermost(["/usr/lib/python3.11/lib-dynload", "/usr/lib/python3.11", "/usr/lib/x86_64-linux-gnu"]), [
			"/usr/lib/python3.11",
			"/usr/lib/x86_64-linux-gnu"
		]);
		assert.equal(isUnder("/usr/lib2", "/usr/lib"), false);
	});
});

describe("bwrapArgs", () => {
	const layout = {
		executable: "/usr/bin/python3.11",
		version: "3.11.2",
		binds: ["/usr/lib/python3.11", "/usr/lib/x86_64-linux-gnu", "/usr/bin/python3.11"],
		symlinks: [{ path: "/lib64", target: "usr/lib64" }]
	};
	const args = bwrapArgs(layout, {
		seccompFd: 4,
		files: [{ fd: 5, name: "main.py" }],
		scratchBytes: 1 << 20,
		command: ["/usr/bin/python3.11", "main.py"]
	});
	const pairs = (flag: string): string[] => args.flatMap((arg, i) => (arg === flag ? [args[i + 1]] : []));

	it("makes every namespace, drops to nobody and every capability, clears the environment", () => {
		for (const flag of [
			"--unshare-all",
			"--unshare-user",
			"--unshare-cgroup",
			"--disable-userns",
			"--die-with-parent",
			"--new-session",
			"--clearenv"
		]) {
			assert.ok(args.includes(flag), flag);
		}
		assert.deepEqual(pairs("--uid"), ["65534"]);
		assert.deepEqual(pairs("--gid"), ["65534"]);
		assert.deepEqual(pairs("--cap-drop"), ["ALL"]);
		assert.equal(args.includes("--share-net"), false);
	});

	it("binds only the layout, read-only, and never /etc, /root, /home, /tmp or /work", () => {
		assert.equal(args.includes("--bind"), false);
		assert.equal(args.includes("--dev-bind"), false);
		assert.deepEqual(pairs("--ro-bind"), layout.binds);
		for (const path of pairs("--ro-bind")) assert.ok(!/^\/(?:etc|root|home|tmp|work)(?:\/|$)/.test(path), path);
	});

	it("mounts a fresh /proc, a read-only /dev, a sized scratch tmpfs, then makes the root read-only and loads seccomp", () => {
		assert.deepEqual(pairs("--proc"), ["/proc"]);
		assert.ok(pairs("--remount-ro").includes("/dev") && pairs("--remount-ro").includes("/"));
		assert.deepEqual(pairs("--tmpfs"), ["/box"]);
		assert.deepEqual(pairs("--size"), [String(1 << 20)]);
		assert.deepEqual(pairs("--seccomp"), ["4"]);
		assert.deepEqual(pairs("--chdir"), ["/box"]);
		assert.deepEqual(args.slice(args.indexOf("--") + 1), ["/usr/bin/python3.11", "main.py"]);
		assert.ok(args.lastIndexOf("--remount-ro") > args.indexOf("--tmpfs"), "the root turns read-only after the scratch is mounted");
	});
});
