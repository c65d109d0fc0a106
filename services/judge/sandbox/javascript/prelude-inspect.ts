/**
 * The sandbox's `util.inspect` and `util.format`, as JavaScript source evaluated inside each isolate (the isolate has
 * no Node). It follows Node's layout for what `console.log` prints — quoting, `compact: 3`, lines broken at 80
 * columns, arrays of more than 6 short items in columns, depth 2, 100 items, circular references — without colors or
 * options. It defines `inspect(value)` and `format(args)` in the scope of the prelude that includes it.
 *
 * Plain JavaScript in a string: the isolate runs it as is, so it must not depend on any build step.
 */
export const INSPECT_SOURCE = String.raw`
const inspectKeyRe = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const inspectIndexRe = /^(0|[1-9][0-9]*)$/;
const inspectBuiltins = new Set(["Object", "Array", "Function", "Date", "RegExp", "Error", "Map", "Set", "Promise", "Number", "String",
	"Boolean", "Symbol", "BigInt", "WeakMap", "WeakSet", "ArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray",
	"Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]);
const inspectTypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const inspectTypedArrayTag = Object.getOwnPropertyDescriptor(inspectTypedArrayProto, Symbol.toStringTag).get;
const inspectObjectToString = Object.prototype.toString;
const inspectHasOwn = Object.prototype.hasOwnProperty;
const inspectFnToString = Function.prototype.toString;
const inspectMeta = ["\\x00", "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\x07", "\\b", "\\t", "\\n", "\\x0B", "\\f", "\\r",
	"\\x0E", "\\x0F", "\\x10", "\\x11", "\\x12", "\\x13", "\\x14", "\\x15", "\\x16", "\\x17", "\\x18", "\\x19", "\\x1A", "\\x1B", "\\x1C",
	"\\x1D", "\\x1E", "\\x1F"];

function inspectQuote(str) {
	let quote = "'";
	if (str.includes("'")) {
		if (!str.includes('"')) quote = '"';
		else if (!str.includes("\x60") && !str.includes("\x24{")) quote = "\x60";
	}
	let out = "";
	let last = 0;
	for (let i = 0; i < str.length; i++) {
		const c = str.charCodeAt(i);
		let rep;
		if (c < 32) rep = inspectMeta[c];
		else if (c === 127) rep = "\\x7F";
		else if (c === 92) rep = "\\\\";
		else if (c === 39 && quote === "'") rep = "\\'";
		else if (c >= 0xd800 && c <= 0xdfff) {
			const next = str.charCodeAt(i + 1);
			if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
				i++;
				continue;
			}
			rep = "\\u" + c.toString(16);
		} else continue;
		out += str.slice(last, i) + rep;
		last = i + 1;
	}
	return quote + out + str.slice(last) + quote;
}

function inspectNumber(n) {
	return Object.is(n, -0) ? "-0" : String(n);
}

function inspectPrimitive(ctx, value) {
	switch (typeof value) {
		case "string": {
			let trailer = "";
			if (value.length > 10000) {
				const remaining = value.length - 10000;
				value = value.slice(0, 10000);
				trailer = "... " + remaining + " more character" + (remaining > 1 ? "s" : "");
			}
			if (value.length > 16 && value.length > 80 - ctx.indentationLvl - 4) {
				const lines = value.split(/(?<=\n)/);
				return lines.map(inspectQuote).join(" +\n" + " ".repeat(ctx.indentationLvl + 2)) + trailer;
			}
			return inspectQuote(value) + trailer;
		}
		case "number":
			return inspectNumber(value);
		case "bigint":
			return value + "n";
		case "symbol":
			return value.toString();
		default:
			return String(value);
	}
}

function inspectConstructorName(obj) {
	let proto = obj;
	let first;
	while (proto !== null && proto !== undefined) {
		const d = Object.getOwnPropertyDescriptor(proto, "constructor");
		if (d !== undefined && typeof d.value === "function" && d.value.name !== "") {
			let isInstance = false;
			try {
				isInstance = obj instanceof d.value;
			} catch {}
			if (isInstance) return String(d.value.name);
		}
		proto = Object.getPrototypeOf(proto);
		if (first === undefined) first = proto;
	}
	return first === null ? null : "Object";
}

function inspectPrefix(constructor, tag, fallback, size) {
	size = size || "";
	if (constructor === null) {
		if (tag !== "" && fallback !== tag) return "[" + fallback + size + ": null prototype] [" + tag + "] ";
		return "[" + fallback + size + ": null prototype] ";
	}
	if (tag !== "" && constructor !== tag) return constructor + size + " [" + tag + "] ";
	return constructor + size + " ";
}

function inspectKeys(value) {
	const keys = Object.keys(value);
	for (const symbol of Object.getOwnPropertySymbols(value)) {
		if (Object.prototype.propertyIsEnumerable.call(value, symbol)) keys.push(symbol);
	}
	return keys;
}

function inspectNonIndexKeys(value) {
	return inspectKeys(value).filter(key => typeof key !== "string" || !inspectIndexRe.test(key) || Number(key) >= 4294967295);
}

function inspectTypedName(value) {
	try {
		return inspectTypedArrayTag.call(value);
	} catch {
		return undefined;
	}
}

function inspectFunctionBase(value, constructor, tag) {
	const source = inspectFnToString.call(value);
	if (source.startsWith("class") && source.endsWith("}")) {
		const name = (inspectHasOwn.call(value, "name") && value.name) || "(anonymous)";
		let base = "class " + name;
		if (constructor !== "Function" && constructor !== null) base += " [" + constructor + "]";
		if (tag !== "" && constructor !== tag) base += " [" + tag + "]";
		if (constructor !== null) {
			const superName = Object.getPrototypeOf(value).name;
			if (superName) base += " extends " + superName;
		} else base += " extends [null prototype]";
		return "[" + base + "]";
	}
	let type = "Function";
	if (constructor === "AsyncFunction" || constructor === "GeneratorFunction" || constructor === "AsyncGeneratorFunction") type = constructor;
	let base = "[" + type;
	if (constructor === null) base += " (null prototype)";
	base += value.name === "" ? " (anonymous)" : ": " + value.name;
	base += "]";
	if (constructor !== type && constructor !== null) base += " " + constructor;
	if (tag !== "" && constructor !== tag) base += " [" + tag + "]";
	return base;
}

function inspectError(ctx, err) {
	let stack = "";
	try {
		stack = err.stack;
	} catch {}
	if (typeof stack !== "string" || stack === "") {
		let text = "Error";
		try {
			text = Error.prototype.toString.call(err);
		} catch {}
		stack = "[" + text + "]";
	}
	stack = stack
		.split("\n")
		.filter(line => !line.includes("node:internal/"))
		.join("\n");
	if (ctx.indentationLvl !== 0) stack = stack.replaceAll("\n", "\n" + " ".repeat(ctx.indentationLvl));
	return stack;
}

function inspectValue(ctx, value, recurseTimes) {
	if (value === null) return "null";
	if (typeof value !== "object" && typeof value !== "function") return inspectPrimitive(ctx, value);
	if (ctx.seen.includes(value)) {
		let index = 1;
		if (ctx.circular === undefined) {
			ctx.circular = new Map();
			ctx.circular.set(value, index);
		} else {
			index = ctx.circular.get(value);
			if (index === undefined) {
				index = ctx.circular.size + 1;
				ctx.circular.set(value, index);
			}
		}
		return "[Circular *" + index + "]";
	}
	return inspectRaw(ctx, value, recurseTimes);
}

function inspectRaw(ctx, value, recurseTimes) {
	const constructor = inspectConstructorName(value);
	let tag = "";
	try {
		const t = value[Symbol.toStringTag];
		if (typeof t === "string" && t !== "" && !Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag)) tag = t;
	} catch {}
	let base = "";
	let braces;
	let keys;
	let formatter = () => [];
	let extras = 0;
	const typedName = ArrayBuffer.isView(value) ? inspectTypedName(value) : undefined;
	if (Array.isArray(value)) {
		const prefix = constructor !== "Array" || tag !== "" ? inspectPrefix(constructor, tag, "Array", "(" + value.length + ")") : "";
		keys = inspectNonIndexKeys(value);
		braces = [prefix + "[", "]"];
		if (value.length === 0 && keys.length === 0) return braces[0] + "]";
		extras = 2;
		formatter = inspectArray;
	} else if (typedName !== undefined) {
		keys = inspectNonIndexKeys(value);
		braces = [inspectPrefix(constructor, tag, typedName, "(" + value.length + ")") + "[", "]"];
		if (value.length === 0 && keys.length === 0) return braces[0] + "]";
		extras = 2;
		formatter = inspectTypedArray;
	} else if (value instanceof Set) {
		keys = inspectKeys(value);
		const prefix = inspectPrefix(constructor, tag, "Set", "(" + value.size + ")");
		if (value.size === 0 && keys.length === 0) return prefix + "{}";
		braces = [prefix + "{", "}"];
		formatter = inspectSet;
	} else if (value instanceof Map) {
		keys = inspectKeys(value);
		const prefix = inspectPrefix(constructor, tag, "Map", "(" + value.size + ")");
		if (value.size === 0 && keys.length === 0) return prefix + "{}";
		braces = [prefix + "{", "}"];
		formatter = inspectMap;
	} else {
		keys = inspectKeys(value);
		braces = ["{", "}"];
		const kind = inspectObjectToString.call(value);
		if (constructor === "Object" && kind === "[object Object]") {
			if (tag !== "") braces[0] = inspectPrefix(constructor, tag, "Object") + "{";
			if (keys.length === 0) return braces[0] + "}";
		} else if (typeof value === "function") {
			base = inspectFunctionBase(value, constructor, tag);
			if (keys.length === 0) return base;
		} else if (value instanceof RegExp) {
			base = RegExp.prototype.toString.call(value);
			if (keys.length === 0) return base;
		} else if (value instanceof Date) {
			const time = Date.prototype.getTime.call(value);
			base = Number.isNaN(time) ? "Invalid Date" : Date.prototype.toISOString.call(value);
			if (keys.length === 0) return base;
		} else if (value instanceof Error) {
			base = inspectError(ctx, value);
			keys = keys.filter(key => key !== "stack" && key !== "message");
			if (keys.length === 0) return base;
		} else if (kind === "[object Number]" || kind === "[object String]" || kind === "[object Boolean]") {
			const type = kind.slice(8, -1);
			const primitive = value.valueOf();
			if (type === "String") keys = keys.filter(key => typeof key !== "string" || !inspectIndexRe.test(key) || Number(key) >= primitive.length);
			base = "[" + type + (constructor === type ? "" : " (" + constructor + ")") + ": " + inspectPrimitive({ indentationLvl: 0 }, primitive) + "]";
			if (keys.length === 0) return base;
		} else if (value instanceof WeakMap || value instanceof WeakSet) {
			return inspectPrefix(constructor, tag, value instanceof WeakMap ? "WeakMap" : "WeakSet") + "{ <items unknown> }";
		} else {
			braces[0] = inspectPrefix(constructor, tag, "Object") + "{";
			if (keys.length === 0) return braces[0] + "}";
		}
	}
	if (recurseTimes > ctx.depth) {
		const name = inspectPrefix(constructor, tag, "Object").slice(0, -1);
		return constructor === null ? name : "[" + name + "]";
	}
	recurseTimes += 1;
	ctx.seen.push(value);
	ctx.currentDepth = recurseTimes;
	const output = formatter(ctx, value, recurseTimes);
	for (const key of keys) output.push(inspectProperty(ctx, value, recurseTimes, key, extras));
	ctx.seen.pop();
	if (ctx.circular !== undefined) {
		const index = ctx.circular.get(value);
		if (index !== undefined) base = base === "" ? "<ref *" + index + ">" : "<ref *" + index + "> " + base;
	}
	return inspectReduce(ctx, output, base, braces, extras, recurseTimes, value);
}

function inspectProperty(ctx, value, recurseTimes, key, type) {
	let desc = Object.getOwnPropertyDescriptor(value, key);
	if (desc === undefined) desc = { value: value[key], enumerable: true };
	let str;
	if (desc.value !== undefined) {
		ctx.indentationLvl += 2;
		str = inspectValue(ctx, desc.value, recurseTimes);
		ctx.indentationLvl -= 2;
	} else if (desc.get !== undefined) str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
	else if (desc.set !== undefined) str = "[Setter]";
	else str = "undefined";
	if (type === 1) return str;
	let name;
	if (typeof key === "symbol") name = key.toString();
	else if (key === "__proto__") name = "['__proto__']";
	else if (desc.enumerable === false) name = "[" + key + "]";
	else if (inspectKeyRe.test(key)) name = key;
	else name = inspectQuote(key);
	return name + ": " + str;
}

function inspectMore(remaining) {
	return "... " + remaining + " more item" + (remaining > 1 ? "s" : "");
}

function inspectArray(ctx, value, recurseTimes) {
	const length = value.length;
	const max = Math.min(100, length);
	const output = [];
	for (let i = 0; i < max; i++) {
		if (!inspectHasOwn.call(value, i)) return inspectSparseArray(ctx, value, recurseTimes, max, output, i);
		output.push(inspectProperty(ctx, value, recurseTimes, i, 1));
	}
	if (length > max) output.push(inspectMore(length - max));
	return output;
}

function inspectSparseArray(ctx, value, recurseTimes, max, output, i) {
	const keys = Object.keys(value);
	let index = i;
	for (; i < keys.length && output.length < max; i++) {
		const key = keys[i];
		const n = Number(key);
		if (!inspectIndexRe.test(key) || n > 4294967294) break;
		if (String(index) !== key) {
			const empty = n - index;
			output.push("<" + empty + " empty item" + (empty > 1 ? "s" : "") + ">");
			index = n;
			if (output.length === max) break;
		}
		output.push(inspectProperty(ctx, value, recurseTimes, key, 1));
		index++;
	}
	const remaining = value.length - index;
	if (output.length !== max) {
		if (remaining > 0) output.push("<" + remaining + " empty item" + (remaining > 1 ? "s" : "") + ">");
	} else if (remaining > 0) output.push(inspectMore(remaining));
	return output;
}

function inspectTypedArray(ctx, value) {
	const max = Math.min(100, value.length);
	const output = [];
	for (let i = 0; i < max; i++) output.push(typeof value[i] === "bigint" ? value[i] + "n" : inspectNumber(value[i]));
	if (value.length > max) output.push(inspectMore(value.length - max));
	return output;
}

function inspectSet(ctx, value, recurseTimes) {
	const output = [];
	ctx.indentationLvl += 2;
	for (const item of value) {
		if (output.length >= 100) break;
		output.push(inspectValue(ctx, item, recurseTimes));
	}
	ctx.indentationLvl -= 2;
	if (value.size > 100) output.push(inspectMore(value.size - 100));
	return output;
}

function inspectMap(ctx, value, recurseTimes) {
	const output = [];
	ctx.indentationLvl += 2;
	for (const entry of value) {
		if (output.length >= 100) break;
		output.push(inspectValue(ctx, entry[0], recurseTimes) + " => " + inspectValue(ctx, entry[1], recurseTimes));
	}
	ctx.indentationLvl -= 2;
	if (value.size > 100) output.push(inspectMore(value.size - 100));
	return output;
}

function inspectGroup(ctx, output, value) {
	let totalLength = 0;
	let maxLength = 0;
	let outputLength = output.length;
	if (output.length > 100) outputLength--;
	const dataLen = [];
	for (let i = 0; i < outputLength; i++) {
		const len = output[i].length;
		dataLen.push(len);
		totalLength += len + 2;
		if (maxLength < len) maxLength = len;
	}
	const actualMax = maxLength + 2;
	if (actualMax * 3 + ctx.indentationLvl < 80 && (totalLength / actualMax > 5 || maxLength <= 6)) {
		const averageBias = Math.sqrt(actualMax - totalLength / output.length);
		const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
		const columns = Math.min(
			Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
			Math.floor((80 - ctx.indentationLvl) / actualMax),
			12,
			15
		);
		if (columns <= 1) return output;
		const maxLineLength = [];
		for (let i = 0; i < columns; i++) {
			let lineMaxLength = 0;
			for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
			maxLineLength.push(lineMaxLength + 2);
		}
		let padStart = true;
		if (value !== undefined) {
			for (let i = 0; i < output.length; i++) {
				if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
					padStart = false;
					break;
				}
			}
		}
		const grouped = [];
		for (let i = 0; i < outputLength; i += columns) {
			const max = Math.min(i + columns, outputLength);
			let str = "";
			let j = i;
			for (; j < max - 1; j++) {
				const cell = output[j] + ", ";
				str += padStart ? cell.padStart(maxLineLength[j - i], " ") : cell.padEnd(maxLineLength[j - i], " ");
			}
			str += padStart ? output[j].padStart(maxLineLength[j - i] - 2, " ") : output[j];
			grouped.push(str);
		}
		if (outputLength < output.length) grouped.push(output[outputLength]);
		return grouped;
	}
	return output;
}

function inspectFits(ctx, output, start, base) {
	let totalLength = output.length + start;
	if (totalLength + output.length > 80) return false;
	for (let i = 0; i < output.length; i++) {
		totalLength += output[i].length;
		if (totalLength > 80) return false;
	}
	return base === "" || !base.includes("\n");
}

function inspectReduce(ctx, output, base, braces, extras, recurseTimes, value) {
	const entries = output.length;
	if (extras === 2 && entries > 6) output = inspectGroup(ctx, output, value);
	if (ctx.currentDepth - recurseTimes < 3 && entries === output.length) {
		const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
		if (inspectFits(ctx, output, start, base)) {
			const joined = output.join(", ");
			if (!joined.includes("\n")) return (base ? base + " " : "") + braces[0] + " " + joined + " " + braces[1];
		}
	}
	const indentation = "\n" + " ".repeat(ctx.indentationLvl);
	return (base ? base + " " : "") + braces[0] + indentation + "  " + output.join("," + indentation + "  ") + indentation + braces[1];
}

function inspect(value, depth) {
	const ctx = { seen: [], circular: undefined, indentationLvl: 0, currentDepth: 0, depth: depth === undefined ? 2 : depth };
	return inspectValue(ctx, value, 0);
}

function inspectHasBuiltInToString(value) {
	if (typeof value.toString !== "function") return true;
	if (inspectHasOwn.call(value, "toString")) return false;
	let pointer = value;
	do {
		pointer = Object.getPrototypeOf(pointer);
	} while (pointer !== null && !inspectHasOwn.call(pointer, "toString"));
	if (pointer === null) return true;
	const d = Object.getOwnPropertyDescriptor(pointer, "constructor");
	return d !== undefined && typeof d.value === "function" && inspectBuiltins.has(d.value.name);
}

function formatDirective(code, arg) {
	switch (code) {
		case 115:
			if (typeof arg === "number") return inspectNumber(arg);
			if (typeof arg === "bigint") return arg + "n";
			if (typeof arg !== "object" || arg === null || !inspectHasBuiltInToString(arg)) return String(arg);
			return inspect(arg, 0);
		case 106:
			try {
				return JSON.stringify(arg);
			} catch (err) {
				if (err instanceof TypeError && String(err.message).includes("circular")) return "[Circular]";
				throw err;
			}
		case 100:
			if (typeof arg === "bigint") return arg + "n";
			return typeof arg === "symbol" ? "NaN" : inspectNumber(Number(arg));
		case 105:
			if (typeof arg === "bigint") return arg + "n";
			return typeof arg === "symbol" ? "NaN" : inspectNumber(Number.parseInt(arg));
		case 102:
			return typeof arg === "symbol" ? "NaN" : inspectNumber(Number.parseFloat(arg));
		case 79:
			return inspect(arg);
		case 111:
			return inspect(arg, 4);
		case 99:
			return "";
		default:
			return undefined;
	}
}

function format(args) {
	const first = args[0];
	let a = 0;
	let str = "";
	let join = "";
	if (typeof first === "string") {
		if (args.length === 1) return first;
		let lastPos = 0;
		for (let i = 0; i < first.length - 1; i++) {
			if (first.charCodeAt(i) !== 37) continue;
			const code = first.charCodeAt(++i);
			if (a + 1 !== args.length) {
				if (code === 37) {
					str += first.slice(lastPos, i);
					lastPos = i + 1;
					continue;
				}
				const text = formatDirective(code, args[a + 1]);
				if (text === undefined) continue;
				a++;
				if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
				str += text;
				lastPos = i + 1;
			} else if (code === 37) {
				str += first.slice(lastPos, i);
				lastPos = i + 1;
			}
		}
		if (lastPos !== 0) {
			a++;
			join = " ";
			if (lastPos < first.length) str += first.slice(lastPos);
		}
	}
	while (a < args.length) {
		const value = args[a];
		str += join + (typeof value !== "string" ? inspect(value) : value);
		join = " ";
		a++;
	}
	return str;
}
`;
