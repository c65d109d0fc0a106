/**
 * Hostile values as fast-check arbitraries: for a JSON body field (JSON text, so that duplicate
 * keys, `__proto__` as an own key, 10,000 levels of nesting and numbers such as 1e999 can be
 * written exactly), for a path segment and for a query string (already percent-encoded, and
 * sometimes deliberately malformed).
 */
import fc from "fast-check";
import type { JsonSchema } from "./routes";

export interface Hostile {
	kind: string;
	/** JSON text (body) or URL text (path segment, query fragment). */
	text: string;
	/** Carries a `__proto__`, `constructor` or `prototype` key: the input boundary must answer 400. */
	proto: boolean;
}

const hostile =
	(kind: string, proto = false) =>
	(text: string): Hostile => ({ kind, text, proto });

/** Bodies are limited to 100 kB (BODY_LIMIT): 100,000 characters fit, 102,400 do not. */
const LONG_LENGTHS = [10_000, 100_000, 102_400];

const CONTROL = [
	"\u0000",
	"\u0001",
	"\u0007",
	"\b",
	"\t",
	"\n",
	"\r",
	"\u001b",
	"\u007f",
	"\u0085",
	"\u00a0",
	"\u200b",
	"\u200d",
	"\u202e",
	"\u2028",
	"\u2029",
	"\ufeff",
	"\ufffd",
	"\uffff",
	"\ud800",
	"\udfff"
];
const COMBINING = ["\u0301", "\u0300", "\u0336", "\u20dd", "\u0489", "\u1dc0", "\ufe20"];
const LONG_UNITS = ["a", "@", "é", "\u0301", "😀", "\u0000", " ", "."];

const NAN_LIKE = [
	"NaN",
	"-NaN",
	"Infinity",
	"-Infinity",
	"1e309",
	"-1e309",
	"0x1F",
	"1_000",
	" 1 ",
	"",
	"null",
	"undefined",
	"true",
	"-0",
	"01",
	"+1",
	"1e3",
	"1.0",
	"0.0000001",
	"9007199254740993",
	"١٢٣"
];
const INJECTION = [
	"' OR '1'='1' --",
	'"; DROP TABLE users; --',
	"$1",
	"<script>alert(1)</script>",
	"${7*7}",
	"{{7*7}}",
	"../../../../etc/passwd",
	"\\u0000",
	"%00",
	"*",
	"?",
	"\\",
	"[object Object]"
];
const PROTO_WORDS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
const NUMBER_TEXTS = [
	"1e999",
	"-1e999",
	"123456789012345678901234567890",
	"-123456789012345678901234567890",
	"-0",
	"0.1e-400",
	"1.0000000000000001",
	"9007199254740993",
	"-9007199254740993",
	"1e308",
	"-1e308",
	"5e-324",
	"-1",
	"0",
	"2147483648",
	"-2147483649",
	"1.5",
	"-1.5"
];

/** Proto payloads as JSON values; `nest` wraps one at a random depth. */
const PROTO_VALUES = [
	'{"__proto__":{"role":"admin"}}',
	'{"constructor":{"prototype":{"role":"admin"}}}',
	'[{"__proto__":{"isAdmin":true}}]',
	'{"a":{"b":[{"prototype":{"x":1}}]}}',
	'{"__proto__":{"__proto__":{"polluted":"yes"}}}'
];

function nest(depth: number, inner: string, arrays: boolean): string {
	return arrays ? "[".repeat(depth) + inner + "]".repeat(depth) : '{"a":'.repeat(depth) + inner + "}".repeat(depth);
}

