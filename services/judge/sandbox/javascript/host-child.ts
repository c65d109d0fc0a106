/**
 * The entry of a JavaScript host child (forked by host-process.ts): holds prepared programs, each in its own
 * isolate, and answers the parent's requests one at a time. Runs are synchronous here, so a request in flight is
 * all this process does; the parent bounds it by the wall clock and kills this process if it overstays.
 */
import { readFileSync } from "node:fs";
import ivm from "isolated-vm";
import type { Availability } from "../sandbox.types";
import { type ChildMessage, type HostEnvelope, type HostRequest, UNKNOWN_PROGRAM } from "./protocol";
import { SandboxProgram } from "./sandbox-program";

const programs = new Map<number, SandboxProgram>();

class UnknownProgramError extends Error {}

function isolatedVmVersion(): string {
	const manifest = JSON.parse(readFileSync(require.resolve("isolated-vm/package.json"), "utf8")) as { version?: unknown };
	return String(manifest.version);
}

function probe(): Availability {
	const isolate = new ivm.Isolate({ memoryLimit: 8 });
	try {
		const value: unknown = isolate.createContextSync().evalSync("1+1", { timeout: 1000 });
		if (value !== 2) return { available: false, reason: `an isolate computed 1+1 as ${String(value)}` };
		return {
			available: true,
			version: `Node.js ${process.versions.node} (V8 ${process.versions.v8}) in isolated-vm ${isolatedVmVersion()}`
		};
	} finally {
		isolate.dispose();
	}
}

function handle(request: HostRequest): unknown {
	switch (request.op) {
		case "probe":
			return probe();
		case "prepare": {
			const prepared = SandboxProgram.prepare(request.source, request.memoryMb);
			if ("compileError" in prepared) return { ok: false, compileError: prepared.compileError };
			programs.get(request.program)?.dispose();
			programs.set(request.program, prepared.program);
			return { ok: true };
		}
		case "run": {
			const program = programs.get(request.program);
			if (program === undefined) throw new UnknownProgramError(`no program ${request.program} in this host`);
			return program.run(request.input, request.limits, process.versions.node);
		}
		case "dispose":
			programs.get(request.program)?.dispose();
			programs.delete(request.program);
			return null;
	}
}

function send(message: ChildMessage): void {
	process.send?.(message);
}

process.on("message", (envelope: HostEnvelope) => {
	try {
		send({ type: "reply", id: envelope.id, ok: true, value: handle(envelope.request) });
	} catch (err) {
		const error = err instanceof Error ? err.message : String(err);
		send({ type: "reply", id: envelope.id, ok: false, error, code: err instanceof UnknownProgramError ? UNKNOWN_PROGRAM : undefined });
	}
});
// The parent is gone: nothing is left to answer.
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
