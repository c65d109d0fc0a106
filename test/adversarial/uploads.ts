/**
 * The raw upload of a problem's tests, `PUT /api/problems/:id/tests` (TESTS_UPLOAD in the problems
 * contract): a gateway route of its own that streams the body, a zip or JSON, to the problems
 * service. It is not in the OpenAPI document (its body is a file, not JSON fields), so its cases
 * are written here: each a valid upload by the problem's author with one hostile part, the path,
 * the query, the caller or the body. The bodies are crafted zips (written byte by byte below, so
 * that sizes, flags and offsets can lie) and JSON, and Content-Lengths that lie or are absent;
 * each body case says which statuses are right for it.
 */
import { deflateRawSync, crc32 } from "node:zlib";
import fc from "fast-check";
import { TESTS_UPLOAD } from "../../services/problems/problems.contract";
import { type BuiltRequest, HEADER_CASES_PER_ROUTE, type HostileCase, seedOf } from "./cases";
import { AUTHORIZATION, dealHeaders } from "./headers";
import { urlValue, wholeQuery } from "./hostile";
import type { RouteSpec } from "./routes";

const MIB = 1024 * 1024;

/** The route as the other routes are described (RouteSpec), from the contract rather than the document. */
export const UPLOAD_ROUTE: RouteSpec = (() => {
	const [method, path] = TESTS_UPLOAD.route.split(" ");
	const template = `/api${TESTS_UPLOAD.under}${path.replace(/:(\w+)/g, "{$1}")}`;
	return {
		key: `${method} ${template}`,
		method,
		template,
		auth: "required",
		params: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
		body: undefined,
		anonymousOnly: false,
		roles: []
	};
})();

// --- A zip writer that may lie ---

interface ZipFile {
	name: string;
	content: Uint8Array;
	/** Stored rather than deflated. */
	stored?: boolean;
	/** What the headers say of the inflated size (the truth unless given). */
	declaredSize?: number;
	/** The general-purpose flags (1: encrypted) and the method (8: deflate) the headers state. */
	flags?: number;
	method?: number;
	/** A CRC-32 other than the content's. */
	crc?: number;
}

const deflated = new Map<Uint8Array, Buffer>();
/** Deflates each distinct content once: the bombs repeat the same megabytes of zeros. */
const deflate = (content: Uint8Array) =>
	deflated.get(content) ?? deflated.set(content, deflateRawSync(content, { level: 9 })).get(content)!;

/**
 * A zip archive: local headers and data, then the central directory and its end record.
 * `directory` may rewrite the directory's records (several pointing at one local header: overlapping entries).
 */
function zip(files: ZipFile[], options: { directory?: (records: Buffer[]) => Buffer[]; count?: number } = {}): Buffer {
	const parts: Buffer[] = [];
	const records: Buffer[] = [];
	let offset = 0;
	for (const file of files) {
		const data = file.stored ? Buffer.from(file.content) : deflate(file.content);
		const name = Buffer.from(file.name, "utf8");
		const method = file.method ?? (file.stored ? 0 : 8);
		const crc = file.crc ?? crc32(file.content);
		const size = file.declaredSize ?? file.content.length;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(file.flags ?? 0, 6);
		local.writeUInt16LE(method, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		const record = Buffer.alloc(46);
		record.writeUInt32LE(0x02014b50, 0);
		record.writeUInt16LE(20, 4);
		record.writeUInt16LE(20, 6);
		record.writeUInt16LE(file.flags ?? 0, 8);
		record.writeUInt16LE(method, 10);
		record.writeUInt32LE(crc, 16);
		record.writeUInt32LE(data.length, 20);
		record.writeUInt32LE(size, 24);
		record.writeUInt16LE(name.length, 28);
		record.writeUInt32LE(offset, 42);
		parts.push(local, name, data);
		records.push(Buffer.concat([record, name]));
		offset += local.length + name.length + data.length;
	}
	const directory = Buffer.concat(options.directory ? options.directory(records) : records);
	const count = options.count ?? (options.directory ? options.directory(records).length : records.length);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(count, 8);
	end.writeUInt16LE(count, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, directory, end]);
}

