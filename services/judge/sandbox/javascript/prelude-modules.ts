/**
 * What `require` knows inside the sandbox, as JavaScript source evaluated inside each isolate: `fs` (stdin by
 * descriptor or /dev/stdin, the run's named files, writes to descriptors 1 and 2; anything else is ENOENT or EROFS
 * as Node would say) and `readline` (lines of stdin, questions, async iteration). Every other module is Node's
 * "Cannot find module". It runs after the process source, in the same scope.
 */
export const MODULES_SOURCE = String.raw`
function fsError(code, errno, message, syscall, path) {
	const err = new Error(code + ": " + message + ", " + syscall + (path === undefined ? "" : " '" + path + "'"));
	err.errno = errno;
	err.code = code;
	err.syscall = syscall;
	if (path !== undefined) err.path = path;
	return err;
}

function isStdin(path) {
	return path === 0 || path === "/dev/stdin" || path === "/proc/self/fd/0";
}

function fileName(path) {
	let name = String(path);
	if (name.startsWith("/sandbox/")) name = name.slice(9);
	while (name.startsWith("./")) name = name.slice(2);
	return name;
}

function readFileSync(path) {
	if (isStdin(path)) return stdinText;
	if (typeof path === "number") throw fsError("EBADF", -9, "bad file descriptor", "read");
	if (typeof path !== "string") throw invalidArg("path", "of type string or an instance of Buffer or URL", path);
	const name = fileName(path);
	if (hasOwn.call(files, name)) return files[name];
	throw fsError("ENOENT", -2, "no such file or directory", "open", path);
}

function writeTarget(target) {
	if (target === 1 || target === "/dev/stdout") return writeOut;
	if (target === 2 || target === "/dev/stderr") return writeErr;
	if (typeof target === "number") throw fsError("EBADF", -9, "bad file descriptor", "write");
	throw fsError("EROFS", -30, "read-only file system", "open", String(target));
}

const fs = {
	readFileSync,
	readFile(path, options, callback) {
		const done = typeof options === "function" ? options : callback;
		let result;
		try {
			result = [null, readFileSync(path)];
		} catch (err) {
			result = [err];
		}
		Promise.resolve().then(() => done(...result));
	},
	writeFileSync(target, data) {
		writeTarget(target)(chunkText(typeof data === "string" || ArrayBuffer.isView(data) ? data : String(data)));
	},
	writeSync(fd, data) {
		const text = chunkText(typeof data === "string" || ArrayBuffer.isView(data) ? data : String(data));
		writeTarget(fd)(text);
		return text.length;
	},
	existsSync: path => isStdin(path) || (typeof path === "string" && hasOwn.call(files, fileName(path))),
	promises: { readFile: path => Promise.resolve().then(() => readFileSync(path)) }
};

const LINE_END = /\r\n|\n|\r/;
const interfaces = [];

class Interface extends EventEmitter {
	#questions = [];
	#prompt = "> ";
	#output;
	constructor(input, output) {
		super();
		const options = input && typeof input === "object" && "input" in input ? input : { input, output };
		this.#output = options.output;
		this.closed = false;
		this.terminal = false;
		this.line = "";
		interfaces.push(this);
	}
	#show(text) {
		if (this.#output && typeof this.#output.write === "function") this.#output.write(text);
	}
	question(query, options, callback) {
		const done = typeof options === "function" ? options : callback;
		this.#show(String(query));
		this.#questions.push(done);
	}
	setPrompt(prompt) {
		this.#prompt = String(prompt);
	}
	getPrompt() {
		return this.#prompt;
	}
	prompt() {
		this.#show(this.#prompt);
	}
	write() {}
	pause() {
		return this;
	}
	resume() {
		return this;
	}
	close() {
		if (this.closed) return;
		this.closed = true;
		this.emit("close");
	}
	deliver(line) {
		if (this.closed) return;
		const answer = this.#questions.shift();
		if (typeof answer === "function") answer(line);
		else this.emit("line", line);
	}
	[Symbol.asyncIterator]() {
		const rl = this;
		const queue = [];
		let waiting;
		let done = this.closed;
		this.on("line", line => {
			if (waiting) {
				const resolve = waiting;
				waiting = undefined;
				resolve({ value: line, done: false });
			} else queue.push(line);
		});
		this.on("close", () => {
			done = true;
			if (waiting) {
				const resolve = waiting;
				waiting = undefined;
				resolve({ value: undefined, done: true });
			}
		});
		return {
			next() {
				if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
				if (done) return Promise.resolve({ value: undefined, done: true });
				return new Promise(resolve => (waiting = resolve));
			},
			return() {
				rl.close();
				return Promise.resolve({ value: undefined, done: true });
			},
			[Symbol.asyncIterator]() {
				return this;
			}
		};
	}
}

const readline = { createInterface: (input, output) => new Interface(input, output), Interface };
const readlinePromises = {
	createInterface(input, output) {
		const rl = new Interface(input, output);
		rl.question = query => new Promise(resolve => Interface.prototype.question.call(rl, query, resolve));
		return rl;
	},
	Interface
};

const BUILTINS = {
	fs,
	"node:fs": fs,
	readline,
	"node:readline": readline,
	"readline/promises": readlinePromises,
	"node:readline/promises": readlinePromises
};

const module = { id: ".", path: "/sandbox", filename: SCRIPT_PATH, loaded: false, children: [], paths: [], exports: {} };

function notFound(id) {
	const err = new Error("Cannot find module '" + id + "'\nRequire stack:\n- " + SCRIPT_PATH);
	err.code = "MODULE_NOT_FOUND";
	err.requireStack = [SCRIPT_PATH];
	return err;
}

function require(id) {
	if (typeof id !== "string") throw invalidArg("id", "of type string", id);
	if (hasOwn.call(BUILTINS, id)) return BUILTINS[id];
	throw notFound(id);
}
require.main = module;
require.cache = {};
require.resolve = id => {
	if (typeof id === "string" && hasOwn.call(BUILTINS, id)) return id;
	throw notFound(id);
};

`;
