import assert from "node:assert/strict";
import { describe, it } from "node:test";
import util from "node:util";
import vm from "node:vm";
import { INSPECT_SOURCE } from "./prelude-inspect";

/** The sandbox's formatter, evaluated in this realm so its output can be set beside Node's own for the same values. */
const sandbox = vm.runInThisContext(`(function () { "use strict";\n${INSPECT_SOURCE}\nreturn { inspect, format }; })()`) as {
	inspect(value: unknown): string;
	format(args: unknown[]): string;
};

class Point {
	constructor(
		public x: number,
		public y: number
	) {}
}

function circular(): unknown {
	const a: Record<string, unknown> = { name: "a", list: [1, 2] };
	a.self = a;
	(a.list as unknown[]).push(a);
	return a;
}

function sparse(): unknown[] {
	const array: unknown[] = [1];
	array[5] = 2;
	array.length = 9;
	return array;
}

const VALUES: [string, unknown][] = [
	["numbers", [0, -0, 1.5, -2, NaN, Infinity, 1e21, 2 ** 53]],
	["strings", ["it's", 'say "hi"', "both ' and \" here", "tab\tnew\nline\\", "\u0001\u007f", "\ud83d\ude00 \ud83d"]],
	["primitives", [true, false, null, undefined, 10n, Symbol("s")]],
	["short array", [1, 2, 3]],
	["seven numbers", [1, 2, 3, 4, 5, 6, 7]],
	["many numbers", Array.from({ length: 30 }, (_, i) => i * 37)],
	["mixed widths", [1, 22, 333, 4444, 55555, 666666, 7777777, 88888888]],
	["many strings", Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat((i % 5) + 1))],
	["long array", Array.from({ length: 150 }, (_, i) => i)],
	["nested arrays", [[1, 2], [3, [4, [5, [6]]]], []]],
	["matrix", Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => i * j))],
	["plain object", { a: 1, b: "two", "c-d": [3], e: { f: { g: { h: 1 } } } }],
	["wide object", Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, `value number ${i}`]))],
	["empty things", [{}, [], new Map(), new Set(), Object.create(null)]],
	["class instance", new Point(1, 2)],
	["instances in array", [new Point(1, 2), new Point(3, 4)]],
	["null prototype", Object.assign(Object.create(null), { a: 1 })],
	[
		"map and set",
		[
			new Map<unknown, unknown>([
				["a", 1],
				[{ k: 1 }, [2]]
			]),
			new Set([1, "x", [2]])
		]
	],
	["functions", [function named() {}, () => {}, class A {}, class B extends Point {}, async function run() {}, function* gen() {}]],
	["function with props", Object.assign(function f() {}, { a: 1 })],
	["dates and regexps", [new Date(0), /a+b/gi, new Date(NaN)]],
	["typed arrays", [new Uint8Array([1, 2, 3]), new Float64Array(2), new BigInt64Array([1n])]],
	["sparse", sparse()],
	["array with props", Object.assign([1, 2], { extra: true })],
	["circular", circular()],
	["symbol keys", { [Symbol("k")]: 1, normal: 2 }],
	[
		"getters",
		Object.defineProperties({}, { g: { get: () => 1, enumerable: true }, gs: { get: () => 1, set: () => {}, enumerable: true } })
	],
	["boxed", [Object(1), Object("ab"), Object(true)]],
	["long nested string", { text: "line one of a long string\nline two of a long string\nline three of it" }],
	["deep", { l1: { l2: { l3: { l4: {} } } } }],
	["objects in a long array", Array.from({ length: 10 }, (_, i) => ({ id: i, name: `n${i}` }))]
];

describe("sandbox inspect matches Node's util.inspect", () => {
	for (const [name, value] of VALUES) {
		it(name, () => {
			assert.equal(sandbox.inspect(value), util.inspect(value));
		});
	}

	it("formats errors by their stack", () => {
		const err = Object.assign(new TypeError("boom"), { stack: "TypeError: boom\n    at f (main.js:2:9)" });
		assert.equal(sandbox.inspect(err), util.inspect(err));
		assert.equal(sandbox.inspect([err]), util.inspect([err]));
		assert.match(sandbox.inspect(Object.assign(new Error("x"), { code: "E" })), /^Error: x\n[^]*\{\n {2}code: 'E'\n\}$/);
	});
});

describe("sandbox format matches Node's util.format", () => {
	const CASES: unknown[][] = [
		[],
		["plain"],
		["a", "b", 3, [1]],
		["%s and %d", "x", 42],
		["%i %f %j %%", "42.9px", "1.5", { a: [1] }],
		["%s", { a: 1 }],
		["%s", [1, 2]],
		["%s %s", -0, 5n],
		["%o", { a: { b: { c: { d: 1 } } } }],
		["%O", { a: 1 }],
		["%c styled", "color: red"],
		["missing %s %s", "one"],
		["100%", 5],
		[1, "two", { three: 3 }],
		["%d", "abc"]
	];
	for (const args of CASES) {
		it(JSON.stringify(args.map(String)), () => {
			assert.equal(sandbox.format(args), util.format(...args));
		});
	}
});
