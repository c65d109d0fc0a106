/**
 * A V8 startup snapshot holding the prelude, made once per host child: isolates start from it with the prelude's
 * functions already compiled (a warm-up run compiles them before the snapshot is taken), which saves about a third of
 * a submission's sandbox time. Each fresh context finds the setup function on its global and the host takes it off
 * before any program code runs there. Without a snapshot (if V8 refuses to make one), the prelude is compiled per isolate.
 */
import ivm from "isolated-vm";
import { PRELUDE_FILENAME, PRELUDE_SOURCE } from "./prelude";

const SETUP_GLOBAL = "__sandboxSetup";

/** Exercises what most programs use (stdin, readline, console.log of arrays and objects, stdout.write, stderr). */
const WARMUP = `{
	const step = globalThis.${SETUP_GLOBAL}(() => 1e9, () => {}, { stdin: "1 2\\n3 4\\n5", files: {}, args: [], outputBytes: 1e9, nodeVersion: "0.0.0" });
	step(0, function (exports, require) {
		const fs = require("fs");
		const rl = require("readline").createInterface({ input: process.stdin });
		rl.on("line", line => console.log(line.split(" ").map(Number), { line, n: [1, "x", null] }, new Map([[1, new Set([2])]])));
		rl.on("close", () => process.stdout.write(fs.readFileSync(0, "utf8").trim() + "\\n"));
		console.error("%s %d", "warm", 1, new Error("up"));
	});
	step(1);
	step(2);
	step(3);
}`;

/** Evaluated in a fresh context, it returns the prelude's setup function and leaves no trace of it on the global. */
const TAKE_SETUP = `(() => {
	const setup = globalThis.${SETUP_GLOBAL};
	delete globalThis.${SETUP_GLOBAL};
	return setup;
})()`;

let snapshot: ivm.ExternalCopy<ArrayBuffer> | null | undefined;

function preludeSnapshot(): ivm.ExternalCopy<ArrayBuffer> | null {
	if (snapshot === undefined) {
		try {
			snapshot = ivm.Isolate.createSnapshot(
				[{ code: `globalThis.${SETUP_GLOBAL} = ${PRELUDE_SOURCE};`, filename: PRELUDE_FILENAME }],
				WARMUP
			);
		} catch {
			snapshot = null;
		}
	}
	return snapshot;
}

/** A new isolate with the prelude ready, and the script whose run in a fresh context yields the setup function. */
export function isolateWithPrelude(memoryLimit: number): { isolate: ivm.Isolate; prelude: ivm.Script } {
	const fromSnapshot = preludeSnapshot();
	const isolate = new ivm.Isolate(fromSnapshot === null ? { memoryLimit } : { memoryLimit, snapshot: fromSnapshot });
	try {
		const prelude =
			fromSnapshot === null
				? isolate.compileScriptSync(PRELUDE_SOURCE, { filename: PRELUDE_FILENAME })
				: isolate.compileScriptSync(TAKE_SETUP, { filename: PRELUDE_FILENAME });
		return { isolate, prelude };
	} catch (err) {
		isolate.dispose();
		throw err;
	}
}
