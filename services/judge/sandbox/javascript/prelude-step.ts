/**
 * The end of the prelude, as JavaScript source evaluated inside each isolate: stdin's delivery to listeners, the
 * report of an uncaught error, the globals a program sees, and `step`, the one entry the host calls. Phase 0 runs
 * the program, 1 delivers stdin's data and complete lines, 2 its last line, end and close, 3 emits process 'exit',
 * flushes and returns the exit code; any other phase only flushes (what a failed run printed).
 */
export const STEP_SOURCE = String.raw`
let lines;
function stdinLines() {
	if (lines === undefined) lines = stdinText.split(LINE_END);
	return lines;
}

function deliverLines(from, to) {
	const all = stdinLines();
	for (let i = from; i < to; i++) for (const rl of interfaces.slice()) rl.deliver(all[i]);
}

function stdinData() {
	if (stdinText !== "") stdin.emit("data", stdinText);
	stdin.emit("readable");
	if (interfaces.length) deliverLines(0, stdinLines().length - 1);
}

function stdinEnd() {
	stdin.emit("end");
	stdin.emit("close");
	if (interfaces.length) {
		const all = stdinLines();
		if (all[all.length - 1] !== "") deliverLines(all.length - 1, all.length);
		for (const rl of interfaces.slice()) rl.close();
	}
}

function reportUncaught(err) {
	try {
		flushOut();
	} catch {}
	let text;
	try {
		text = err instanceof Error ? inspect(err) : "Uncaught " + inspect(err);
	} catch {
		text = "Uncaught exception";
	}
	stderrBuf = (stderrBuf + text + "\n").slice(0, STDERR_CHARS);
	flushErr();
}

function define(name, value) {
	Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}
define("global", globalThis);
define("process", process);
define("console", console);
define("queueMicrotask", fn => void Promise.resolve().then(() => fn()));
delete globalThis.WebAssembly;

function finish() {
	if (!exiting && !stopped) {
		inExitHandlers = true;
		try {
			processEvents.emit("exit", exitCodeOf(process.exitCode));
		} catch (err) {
			if (err !== STOP) {
				reportUncaught(err);
				process.exitCode = 1;
			}
		}
	}
	flushOut();
	flushErr();
	try {
		return exitCodeOf(process.exitCode);
	} catch {
		return 1;
	}
}

return function step(phase, main) {
	try {
		if (phase === 0) main.call(module.exports, module.exports, require, module, SCRIPT_PATH, "/sandbox");
		else if (phase === 1) stdinData();
		else if (phase === 2) stdinEnd();
		else if (phase === 3) return finish();
		flushOut();
		flushErr();
		return stopped ? 3 : 0;
	} catch (err) {
		if (err === STOP) return stopped ? 3 : 2;
		if (err instanceof RangeError && err.message === "Array buffer allocation failed") return 4;
		reportUncaught(err);
		return 1;
	}
};
`;
