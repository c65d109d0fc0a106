/**
 * The syscalls the sandbox's seccomp filter refuses, by number on each architecture it supports. Numbers come from
 * the kernel's uapi headers (asm/unistd_64.h for x86_64, asm-generic/unistd.h for aarch64); they never change once
 * assigned. A host whose architecture is not listed here gets no Python runtime (fail closed).
 */

/** Audit architecture tokens (linux/audit.h): EM_* | 64-bit | little-endian. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;

export interface SyscallTable {
	/** What `seccomp_data.arch` holds for a native syscall. */
	auditArch: number;
	/** Syscall numbers at or above this are another ABI (x32 on x86_64) and are refused. */
	abiBit: number | null;
	socket: number;
	clone: number;
	clone3: number;
	/** Refused outright with EPERM: escapes, kernel attack surface, and what a learner's program never needs. */
	denied: Readonly<Record<string, number>>;
}

export const X86_64: SyscallTable = {
	auditArch: AUDIT_ARCH_X86_64,
	abiBit: 0x40000000,
	socket: 41,
	clone: 56,
	clone3: 435,
	denied: {
		ptrace: 101,
		process_vm_readv: 310,
		process_vm_writev: 311,
		mount: 165,
		umount2: 166,
		pivot_root: 155,
		chroot: 161,
		open_tree: 428,
		move_mount: 429,
		fsopen: 430,
		fsconfig: 431,
		fsmount: 432,
		fspick: 433,
		mount_setattr: 442,
		add_key: 248,
		request_key: 249,
		keyctl: 250,
		bpf: 321,
		perf_event_open: 298,
		userfaultfd: 323,
		unshare: 272,
		setns: 308,
		kexec_load: 246,
		kexec_file_load: 320,
		init_module: 175,
		finit_module: 313,
		delete_module: 176,
		reboot: 169,
		swapon: 167,
		swapoff: 168,
		acct: 163,
		settimeofday: 164,
		clock_settime: 227,
		clock_adjtime: 305,
		adjtimex: 159,
		quotactl: 179,
		quotactl_fd: 443,
		lookup_dcookie: 212,
		syslog: 103,
		vhangup: 153,
		name_to_handle_at: 303,
		open_by_handle_at: 304,
		io_uring_setup: 425,
		io_uring_enter: 426,
		io_uring_register: 427,
		pidfd_getfd: 438,
		kcmp: 312,
		fanotify_init: 300,
		mbind: 237,
		migrate_pages: 256,
		move_pages: 279,
		set_mempolicy: 238,
		personality: 135,
		nfsservctl: 180,
		iopl: 172,
		ioperm: 173,
		modify_ldt: 154,
		uselib: 134,
		_sysctl: 156,
		ustat: 136,
		sysfs: 139,
		create_module: 174,
		get_kernel_syms: 177,
		query_module: 178
	}
};

export const AARCH64: SyscallTable = {
	auditArch: AUDIT_ARCH_AARCH64,
	abiBit: null,
	socket: 198,
	clone: 220,
	clone3: 435,
	denied: {
		ptrace: 117,
		process_vm_readv: 270,
		process_vm_writev: 271,
		mount: 40,
		umount2: 39,
		pivot_root: 41,
		chroot: 51,
		open_tree: 428,
		move_mount: 429,
		fsopen: 430,
		fsconfig: 431,
		fsmount: 432,
		fspick: 433,
		mount_setattr: 442,
		add_key: 217,
		request_key: 218,
		keyctl: 219,
		bpf: 280,
		perf_event_open: 241,
		userfaultfd: 282,
		unshare: 97,
		setns: 268,
		kexec_load: 104,
		kexec_file_load: 294,
		init_module: 105,
		finit_module: 273,
		delete_module: 106,
		reboot: 142,
		swapon: 224,
		swapoff: 225,
		acct: 89,
		settimeofday: 170,
		clock_settime: 112,
		clock_adjtime: 266,
		adjtimex: 171,
		quotactl: 60,
		quotactl_fd: 443,
		lookup_dcookie: 18,
		syslog: 116,
		vhangup: 58,
		name_to_handle_at: 264,
		open_by_handle_at: 265,
		io_uring_setup: 425,
		io_uring_enter: 426,
		io_uring_register: 427,
		pidfd_getfd: 438,
		kcmp: 272,
		fanotify_init: 262,
		mbind: 235,
		migrate_pages: 238,
		move_pages: 239,
		set_mempolicy: 237,
		personality: 92,
		nfsservctl: 42
	}
};

/** The table for Node's `process.arch`, or null when the filter cannot be built for it. */
export function syscallTable(arch: string): SyscallTable | null {
	if (arch === "x64") return X86_64;
	if (arch === "arm64") return AARCH64;
	return null;
}
