/**
 * The Python 3 runtime: native python3 in bubblewrap, limited by a cgroup per run, rlimits and a seccomp filter.
 * It fails closed: until the probe has run a program in the full sandbox and seen it unprivileged and filtered,
 * nothing runs, and never without the sandbox.
 */
import type { Availability, LanguageRuntime, PrepareResult, RunLimits } from "../sandbox.types";
import { SANDBOX_UID } from "./bwrap-args";
import { detectCgroups } from "./cgroup";
import { discoverLayout } from "./layout";
import { PythonProgram } from "./program";
import { PythonSandbox } from "./sandbox";
import { encodeProgram, seccompProgram } from "./seccomp";
import { syscallTable } from "./syscalls";
import { findTools } from "./tools";
import { userNamespaceProblem } from "./userns";

export interface PythonRuntimeOptions {
	/** The interpreter on the host; Debian's python3 by default. */
	python?: string;
	/** Where the cgroup filesystem is mounted. */
	cgroupRoot?: string;
}

const PROBE_LIMITS: RunLimits = { timeMs: 2000, memoryMb: 128, outputBytes: 4096 };

/** Prints 1+1, then what the sandbox must be: an unprivileged uid, no capability, a seccomp filter. */
const PROBE_PROGRAM = `
import os
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
print(1 + 1)
print(os.getuid(), status["CapEff"].strip(), status["Seccomp"].strip())
`;

type Ready = { sandbox: PythonSandbox; version: string } | { reason: string };

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function build(options: PythonRuntimeOptions): Promise<Ready> {
	const table = syscallTable(process.arch);
	if (!table) return { reason: `no seccomp syscall table for the ${process.arch} architecture` };
	const tools = await findTools();
	if (typeof tools === "string") return { reason: tools };
	const userns = await userNamespaceProblem();
	if (userns) return { reason: userns };
	const python = options.python ?? "/usr/bin/python3";
	let layout;
	try {
		layout = await discoverLayout(python);
	} catch (error) {
		return { reason: `${python} did not describe itself: ${message(error)}` };
	}
	const cgroupRoot = options.cgroupRoot ?? "/sys/fs/cgroup";
	const cgroups = await detectCgroups(cgroupRoot);
	if (typeof cgroups === "string") return { reason: cgroups };
	try {
		await cgroups.setup();
	} catch (error) {
		return { reason: `cgroup ${cgroups.version} memory and pids controllers are not writable: ${message(error)}` };
	}
	const sandbox = new PythonSandbox(tools, layout, cgroups, encodeProgram(seccompProgram(table)));
	let result;
	try {
		const started = await sandbox.start(PROBE_PROGRAM);
		if (!started.ok) return { reason: `the sandbox could not compile print(1+1): ${started.compileError}` };
		const program = new PythonProgram(started.zygote);
		result = await program.run({ stdin: "" }, PROBE_LIMITS).finally(() => program.dispose());
	} catch (error) {
		return { reason: `cgroup ${cgroups.version} could not hold a run: ${message(error)}` };
	}
	const [first, facts] = result.stdout.split("\n");
	if (result.outcome !== "ok" || first !== "2") {
		return { reason: `the sandbox did not run print(1+1): ${result.outcome}, ${result.stderr.trim().slice(0, 500) || "no message"}` };
	}
	const [uid, capEff, seccomp] = (facts ?? "").split(" ");
	if (uid !== String(SANDBOX_UID) || !/^0+$/.test(capEff ?? "") || seccomp !== "2") {
		return { reason: `the sandbox is not confined (uid ${uid}, CapEff ${capEff}, Seccomp ${seccomp})` };
	}
	return { sandbox, version: `Python ${layout.version} (bubblewrap ${tools.bwrapVersion})` };
}

export function createPythonRuntime(options: PythonRuntimeOptions = {}): LanguageRuntime {
	let ready: Promise<Ready> | null = null;
	const readyOnce = (): Promise<Ready> => (ready ??= build(options).catch(error => ({ reason: message(error) })));

	return {
		async probe(): Promise<Availability> {
			const state = await readyOnce();
			return "reason" in state ? { available: false, reason: state.reason } : { available: true, version: state.version };
		},

		async prepare(source: string): Promise<PrepareResult> {
			const state = await readyOnce();
			if ("reason" in state) throw new Error(`Python is unavailable: ${state.reason}`);
			const started = await state.sandbox.start(source);
			return started.ok ? { ok: true, program: new PythonProgram(started.zygote) } : started;
		},

		async close(): Promise<void> {
			if (!ready) return;
			const state = await ready;
			ready = null;
			if ("reason" in state) return;
			// The parent cgroup stays: every judge process of the host shares it, and its runs are gone.
			await state.sandbox.killAll();
		}
	};
}
