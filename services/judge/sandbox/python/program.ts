/**
 * A prepared Python submission: its zygote, compiled once, forking a fresh child per run. Preparing writes nothing to
 * the host and disposing ends the zygote.
 */
import type { PreparedProgram, RunInput, RunLimits, RunResult } from "../sandbox.types";
import type { Zygote } from "./zygote";

export const MAIN_FILE = "main.py";

const FILE_NAME = /^[\w.-]{1,128}$/;

function checkFileName(name: string): void {
	if (!FILE_NAME.test(name) || name === "." || name === ".." || name === MAIN_FILE)
		throw new Error(`invalid run file name ${JSON.stringify(name)}`);
}

export class PythonProgram implements PreparedProgram {
	private disposed = false;

	constructor(private readonly zygote: Zygote) {}

	async run(input: RunInput, limits: RunLimits): Promise<RunResult> {
		if (this.disposed) throw new Error("the program was disposed");
		const files = input.files ?? {};
		for (const name of Object.keys(files)) checkFileName(name);
		return this.zygote.run({ stdin: input.stdin, args: input.args ?? [], files, limits });
	}

	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		await this.zygote.close();
	}
}
