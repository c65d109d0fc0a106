/**
 * A prepared Python submission: its source, kept in memory and copied into each run's fresh scratch folder through
 * a pipe, so preparing writes nothing to the host and disposing has nothing to remove.
 */
import type { PreparedProgram, RunInput, RunLimits, RunResult } from "../sandbox.types";
import type { PythonSandbox } from "./sandbox";

export const MAIN_FILE = "main.py";

/**
 * -I: no user site, no PYTHON* variables, and not the script's folder on sys.path (a run's file named random.py
 * cannot shadow the stdlib); -B: no .pyc writes; -X utf8: UTF-8 stdin/stdout whatever the locale. `site` stays
 * (exit() and quit() are learners' habits); no site-packages exist inside.
 */
export const PYTHON_FLAGS = ["-I", "-B", "-X", "utf8"];

const FILE_NAME = /^[\w.-]{1,128}$/;

function checkFileName(name: string): void {
	if (!FILE_NAME.test(name) || name === "." || name === ".." || name === MAIN_FILE)
		throw new Error(`invalid run file name ${JSON.stringify(name)}`);
}

export class PythonProgram implements PreparedProgram {
	private disposed = false;

	constructor(
		private readonly sandbox: PythonSandbox,
		private readonly source: string
	) {}

	async run(input: RunInput, limits: RunLimits): Promise<RunResult> {
		if (this.disposed) throw new Error("the program was disposed");
		const extra = Object.entries(input.files ?? {});
		for (const [name] of extra) checkFileName(name);
		return this.sandbox.execute({
			files: [{ name: MAIN_FILE, content: this.source }, ...extra.map(([name, content]) => ({ name, content }))],
			pythonArgs: [...PYTHON_FLAGS, MAIN_FILE, ...(input.args ?? [])],
			stdin: input.stdin,
			limits
		});
	}

	async dispose(): Promise<void> {
		this.disposed = true;
	}
}
