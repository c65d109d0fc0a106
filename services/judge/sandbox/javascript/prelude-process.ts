/**
 * The core of the little of Node a learner's program meets, as JavaScript source evaluated inside each isolate:
 * output buffered and handed to the host in chunks (one host call per chunk, not per console.log; the host counts
 * bytes and answers how many remain, or -1 to stop the program), a small EventEmitter, `process` (argv, exit,
 * exitCode, stdout, stderr, stdin as an event source) and `console`. It runs in the prelude's scope, which supplies
 * `hostWrite`, `hostExit` and `config`, and `inspect`/`format` from the inspect source.
 */
export const PROCESS_SOURCE = String.raw`
const STOP = Object.freeze(Object.create(null));
const FLUSH_CHARS = 65536;
const STDERR_CHARS = 8192;
const SCRIPT_PATH = "/sandbox/main.js";
const hasOwn = Object.prototype.hasOwnProperty;
const files = config.files;
const stdinText = config.stdin;
let budget = config.outputBytes;
let stdoutBuf = "";
let stderrBuf = "";
let stopped = false;
let exiting = false;
let inExitHandlers = false;

function flushOut() {
	if (stdoutBuf === "") return;
	const chunk = stdoutBuf;
	stdoutBuf = "";
	const left = hostWrite(1, chunk);
	if (left < 0) stopped = true;
	else budget = left;
}

function flushErr() {
	if (stderrBuf === "") return;
	const chunk = stderrBuf;
	stderrBuf = "";
	hostWrite(2, chunk);
}

function writeOut(text) {
	if (stopped || exiting) throw STOP;
	stdoutBuf += text;
	// Characters are at least a byte each: past the budget in characters is past it in bytes.
	if (stdoutBuf.length > budget) stdoutBuf = stdoutBuf.slice(0, budget + 1);
	if (stdoutBuf.length >= FLUSH_CHARS || stdoutBuf.length > budget) {
		flushOut();
		if (stopped) throw STOP;
	}
}

function writeErr(text) {
	if (stopped || exiting) throw STOP;
	if (stderrBuf.length < STDERR_CHARS) stderrBuf += text.slice(0, STDERR_CHARS - stderrBuf.length);
}

function describeReceived(value) {
	if (value === null || value === undefined) return String(value);
	if (typeof value === "function") return "function " + value.name;
	if (typeof value === "object") {
		const name = value.constructor && value.constructor.name;
		return name ? "an instance of " + name : inspect(value, -1);
	}
	let shown = inspect(value);
	if (shown.length > 28) shown = shown.slice(0, 25) + "...";
	return "type " + typeof value + " (" + shown + ")";
}

function invalidArg(name, expected, value) {
	const err = new TypeError('The "' + name + '" argument must be ' + expected + ". Received " + describeReceived(value));
	err.code = "ERR_INVALID_ARG_TYPE";
	return err;
}

function decodeUtf8(bytes) {
	let escaped = "";
	for (let i = 0; i < bytes.length; i++) escaped += (bytes[i] < 16 ? "%0" : "%") + bytes[i].toString(16);
	try {
		return decodeURIComponent(escaped);
	} catch {
		let text = "";
		for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
		return text;
	}
}

function chunkText(chunk) {
	if (typeof chunk === "string") return chunk;
	if (ArrayBuffer.isView(chunk)) return decodeUtf8(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
	throw invalidArg("chunk", "of type string or an instance of Buffer, TypedArray, or DataView", chunk);
}

class EventEmitter {
	#events = new Map();
	on(name, listener) {
		if (typeof listener !== "function") throw invalidArg("listener", "of type function", listener);
		const list = this.#events.get(name);
		if (list) list.push(listener);
		else this.#events.set(name, [listener]);
		return this;
	}
	addListener(name, listener) {
		return this.on(name, listener);
	}
	once(name, listener) {
		const emitter = this;
		function once(...args) {
			emitter.off(name, once);
			return listener.apply(this, args);
		}
		once.listener = listener;
		return this.on(name, once);
	}
	off(name, listener) {
		const list = this.#events.get(name);
		if (list) {
			const i = list.findIndex(fn => fn === listener || fn.listener === listener);
			if (i !== -1) list.splice(i, 1);
		}
		return this;
	}
	removeListener(name, listener) {
		return this.off(name, listener);
	}
	removeAllListeners(name) {
		if (name === undefined) this.#events.clear();
		else this.#events.delete(name);
		return this;
	}
	listenerCount(name) {
		const list = this.#events.get(name);
		return list ? list.length : 0;
	}
	emit(name, ...args) {
		const list = this.#events.get(name);
		if (!list || list.length === 0) return false;
		for (const listener of list.slice()) listener.apply(this, args);
		return true;
	}
}

class WriteStream extends EventEmitter {
	#write;
	constructor(fd, write) {
		super();
		this.fd = fd;
		this.#write = write;
	}
	write(chunk, encoding, callback) {
		this.#write(chunkText(chunk));
		const done = typeof encoding === "function" ? encoding : callback;
		if (typeof done === "function") Promise.resolve().then(() => done(null));
		return true;
	}
	end(chunk) {
		if (chunk !== undefined && chunk !== null && typeof chunk !== "function") this.#write(chunkText(chunk));
		return this;
	}
}

class ReadStream extends EventEmitter {
	#read = false;
	constructor() {
		super();
		this.fd = 0;
	}
	setEncoding() {
		return this;
	}
	resume() {
		return this;
	}
	pause() {
		return this;
	}
	read() {
		if (this.#read || stdinText === "") return null;
		this.#read = true;
		return stdinText;
	}
}

const stdin = new ReadStream();
const processEvents = new EventEmitter();

function exitCodeOf(code) {
	if (code === undefined || code === null) return 0;
	const n = typeof code === "string" && code.trim() !== "" ? Number(code) : code;
	if (!Number.isInteger(n)) throw invalidArg("code", "of type number", code);
	return n;
}

function exit(code) {
	if (inExitHandlers && !exiting) process.exitCode = exitCodeOf(code === undefined ? process.exitCode : code);
	else if (!exiting) {
		const n = exitCodeOf(code === undefined ? process.exitCode : code);
		process.exitCode = n;
		inExitHandlers = true;
		try {
			processEvents.emit("exit", n);
		} catch {}
		exiting = true;
		try {
			flushOut();
			flushErr();
		} catch {}
		hostExit(exitCodeOf(process.exitCode));
	}
	throw STOP;
}

function hrtime(previous) {
	const ms = Date.now();
	let seconds = Math.floor(ms / 1000);
	let nanos = (ms % 1000) * 1e6;
	if (previous) {
		seconds -= previous[0];
		nanos -= previous[1];
		if (nanos < 0) {
			seconds--;
			nanos += 1e9;
		}
	}
	return [seconds, nanos];
}
hrtime.bigint = () => BigInt(Date.now()) * 1000000n;

const process = {
	argv: ["node", "main.js"].concat(config.args),
	argv0: "node",
	execArgv: [],
	env: {},
	exitCode: undefined,
	platform: "linux",
	arch: "x64",
	pid: 1,
	version: "v" + config.nodeVersion,
	versions: { node: config.nodeVersion },
	stdin,
	stdout: new WriteStream(1, writeOut),
	stderr: new WriteStream(2, writeErr),
	exit,
	cwd: () => "/sandbox",
	hrtime,
	nextTick: (fn, ...args) => void Promise.resolve().then(() => fn(...args)),
	on: (name, fn) => (processEvents.on(name, fn), process),
	once: (name, fn) => (processEvents.once(name, fn), process),
	off: (name, fn) => (processEvents.off(name, fn), process),
	removeListener: (name, fn) => (processEvents.off(name, fn), process),
	emit: (name, ...args) => processEvents.emit(name, ...args)
};

let groupIndent = "";
function consoleLine(args) {
	const text = format(args);
	return (groupIndent === "" ? text : groupIndent + text.split("\n").join("\n" + groupIndent)) + "\n";
}
const console = {
	log: (...args) => writeOut(consoleLine(args)),
	info: (...args) => writeOut(consoleLine(args)),
	debug: (...args) => writeOut(consoleLine(args)),
	error: (...args) => writeErr(consoleLine(args)),
	warn: (...args) => writeErr(consoleLine(args)),
	trace: (...args) => writeErr(consoleLine(["Trace" + (args.length ? ": " + format(args) : "")])),
	dir: value => writeOut(consoleLine([inspect(value)])),
	table: (...args) => writeOut(consoleLine(args)),
	assert: (ok, ...args) => {
		if (!ok) writeErr(consoleLine(["Assertion failed" + (args.length ? ": " + format(args) : "")]));
	},
	group: (...args) => {
		if (args.length) writeOut(consoleLine(args));
		groupIndent += "  ";
	},
	groupEnd: () => {
		groupIndent = groupIndent.slice(2);
	}
};

`;
