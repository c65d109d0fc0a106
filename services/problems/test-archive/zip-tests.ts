import { inflateEntry } from "./bounded-inflate";
import { naturalCompare } from "./natural-order";
import { TestArchiveRefusal } from "./refusal";
import { type ArchivedTest, inMiB, type TestArchiveLimits } from "./test-archive.types";
import { decodeUtf8 } from "./utf8";
import { readZipDirectory, type ZipEntry } from "./zip-directory";

/**
 * A zip of tests, by these conventions:
 * - a test is `<name>.in` with its answer `<name>.out` or `<name>.ans` (extensions in any case), in any folder;
 * - a test in a folder named `samples` is a sample, and a pretest; one in a folder named `pretests` is a pretest;
 * - samples come first, then the other tests, each in natural order of their names ("2" before "10");
 * - folders, macOS's `__MACOSX/` copies and `.DS_Store`, `Thumbs.db`, `desktop.ini` are ignored; any other
 *   file is refused, as are archives inside, names with `..` or absolute paths, and a name given twice.
 * The limits are checked on the bytes as they inflate, never on the sizes the archive claims.
 */
export function readTestsZip(archive: Uint8Array, limits: TestArchiveLimits): ArchivedTest[] {
	// Each test's two files, with room for macOS's shadow copies and the folders.
	const entries = readZipDirectory(archive, 4 * limits.maxTests + 64);
	const files = entries.map(entry => ({ entry, path: safePath(entry.name) })).filter(file => !isIgnored(file.path));
	const pairs = pairedTests(files);
	if (pairs.length === 0) {
		throw new TestArchiveRefusal("TESTS_EMPTY", "The archive holds no test (a <name>.in with its <name>.out or <name>.ans)");
	}
	if (pairs.length > limits.maxTests) {
		throw new TestArchiveRefusal("TESTS_TOO_MANY", `The archive holds ${pairs.length} tests; at most ${limits.maxTests} are allowed`);
	}
	refuseDeclaredSizes(pairs, limits);
	const inflate = countingInflater(archive.length, limits);
	return pairs.sort(byKindThenName).map(pair => {
		const input = decodeUtf8(refuseNested(pair.input, inflate(pair.input)), pair.input.name);
		const output = decodeUtf8(refuseNested(pair.output, inflate(pair.output)), pair.output.name);
		return { name: pair.name, input, output, sample: pair.sample, pretest: pair.pretest };
	});
}

interface TestPair {
	name: string;
	input: ZipEntry;
	output: ZipEntry;
	sample: boolean;
	pretest: boolean;
}

const IGNORED_FILES = new Set([".DS_Store", "Thumbs.db", "desktop.ini"]);
const INPUT_EXTENSION = "in";
const ANSWER_EXTENSIONS = new Set(["out", "ans"]);
const ARCHIVE_EXTENSIONS = new Set([
	"zip",
	"jar",
	"7z",
	"rar",
	"tar",
	"gz",
	"tgz",
	"bz2",
	"tbz2",
	"xz",
	"txz",
	"zst",
	"lz",
	"lzma",
	"cab",
	"iso"
]);

/** The entry's path with `/` separators; refused when it could climb out of a folder or start from a root. */
function safePath(name: string): string {
	const path = name.replaceAll("\\", "/");
	const segments = path.split("/");
	const absolute = path.startsWith("/") || hasDriveLetter(path) || path.includes("\0");
	if (absolute || segments.includes("..")) {
		throw new TestArchiveRefusal("TESTS_UNSAFE_PATH", `${name}: paths may not be absolute or hold ".."`, name);
	}
	return path;
}

/** "C:" and the like: an absolute path on Windows. */
function hasDriveLetter(path: string): boolean {
	const letter = path.charCodeAt(0) | 0x20;
	return path.charCodeAt(1) === 58 && letter >= 97 && letter <= 122;
}

function isIgnored(path: string): boolean {
	return path.endsWith("/") || path.startsWith("__MACOSX/") || IGNORED_FILES.has(baseName(path));
}

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
const folderName = (path: string) => baseName(path.slice(0, Math.max(0, path.lastIndexOf("/"))));

