/**
 * The messages between the judge's process and a JavaScript host child (over the fork's IPC channel). The child
 * answers one request at a time, in order; every request carries an id its reply repeats.
 */
import type { Availability, RunInput, RunLimits, RunResult } from "../sandbox.types";

export type HostRequest =
	| { op: "probe" }
	| { op: "prepare"; program: number; source: string; memoryMb: number }
	| { op: "run"; program: number; input: RunInput; limits: RunLimits }
	| { op: "dispose"; program: number };

/** What each request answers with. */
export interface HostAnswers {
	probe: Availability;
	prepare: { ok: true } | { ok: false; compileError: string };
	run: RunResult;
	dispose: null;
}

export interface HostEnvelope {
	id: number;
	request: HostRequest;
}

/** The error code of a run for a program the child does not hold (it was respawned): the parent prepares it again. */
export const UNKNOWN_PROGRAM = "unknown-program";

export type ChildMessage =
	| { type: "ready" }
	| { type: "reply"; id: number; ok: true; value: unknown }
	| { type: "reply"; id: number; ok: false; error: string; code?: string };