const text = (s: string) => Buffer.from(s, "utf8");
const pair = (name: string, input: string | Uint8Array, output: string | Uint8Array, extra: Partial<ZipFile> = {}): ZipFile[] => [
	{ name: `${name}.in`, content: typeof input === "string" ? text(input) : input, ...extra },
	{ name: `${name}.out`, content: typeof output === "string" ? text(output) : output, ...extra }
];

/** What every case but the hostile part sends: two tests, one a sample. */
export const VALID_ZIP = zip([...pair("samples/1", "1 2\n", "3\n"), ...pair("2", "20 22\n", "42\n")]);

/** Lazily, once: the bombs take a few hundred milliseconds to deflate. */
function once<T>(make: () => T): () => T {
	let made: T | undefined;
	return () => (made ??= make());
}

const zeros = once(() => new Uint8Array(8 * MIB));
const nineMiB = once(() => new Uint8Array(9 * MIB));
const fourMiB = once(() => new Uint8Array(4 * MIB));
/** Random digits, stored: makes an archive large enough that its compression ratio looks like text's. */
const padding = once(() => text(Array.from({ length: 400 * 1024 }, () => Math.floor(Math.random() * 10)).join("")));

export interface BodyCase {
	kind: string;
	/** The statuses a right answer has. */
	expect: number[];
	request(): Omit<BuiltRequest, "path">;
}

const asZip = (body: Uint8Array): Omit<BuiltRequest, "path"> => ({ body, contentType: "application/zip" });
const asJson = (body: string): Omit<BuiltRequest, "path"> => ({ body, contentType: "application/json" });

/**
 * An upload past the limit with no Content-Length to refuse it by: the service reads 32 MiB and
 * refuses the rest. Not among the campaign's cases: a regression case, `uploadRegressionCases` in
 * regressions.ts, sends it (the route now refuses it with 411, before a byte is read).
 */
export const OVERSIZED_CHUNKED: BodyCase = {
	kind: "33 MiB chunked, no Content-Length",
	expect: [413],
	request: () => ({ ...asZip(new Uint8Array(33 * MIB).fill(0x41)), chunked: true })
};

/**
 * Archives that make the service inflate up to its limits before it refuses them: past the file
 * limit (8 MiB), and up to the total (64 MiB). Inflated on the problems service's event loop they
 * stalled the node 120–430 ms; now a worker reads them (test-archive/read-in-worker.ts). Sent by a
 * regression case, `uploadRegressionCases` in regressions.ts, which checks `/health/live` meanwhile.
 */
export const STALLING_UPLOADS: BodyCase[] = [
	{
		kind: "a file inflating past 8 MiB that declares 1 byte, padded past the ratio check",
		expect: [413],
		request: () => asZip(zip([...pair("1", nineMiB(), "1", { declaredSize: 1 }), ...pair("2", padding(), padding(), { stored: true })]))
	},
	{
		kind: "64 MiB inflated, then refused: 7 honest tests of 2 × 4 MiB of zeros and 8 MiB more declared 1 byte, padded past the ratio check",
		expect: [413, 422],
		request: () =>
			asZip(
				zip([
					...Array.from({ length: 7 }, (_, i) => pair(String(i + 1), fourMiB(), fourMiB())).flat(),
					...pair("9", zeros(), "1", { declaredSize: 1 }),
					...pair("9z", padding(), padding(), { stored: true })
				])
			)
	}
];