function pairedTests(files: { entry: ZipEntry; path: string }[]): TestPair[] {
	const byName = new Map<string, { input?: ZipEntry; output?: ZipEntry }>();
	for (const { entry, path } of files) {
		const dot = path.lastIndexOf(".");
		const hasExtension = dot > path.lastIndexOf("/");
		const extension = hasExtension ? path.slice(dot + 1).toLowerCase() : "";
		const name = hasExtension ? path.slice(0, dot) : path;
		if (ARCHIVE_EXTENSIONS.has(extension)) {
			throw new TestArchiveRefusal("TESTS_NESTED_ARCHIVE", `${entry.name} is an archive inside the archive`, entry.name);
		}
		const role = extension === INPUT_EXTENSION ? "input" : ANSWER_EXTENSIONS.has(extension) ? "output" : null;
		if (role === null) {
			throw new TestArchiveRefusal(
				"TESTS_UNEXPECTED_FILE",
				`${entry.name} is neither a test's input (.in) nor its answer (.out, .ans)`,
				entry.name
			);
		}
		const pair = byName.get(name) ?? {};
		if (pair[role]) {
			throw new TestArchiveRefusal(
				"TESTS_DUPLICATE",
				`${entry.name}: test ${name} has two ${role === "input" ? "inputs" : "answers"}`,
				entry.name
			);
		}
		pair[role] = entry;
		byName.set(name, pair);
	}
	return [...byName].map(([name, { input, output }]) => {
		if (!input) throw unpaired(output, "its input (.in)");
		if (!output) throw unpaired(input, "its answer (.out or .ans)");
		const folder = folderName(name);
		return { name, input, output, sample: folder === "samples", pretest: folder === "samples" || folder === "pretests" };
	});
}

const unpaired = (lonely: ZipEntry | undefined, missing: string) =>
	new TestArchiveRefusal("TESTS_UNPAIRED", `${lonely?.name} has no ${missing}`, lonely?.name);

function byKindThenName(a: TestPair, b: TestPair): number {
	return Number(b.sample) - Number(a.sample) || naturalCompare(a.name, b.name);
}

/** Sizes the archive states are not trusted to be small, but a file that says it is too large is refused before inflating. */
function refuseDeclaredSizes(pairs: TestPair[], limits: TestArchiveLimits): void {
	let total = 0;
	for (const entry of pairs.flatMap(pair => [pair.input, pair.output])) {
		if (entry.declaredSize > limits.maxFileBytes) throw tooLarge(entry.name, limits);
		total += entry.declaredSize;
	}
	if (total > limits.maxTotalBytes) throw tooLargeInAll(limits);
}

/** Inflates entries one after the other, counting each file's and all files' bytes, and the ratio to the archive. */
function countingInflater(archiveBytes: number, limits: TestArchiveLimits): (entry: ZipEntry) => Uint8Array {
	let total = 0;
	// Past a small archive's allowance, inflated bytes beyond the ratio are a bomb's.
	const ratioBound = Math.max(limits.ratioCheckedFromBytes, limits.maxCompressionRatio * archiveBytes);
	return entry => {
		const room = Math.min(limits.maxFileBytes, limits.maxTotalBytes - total, ratioBound - total);
		return inflateEntry(entry, room, size => {
			total += size;
			if (size > limits.maxFileBytes) throw tooLarge(entry.name, limits);
			if (total > limits.maxTotalBytes) throw tooLargeInAll(limits);
			if (total > ratioBound) {
				throw new TestArchiveRefusal(
					"TESTS_TOO_COMPRESSED",
					`The archive inflates to more than ${limits.maxCompressionRatio} times its size; store its files uncompressed (zip -0) or upload JSON`,
					entry.name
				);
			}
		});
	};
}

const tooLarge = (file: string, limits: TestArchiveLimits) =>
	new TestArchiveRefusal("TESTS_TOO_LARGE", `${file} is larger than ${inMiB(limits.maxFileBytes)}`, file);
const tooLargeInAll = (limits: TestArchiveLimits) =>
	new TestArchiveRefusal("TESTS_TOO_LARGE", `The tests add up to more than ${inMiB(limits.maxTotalBytes)}`);

/** Magic numbers of archives and compressed files: such content is an archive whatever its name. */
const ARCHIVE_MAGICS: readonly (readonly number[])[] = [
	[0x50, 0x4b, 0x03, 0x04], // zip
	[0x1f, 0x8b], // gzip
	[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
	[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], // rar
	[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
	[0x28, 0xb5, 0x2f, 0xfd] // zstd
];

function refuseNested(entry: ZipEntry, content: Uint8Array): Uint8Array {
	if (ARCHIVE_MAGICS.some(magic => magic.length <= content.length && magic.every((byte, k) => content[k] === byte))) {
		throw new TestArchiveRefusal("TESTS_NESTED_ARCHIVE", `${entry.name} is an archive inside the archive`, entry.name);
	}
	return content;
}
