import { INSPECT_SOURCE } from "./prelude-inspect";
import { MODULES_SOURCE } from "./prelude-modules";
import { PROCESS_SOURCE } from "./prelude-process";
import { STEP_SOURCE } from "./prelude-step";

/** Where the prelude's frames say they come from: stack traces shown to learners drop lines naming it. */
export const PRELUDE_FILENAME = "node:internal/sandbox";

/** Exit statuses `step` returns for phases 0 to 2 (phase 3 returns the exit code). */
export const StepStatus = { ok: 0, threw: 1, exited: 2, outputStopped: 3, allocationFailed: 4 } as const;

/** What the host hands the prelude once per run, copied into the isolate. */
export interface PreludeConfig {
	stdin: string;
	files: Record<string, string>;
	args: string[];
	outputBytes: number;
	nodeVersion: string;
}

/**
 * The source evaluated in every fresh context before the learner's program: a function of
 * `(hostWrite, hostExit, config)` that installs `process`, `console` and `global`, and returns `step`.
 * Strict throughout, so no frame of it hands its functions to a program walking `arguments.callee.caller`
 * or stack-trace call sites.
 */
export const PRELUDE_SOURCE = `(function (hostWrite, hostExit, config) {\n"use strict";\n${INSPECT_SOURCE}\n${PROCESS_SOURCE}\n${MODULES_SOURCE}\n${STEP_SOURCE}\n})`;
