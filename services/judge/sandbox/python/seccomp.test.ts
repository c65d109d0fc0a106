/**
 * The seccomp program checked by running it: a small classic-BPF interpreter (the few opcodes the generator emits)
 * evaluates it on `seccomp_data` the way the kernel would.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
	AF_UNIX,
	type BpfInstruction,
	CLONE_NAMESPACE_FLAGS,
	EAFNOSUPPORT,
	encodeProgram,
	ENOSYS,
	EPERM,
	SECCOMP_RET_ALLOW,
	SECCOMP_RET_ERRNO,
	SECCOMP_RET_KILL_PROCESS,
	seccompProgram
} from "./seccomp";
import { AARCH64, AUDIT_ARCH_X86_64, type SyscallTable, X86_64 } from "./syscalls";

interface SeccompData {
	nr: number;
	arch: number;
	args?: number[];
}

function evaluate(program: readonly BpfInstruction[], data: SeccompData): number {
	const word = (offset: number): number => {
		if (offset === 0) return data.nr >>> 0;
		if (offset === 4) return data.arch >>> 0;
		const arg = (offset - 16) / 8;
		assert.ok(Number.isInteger(arg) && arg >= 0 && arg < 6, `load at offset ${offset}`);
		return (data.args?.[arg] ?? 0) >>> 0;
	};
	let acc = 0;
	for (let pc = 0; pc < program.length; pc++) {
		const { code, jt, jf, k } = program[pc];
		switch (code) {
			case 0x20:
				acc = word(k);
				break;
			case 0x15:
				pc += acc === k ? jt : jf;
				break;
			case 0x35:
				pc += acc >= k ? jt : jf;
				break;
			case 0x45:
				pc += (acc & k) !== 0 ? jt : jf;
				break;
			case 0x06:
				return k;
			default:
				assert.fail(`unknown opcode ${code}`);
		}
	}
	assert.fail("fell off the end of the program");
}

const errno = (code: number): number => (SECCOMP_RET_ERRNO | code) >>> 0;

for (const table of [X86_64, AARCH64] as SyscallTable[]) {
	describe(`seccomp program (arch 0x${table.auditArch.toString(16)})`, () => {
		const program = seccompProgram(table);
		const call = (nr: number, args?: number[]): number => evaluate(program, { nr, arch: table.auditArch, args });

		it("kills a syscall of another architecture", () => {
			const other = table.auditArch === AUDIT_ARCH_X86_64 ? 0x40000003 : AUDIT_ARCH_X86_64;
			assert.equal(evaluate(program, { nr: 0, arch: other }), SECCOMP_RET_KILL_PROCESS);
		});

		it("refuses every denied syscall with EPERM", () => {
			for (const [name, nr] of Object.entries(table.denied)) assert.equal(call(nr), errno(EPERM), name);
			for (const name of ["ptrace", "mount", "keyctl", "bpf", "perf_event_open", "unshare", "setns", "io_uring_setup"]) {
				assert.ok(name in table.denied, `${name} is denied`);
			}
		});

		it("allows sockets of AF_UNIX only", () => {
			assert.equal(call(table.socket, [AF_UNIX]), SECCOMP_RET_ALLOW);
			for (const family of [2, 10, 16, 17]) assert.equal(call(table.socket, [family]), errno(EAFNOSUPPORT), `family ${family}`);
		});

		it("allows a plain fork or thread and refuses clone with any namespace flag", () => {
			assert.equal(call(table.clone, [0x01200011]), SECCOMP_RET_ALLOW);
			assert.equal(call(table.clone, [0x003d0f00]), SECCOMP_RET_ALLOW);
			for (let bit = 0; bit < 32; bit++) {
				const flag = (1 << bit) >>> 0;
				if ((CLONE_NAMESPACE_FLAGS & flag) === 0) continue;
				assert.equal(call(table.clone, [0x11 | flag]), errno(EPERM), `flag 0x${flag.toString(16)}`);
			}
			assert.equal(call(table.clone3), errno(ENOSYS));
		});

		it("allows ordinary syscalls", () => {
			const denied = new Set([...Object.values(table.denied), table.clone3]);
			for (let nr = 0; nr < 460; nr++) {
				if (denied.has(nr) || nr === table.socket || nr === table.clone) continue;
				assert.equal(call(nr), SECCOMP_RET_ALLOW, `syscall ${nr}`);
			}
		});

		it("encodes 8 bytes per instruction, little-endian", () => {
			const bytes = encodeProgram(program);
			assert.equal(bytes.length, program.length * 8);
			assert.equal(bytes.readUInt16LE(0), program[0].code);
			assert.equal(bytes.readUInt32LE(4), program[0].k);
			assert.ok(program.length < 4096, "within BPF_MAXINSNS");
		});
	});
}

describe("seccomp program on x86_64", () => {
	it("refuses the x32 ABI", () => {
		const program = seccompProgram(X86_64);
		assert.equal(evaluate(program, { nr: 0x40000000 | 41, arch: AUDIT_ARCH_X86_64, args: [AF_UNIX] }), errno(ENOSYS));
	});
});