const BODY_CASES: BodyCase[] = [
	{ kind: "not a zip", expect: [422], request: () => asZip(text("not a zip, just text")) },
	{ kind: "empty body", expect: [422], request: () => asZip(new Uint8Array(0)) },
	{ kind: "a zip cut in half", expect: [422], request: () => asZip(VALID_ZIP.subarray(0, Math.floor(VALID_ZIP.length / 2))) },
	{
		kind: "zip bomb: a test of 2 × 8 MiB of zeros (≈16 kB deflated)",
		expect: [413],
		request: () => asZip(zip(pair("1", zeros(), zeros())))
	},
	{
		kind: "zip bomb whose sizes lie: 2 × 8 MiB of zeros declared 1 byte each",
		// The sizes are not trusted: the ratio is checked on the bytes as they inflate.
		expect: [413],
		request: () => asZip(zip(pair("1", zeros(), zeros(), { declaredSize: 1 })))
	},
	{
		kind: "9 tests of 2 × 8 MiB of zeros declared honestly (144 MiB in all)",
		expect: [413],
		request: () => asZip(zip(Array.from({ length: 9 }, (_, i) => pair(String(i + 1), zeros(), zeros())).flat()))
	},
	{
		kind: "overlapping entries: 100 directory records of one local header",
		expect: [422],
		request: () =>
			asZip(
				zip(pair("1", zeros(), zeros()), {
					directory: records =>
						Array.from({ length: 100 }, (_, i) => {
							const record = Buffer.from(records[0]);
							const name = Buffer.from(`${i}.${i % 2 ? "out" : "in"}`);
							const renamed = Buffer.concat([record.subarray(0, 46), name]);
							renamed.writeUInt16LE(name.length, 28);
							return renamed;
						})
				})
			)
	},
	{ kind: "an archive inside: a .zip entry", expect: [422], request: () => asZip(zip([{ name: "inner.zip", content: VALID_ZIP }])) },
	{ kind: "an archive inside: a test input that is a zip", expect: [422], request: () => asZip(zip(pair("1", VALID_ZIP, "3\n"))) },
	{ kind: 'path with ".."', expect: [422], request: () => asZip(zip(pair("../../../etc/passwd", "1", "1"))) },
	{ kind: "absolute path", expect: [422], request: () => asZip(zip(pair("/etc/cron.d/x", "1", "1"))) },
	{ kind: "Windows drive and backslashes", expect: [422], request: () => asZip(zip(pair("C:\\Windows\\x", "1", "1"))) },
	{ kind: "NUL in a name", expect: [422], request: () => asZip(zip(pair("a\u0000b", "1", "1"))) },
	{
		kind: "201 tests",
		expect: [413],
		request: () => asZip(zip(Array.from({ length: 201 }, (_, i) => pair(String(i + 1), "1\n", "1\n")).flat()))
	},
	{
		kind: "5000 entries in the directory",
		expect: [413],
		request: () => asZip(zip(Array.from({ length: 5000 }, (_, i) => ({ name: `${i}.in`, content: new Uint8Array(0), stored: true }))))
	},
	{
		kind: "directory count 0xFFFF (ZIP64's mark)",
		expect: [422],
		request: () => asZip(zip(pair("1", "1", "1"), { count: 0xffff }))
	},
	{
		kind: "a test that is not UTF-8",
		expect: [422],
		request: () => asZip(zip(pair("1", new Uint8Array([0xff, 0xfe, 0xc0, 0xaf]), "1")))
	},
	{ kind: "encrypted entries", expect: [422], request: () => asZip(zip(pair("1", "1", "1", { flags: 1 }))) },
	{ kind: "compression method 99", expect: [422], request: () => asZip(zip(pair("1", "1", "1", { method: 99 }))) },
	{ kind: "a wrong CRC-32", expect: [422], request: () => asZip(zip(pair("1", "1 2\n", "3\n", { crc: 12345 }))) },
	{ kind: "an input without its answer", expect: [422], request: () => asZip(zip([{ name: "1.in", content: text("1") }])) },
	{
		kind: "a file that is no test",
		expect: [422],
		request: () => asZip(zip([...pair("1", "1", "1"), { name: "run.sh", content: text("rm -rf /") }]))
	},
	{
		kind: "the same test twice (.out and .ans)",
		expect: [422],
		request: () => asZip(zip([...pair("1", "1", "1"), { name: "1.ans", content: text("1") }]))
	},
	{ kind: "JSON: tests not a list", expect: [422], request: () => asJson('{"tests":"x"}') },
	{ kind: "JSON: no test", expect: [422], request: () => asJson('{"tests":[]}') },
	{ kind: "JSON: a key besides tests", expect: [422], request: () => asJson('{"tests":[{"input":"1","output":"1"}],"checker":"x"}') },
	{
		kind: "JSON: __proto__ in a test",
		// Not the JSON API: the service reads the file and refuses the unknown field as a malformed upload.
		expect: [400, 422],
		request: () => asJson('{"tests":[{"input":"1","output":"1","__proto__":{"role":"admin"}}]}')
	},
	{
		kind: "JSON: 10,000 levels of nesting",
		expect: [422],
		request: () => asJson(`{"tests":${"[".repeat(10_000)}${"]".repeat(10_000)}}`)
	},
	{ kind: "JSON: a lone surrogate", expect: [422], request: () => asJson('{"tests":[{"input":"\\ud800","output":"1"}]}') },
	{
		kind: "JSON: 201 tests",
		expect: [413],
		request: () => asJson(JSON.stringify({ tests: Array.from({ length: 201 }, () => ({ input: "1", output: "1" })) }))
	},
	{ kind: "JSON that does not parse", expect: [422], request: () => asJson('{"tests":[{"input":"1",}]}') },
	{
		kind: "Content-Length of 40 MB announced, 10 bytes sent",
		expect: [413],
		request: () => ({ ...asZip(VALID_ZIP.subarray(0, 10)), headers: { "content-length": String(40_000_000) }, raw: true })
	},
	{
		kind: "Content-Length of 5 bytes announced, the whole zip sent",
		// The service refuses 5 bytes (422), unless the server's parser, reading the rest as the next request, answers first (400).
		expect: [400, 422],
		request: () => ({ ...asZip(VALID_ZIP), headers: { "content-length": "5" }, raw: true })
	}
];

