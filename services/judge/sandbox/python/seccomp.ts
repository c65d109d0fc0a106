/**
 * The sandbox's seccomp filter as a classic BPF program, the bytes bwrap's `--seccomp FD` loads. A deny list on
 * top of the namespaces: check the architecture (another ABI would bypass the numbers), then refuse the syscalls of
 * `SyscallTable.denied`, every socket family but AF_UNIX, namespace flags in clone, and clone3 (its flags sit in
 * memory a filter cannot read; ENOSYS makes glibc fall back to clone).
 */
import type { SyscallTable } from "./syscalls";

/** One `struct sock_filter`. */
export interface BpfInstruction {
	code: number;
	jt: number;
	jf: number;
	k: number;
}

const BPF_LD_W_ABS = 0x20;
const BPF_JMP_JEQ_K = 0x15;
const BPF_JMP_JGE_K = 0x35;
const BPF_JMP_JSET_K = 0x45;
const BPF_RET_K = 0x06;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;

export const EPERM = 1;
export const ENOSYS = 38;
export const EAFNOSUPPORT = 97;
export const AF_UNIX = 1;

/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME. */
export const CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80;

/** Offsets in `struct seccomp_data`: nr, arch, then args[6] as u64 (the low half first on little-endian hosts). */
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0_LOW = 16;

const load = (offset: number): BpfInstruction => ({ code: BPF_LD_W_ABS, jt: 0, jf: 0, k: offset });
const ret = (action: number): BpfInstruction => ({ code: BPF_RET_K, jt: 0, jf: 0, k: action >>> 0 });
const jump = (code: number, k: number, jt: number, jf: number): BpfInstruction => ({ code, jt, jf, k: k >>> 0 });
const errno = (code: number): BpfInstruction => ret(SECCOMP_RET_ERRNO | code);

export function seccompProgram(table: SyscallTable): BpfInstruction[] {
	const program: BpfInstruction[] = [load(OFFSET_ARCH), jump(BPF_JMP_JEQ_K, table.auditArch, 1, 0), ret(SECCOMP_RET_KILL_PROCESS)];
	program.push(load(OFFSET_NR));
	if (table.abiBit !== null) program.push(jump(BPF_JMP_JGE_K, table.abiBit, 0, 1), errno(ENOSYS));
	for (const nr of Object.values(table.denied)) program.push(jump(BPF_JMP_JEQ_K, nr, 0, 1), errno(EPERM));
	program.push(jump(BPF_JMP_JEQ_K, table.clone3, 0, 1), errno(ENOSYS));
	program.push(
		jump(BPF_JMP_JEQ_K, table.socket, 0, 4),
		load(OFFSET_ARG0_LOW),
		jump(BPF_JMP_JEQ_K, AF_UNIX, 0, 1),
		ret(SECCOMP_RET_ALLOW),
		errno(EAFNOSUPPORT)
	);
	program.push(
		jump(BPF_JMP_JEQ_K, table.clone, 0, 4),
		load(OFFSET_ARG0_LOW),
		jump(BPF_JMP_JSET_K, CLONE_NAMESPACE_FLAGS, 0, 1),
		errno(EPERM),
		ret(SECCOMP_RET_ALLOW)
	);
	program.push(ret(SECCOMP_RET_ALLOW));
	return program;
}

/** The program as the kernel reads it: 8 bytes per instruction, host (little-endian) byte order. */
export function encodeProgram(program: readonly BpfInstruction[]): Buffer {
	const bytes = Buffer.alloc(program.length * 8);
	program.forEach((insn, i) => {
		bytes.writeUInt16LE(insn.code, i * 8);
		bytes.writeUInt8(insn.jt, i * 8 + 2);
		bytes.writeUInt8(insn.jf, i * 8 + 3);
		bytes.writeUInt32LE(insn.k, i * 8 + 4);
	});
	return bytes;
}