function repeatTo(unit: string, length: number): string {
	return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

// --- strings (as JS strings; encoded by the callers) ---

const longString = (maxLength: number | undefined) =>
	fc
		.tuple(fc.constantFrom(...LONG_UNITS), fc.constantFrom(...(maxLength ? [maxLength + 1, ...LONG_LENGTHS] : LONG_LENGTHS)))
		.map(([unit, length]) => ({ kind: `long-string(${JSON.stringify(unit)}×${length})`, value: repeatTo(unit, length) }));

const controlString = fc
	.array(fc.constantFrom(...CONTROL), { minLength: 1, maxLength: 24 })
	.map(chars => ({ kind: "control-characters", value: `ab${chars.join("")}cd` }));

const combiningString = fc.oneof(
	fc.integer({ min: 1, max: 5000 }).map(n => ({ kind: `combining×${n}`, value: `a${"\u0301".repeat(n)}` })),
	fc
		.array(fc.tuple(fc.constantFrom("a", "e", "Z", "ж"), fc.array(fc.constantFrom(...COMBINING), { maxLength: 30 })), {
			minLength: 1,
			maxLength: 40
		})
		.map(parts => ({ kind: "zalgo", value: parts.map(([c, marks]) => c + marks.join("")).join("") }))
);

const anyCodePoints = fc.string({ unit: "binary", minLength: 1, maxLength: 64 }).map(value => ({ kind: "any-code-points", value }));

const oddString = fc.oneof(
	fc.constantFrom(...NAN_LIKE).map(value => ({ kind: "nan-like", value })),
	fc.constantFrom(...INJECTION).map(value => ({ kind: "injection", value })),
	fc.constantFrom(...PROTO_WORDS).map(value => ({ kind: "proto-word-as-value", value }))
);

function hostileStrings(maxLength: number | undefined) {
	return fc.oneof(longString(maxLength), controlString, combiningString, anyCodePoints, oddString);
}

// --- JSON body field values ---

const TYPE_SAMPLES: Record<string, string[]> = {
	string: ['"x"', '""', '"1"'],
	integer: ["1", "-1", "0"],
	number: ["1.5", "-1e308"],
	boolean: ["true", "false"],
	null: ["null"],
	array: ["[]", '["x"]', "[1,2,3]", "[[[]]]", "[null]"],
	object: ["{}", '{"a":1}', '{"length":1000000000}', '{"toString":"x","valueOf":1}']
};

/** The JSON types a schema allows (enum and const by their values' types). */
function allowedTypes(schema: JsonSchema): Set<string> {
	const types = new Set<string>();
	const add = (t: string) => {
		types.add(t);
		if (t === "number") types.add("integer");
	};
	if (typeof schema.type === "string") add(schema.type);
	if (Array.isArray(schema.type)) schema.type.forEach(add);
	for (const v of [...(schema.enum ?? []), ...("const" in schema ? [schema.const] : [])])
		add(v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
	for (const alternative of schema.anyOf ?? []) allowedTypes(alternative).forEach(add);
	return types;
}

function wrongTypes(schema: JsonSchema): string[] {
	const allowed = allowedTypes(schema);
	const samples = Object.entries(TYPE_SAMPLES)
		.filter(([type]) => allowed.size > 0 && !allowed.has(type))
		.flatMap(([, texts]) => texts);
	// An enum also refuses strings outside it: near misses first.
	for (const v of schema.enum ?? [])
		if (typeof v === "string") samples.push(JSON.stringify(v.toUpperCase()), JSON.stringify(` ${v}`), JSON.stringify(`${v}\u0000`));
	return samples.length ? samples : TYPE_SAMPLES.array;
}

const jsonNumbers = fc.oneof(
	fc.constantFrom(...NUMBER_TEXTS),
	fc.double({ noNaN: true, noDefaultInfinity: true }).map(n => JSON.stringify(n)),
	fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String)
);

const deepJson = fc
	.tuple(fc.constantFrom(100, 1000, 10_000), fc.boolean())
	.map(([depth, arrays]) => hostile(`deep-${arrays ? "arrays" : "objects"}×${depth}`)(nest(depth, "1", arrays)));

export const protoJson = fc
	.tuple(fc.constantFrom(...PROTO_VALUES), fc.integer({ min: 0, max: 40 }), fc.boolean())
	.map(([value, depth, arrays]) => hostile(`proto-key@depth${depth}`, true)(nest(depth, value, arrays)));

/** A hostile JSON value for a body field with this schema. */
export function bodyValue(schema: JsonSchema): fc.Arbitrary<Hostile> {
	return fc.oneof(
		{ arbitrary: fc.constantFrom(...wrongTypes(schema)).map(hostile("wrong-type")), weight: 3 },
		{ arbitrary: hostileStrings(schema.maxLength).map(s => hostile(s.kind)(JSON.stringify(s.value))), weight: 4 },
		{ arbitrary: jsonNumbers.map(hostile("number")), weight: 2 },
		{ arbitrary: deepJson, weight: 1 },
		{ arbitrary: protoJson, weight: 2 }
	);
}

// --- URL text ---

/** Percent-encodes every UTF-16 unit, lone surrogates too (as the invalid UTF-8 CESU bytes). */
export function encodeLoose(value: string): string {
	let out = "";
	for (let i = 0; i < value.length; i++) {
		const unit = value.charCodeAt(i);
		const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
		if (pair) {
			out += encodeURIComponent(value.slice(i, i + 2));
			i++;
		} else if (unit >= 0xd800 && unit <= 0xdfff) {
			out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
				.map(b => `%${b.toString(16).toUpperCase()}`)
				.join("");
		} else {
			out += encodeURIComponent(value[i]);
		}
	}
	return out;
}

/** Already "encoded", malformed on purpose: sent exactly as written. */
const RAW_URL = ["%", "%zz", "%E0%A4%A", "%C0%AF", "%2e%2e", "..%2F..%2Fadmin", "%2F", "a%00b", "%FF%FE", "%25", "%u0041", ".", ".."];

/** A hostile path segment or query value, as URL text. */
export function urlValue(schema: JsonSchema): fc.Arbitrary<Hostile> {
	// Up to 8,000 characters (48 kB encoded): past Node's 16 kB header limit, so the gateway must
	// answer 431 itself. Longer request lines are reset by TCP while they are still being sent.
	const long = fc
		.tuple(fc.constantFrom(...LONG_UNITS), fc.constantFrom(...(schema.maxLength ? [schema.maxLength + 1] : []), 2000, 8000))
		.map(([unit, length]) =>
			hostile(`long-string(${JSON.stringify(unit)}×${length})`)(encodeLoose(unit).repeat(Math.ceil(length / unit.length)))
		);
	return fc.oneof(
		{ arbitrary: long, weight: 2 },
		{
			arbitrary: fc.oneof(controlString, combiningString, anyCodePoints, oddString).map(s => hostile(s.kind)(encodeLoose(s.value))),
			weight: 5
		},
		{ arbitrary: fc.constantFrom(...NUMBER_TEXTS).map(hostile("number")), weight: 2 },
		{ arbitrary: fc.constantFrom(...RAW_URL).map(hostile("malformed-url")), weight: 2 }
	);
}

/** Query fragments for one parameter: a hostile value, or a hostile shape (arrays, objects, duplicates, proto keys). */
export function queryFragment(name: string, schema: JsonSchema): fc.Arbitrary<Hostile> {
	const shapes = [
		`${name}[]=1&${name}[]=2`,
		`${name}[a]=1`,
		`${name}=1&${name}=2`,
		`${name}=abc&${name}=1`,
		`${name}${"[a]".repeat(1000)}=1`,
		`${name}`,
		`${name}=`,
		`${name}[=1`
	];
	const proto = [
		`${name}[__proto__][role]=admin`,
		`${name}[constructor][prototype][x]=1`,
		`${name}[prototype]=1`,
		`${name}[0][__proto__][x]=1`
	];
	return fc.oneof(
		{ arbitrary: urlValue(schema).map(v => ({ ...v, text: `${name}=${v.text}` })), weight: 6 },
		{ arbitrary: fc.constantFrom(...shapes).map(hostile("query-shape")), weight: 2 },
		{ arbitrary: fc.constantFrom(...proto).map(hostile("query-proto-key", true)), weight: 2 }
	);
}

/** A whole hostile query string, whatever parameters the route has. */
export const wholeQuery: fc.Arbitrary<Hostile> = fc.oneof(
	{
		arbitrary: fc
			.constantFrom(
				"__proto__[role]=admin",
				"a[constructor][prototype][x]=1",
				"constructor=1",
				"prototype[x]=1",
				"__proto__=x",
				"a[__proto__][__proto__][role]=admin",
				"constructor[prototype][role]=admin",
				"%5F%5Fproto%5F%5F[role]=admin",
				"a[0][__proto__][x]=1",
				"page=1&__proto__[page]=2"
			)
			.map(hostile("query-proto-key", true)),
		weight: 3
	},
	{
		arbitrary: fc
			.constantFrom(
				Array.from({ length: 1000 }, (_, i) => `a${i}=1`).join("&"),
				`a${"[b]".repeat(2000)}=1`,
				"page=1&page=2&page=3",
				"%00=1",
				"a=%E0%A4%A",
				"&&&&=&=",
				"a[=1&a]=1&a[]]=1",
				"pageSize=1e999&page=-1"
			)
			.map(hostile("query-shape")),
		weight: 2
	}
);

/** A transformation of the valid body's entries into a hostile body text. */
export interface BodyShape {
	kind: string;
	proto: boolean;
	build(entries: [string, string][]): string;
}

const objectText = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
export const bodyText = objectText;

const shape = (kind: string, proto: boolean, build: BodyShape["build"]): BodyShape => ({ kind, proto, build });

/** Whole-body attacks: prototype keys anywhere, duplicate keys, deep nesting, not-an-object. */
export const wholeBody: fc.Arbitrary<BodyShape> = fc.oneof(
	{
		arbitrary: fc
			.tuple(fc.constantFrom("__proto__", "constructor", "prototype"), protoJson, fc.boolean())
			.map(([key, value, first]) =>
				shape(`top-level ${key} key (${value.kind})`, true, entries =>
					objectText(first ? [[key, value.text], ...entries] : [...entries, [key, value.text]])
				)
			),
		weight: 3
	},
	{
		arbitrary: protoJson.map(value =>
			shape(`nested ${value.kind} under an extra key`, true, entries => objectText([...entries, ["extra", value.text]]))
		),
		weight: 2
	},
	{
		arbitrary: fc.constantFrom(
			shape("duplicate __proto__ keys", true, entries =>
				objectText([...entries, ["__proto__", "{}"], ["__proto__", '{"role":"admin"}']])
			),
			shape("duplicate first key, wrong type last", false, entries =>
				objectText(
					entries.length
						? [...entries, [entries[0][0], "[1]"]]
						: [
								["x", "1"],
								["x", "2"]
							]
				)
			),
			shape("duplicate first key, wrong type first", false, entries =>
				objectText(
					entries.length
						? [[entries[0][0], '{"a":1}'], ...entries]
						: [
								["x", "1"],
								["x", "2"]
							]
				)
			),
			shape("duplicate role key", false, entries => objectText([...entries, ["role", '"user"'], ["role", '"admin"']]))
		),
		weight: 2
	},
	{
		arbitrary: fc
			.tuple(fc.constantFrom(1000, 10_000), fc.boolean(), fc.boolean())
			.map(([depth, arrays, whole]) =>
				whole
					? shape(`whole body nested ${arrays ? "arrays" : "objects"}×${depth}`, false, () => nest(depth, "1", arrays))
					: shape(`extra field nested ${arrays ? "arrays" : "objects"}×${depth}`, false, entries =>
							objectText([...entries, ["extra", nest(depth, "1", arrays)]])
						)
			),
		weight: 2
	},
	{
		arbitrary: fc
			.constantFrom(
				"[]",
				'"x"',
				"1e999",
				"null",
				"true",
				"",
				"{",
				'{"a":1}x',
				"\ufeff{}",
				"{'a':1}",
				`${"[".repeat(10_000)}`,
				'{"a":1,}',
				"[{}]"
			)
			.map(text => shape(`not an object: ${JSON.stringify(text.slice(0, 12))}`, false, () => text)),
		weight: 2
	},
	{
		arbitrary: fc.constant(
			shape("5000 unknown keys", false, entries =>
				objectText([...entries, ...Array.from({ length: 5000 }, (_, i): [string, string] => [`k${i}`, "0"])])
			)
		),
		weight: 1
	}
);