/**
 * The upload's cases: every body case, `perRoute` hostile path ids and query strings (as for the
 * documented routes), a valid upload without a token, and the Authorization header cases. The
 * bodies are made here, once, not while the cases are sent: in one process the suite's own work
 * would count as the platform's latency.
 */
export function uploadCases(perRoute: number, seed: number, routeIndex: number): HostileCase[] {
	const route = UPLOAD_ROUTE;
	const valid = asZip(VALID_ZIP);
	const bodies = new Map(BODY_CASES.map(c => [c, c.request()]));
	const cases: HostileCase[] = BODY_CASES.map(c => ({
		route,
		target: "body",
		kind: c.kind,
		anonymous: false,
		proto: false,
		expect: c.expect,
		build: base => ({ path: route.template.replace("{id}", base.path(route, "id")), ...bodies.get(c)! })
	}));
	const pathCount = Math.ceil(perRoute / 2);
	for (const value of fc.sample(urlValue(route.params[0].schema), { seed: seedOf(seed, `${route.key} path.id`), numRuns: pathCount })) {
		cases.push({
			route,
			target: "path.id",
			kind: value.kind,
			anonymous: false,
			proto: value.proto,
			build: () => ({ path: route.template.replace("{id}", value.text), ...valid })
		});
	}
	for (const value of fc.sample(wholeQuery, { seed: seedOf(seed, `${route.key} query`), numRuns: perRoute - pathCount })) {
		cases.push({
			route,
			target: "query",
			kind: value.kind,
			anonymous: false,
			proto: value.proto,
			build: base => ({ path: `${route.template.replace("{id}", base.path(route, "id"))}?${value.text}`, ...valid })
		});
	}
	for (const [kind, request] of [
		["no token, a valid upload", valid],
		["no token, a zip bomb", bodies.get(BODY_CASES.find(c => c.kind.startsWith("zip bomb:"))!)!]
	] as const) {
		cases.push({
			route,
			target: "caller",
			kind,
			anonymous: true,
			proto: false,
			expect: [401],
			build: base => ({ path: route.template.replace("{id}", base.path(route, "id")), ...request })
		});
	}
	for (const hostile of dealHeaders(AUTHORIZATION, routeIndex, HEADER_CASES_PER_ROUTE, seedOf(seed, "authorization"))) {
		cases.push({
			route,
			target: "header.authorization",
			kind: hostile.kind,
			anonymous: false,
			proto: false,
			header: "authorization",
			expect: hostile.expect,
			build: base => ({
				path: route.template.replace("{id}", base.path(route, "id")),
				...valid,
				headers: { authorization: hostile.value(base.credentials(route)) }
			})
		});
	}
	return cases;
}
