import { TestArchiveRefusal } from "./refusal";

/** One file of a zip, as its central directory lists it. */
export interface ZipEntry {
	/** Its path inside the archive, as written (UTF-8; tools writing another code page only garble names). */
	name: string;
	/** 0: stored, 8: deflated. */
	method: number;
	/** The CRC-32 of its content, as the directory states it. */
	crc32: number;
	/** Its size inflated, as the directory states it: a claim to check, never a bound to rely on. */
	declaredSize: number;
	/** Its compressed bytes, a view into the archive. */
	data: Uint8Array;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_RECORD = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY_BYTES = 22;
const DIRECTORY_RECORD_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_MARK_16 = 0xffff;
const ZIP64_MARK_32 = 0xffffffff;
const FLAG_ENCRYPTED = 1;
export const STORED = 0;
export const DEFLATED = 8;

const invalid = (message: string, file?: string) => new TestArchiveRefusal("TESTS_INVALID_ARCHIVE", message, file);
const names = new TextDecoder();

/**
 * Reads a zip's central directory, the archive's own list of its files, and finds each file's bytes through
 * its local header. Every offset and length is checked against the archive; files whose bytes overlap (a
 * crafted archive that inflates the same data many times) are refused, as are multi-part, ZIP64 and
 * encrypted archives and any compression but store and deflate. Sizes are read, not trusted: the caller
 * counts bytes as it inflates them.
 */
export function readZipDirectory(archive: Uint8Array, maxEntries: number): ZipEntry[] {
	const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
	const u16 = (at: number) => view.getUint16(at, true);
	const u32 = (at: number) => view.getUint32(at, true);
	const end = findEndOfDirectory(archive, view);
	const count = u16(end + 10);
	const directorySize = u32(end + 12);
	const directoryStart = u32(end + 16);
	if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== count) throw invalid("Multi-part zip archives are not supported");
	if (count === ZIP64_MARK_16 || directorySize === ZIP64_MARK_32 || directoryStart === ZIP64_MARK_32) {
		throw invalid("ZIP64 archives are not supported: tests fit in an ordinary zip");
	}
	if (count > maxEntries) {
		throw new TestArchiveRefusal("TESTS_TOO_MANY", `The archive holds ${count} files; at most ${maxEntries} are allowed`);
	}
	const directoryEnd = directoryStart + directorySize;
	if (directoryEnd > end) throw invalid("The zip's central directory lies outside the archive");

	const entries: ZipEntry[] = [];
	const spans: { start: number; end: number; name: string }[] = [];
	let at = directoryStart;
	for (let k = 0; k < count; k++) {
		if (at + DIRECTORY_RECORD_BYTES > directoryEnd || u32(at) !== DIRECTORY_RECORD) {
			throw invalid("The zip's central directory is corrupt");
		}
		const flags = u16(at + 8);
		const method = u16(at + 10);
		const crc32 = u32(at + 16);
		const compressedSize = u32(at + 20);
		const declaredSize = u32(at + 24);
		const nameBytes = u16(at + 28);
		const recordEnd = at + DIRECTORY_RECORD_BYTES + nameBytes + u16(at + 30) + u16(at + 32);
		const localHeader = u32(at + 42);
		if (recordEnd > directoryEnd) throw invalid("The zip's central directory is corrupt");
		const name = names.decode(archive.subarray(at + DIRECTORY_RECORD_BYTES, at + DIRECTORY_RECORD_BYTES + nameBytes));
		if (compressedSize === ZIP64_MARK_32 || declaredSize === ZIP64_MARK_32 || localHeader === ZIP64_MARK_32) {
			throw invalid("ZIP64 archives are not supported: tests fit in an ordinary zip", name);
		}
		if (flags & FLAG_ENCRYPTED) throw invalid(`${name} is encrypted`, name);
		if (method !== STORED && method !== DEFLATED) {
			throw invalid(`${name} uses compression method ${method}; only store and deflate are supported`, name);
		}
		if (localHeader + LOCAL_HEADER_BYTES > directoryStart || u32(localHeader) !== LOCAL_HEADER) {
			throw invalid(`${name}'s local header is missing`, name);
		}
		const dataStart = localHeader + LOCAL_HEADER_BYTES + u16(localHeader + 26) + u16(localHeader + 28);
		const dataEnd = dataStart + compressedSize;
		if (dataEnd > directoryStart) throw invalid(`${name}'s data lies outside the archive`, name);
		entries.push({ name, method, crc32, declaredSize, data: archive.subarray(dataStart, dataEnd) });
		spans.push({ start: localHeader, end: dataEnd, name });
		at = recordEnd;
	}
	refuseOverlaps(spans);
	return entries;
}

/** The end-of-central-directory record: the last signature whose comment ends exactly at the archive's end. */
function findEndOfDirectory(archive: Uint8Array, view: DataView): number {
	const lowest = Math.max(0, archive.length - END_OF_DIRECTORY_BYTES - MAX_COMMENT_BYTES);
	for (let at = archive.length - END_OF_DIRECTORY_BYTES; at >= lowest; at--) {
		if (
			view.getUint32(at, true) === END_OF_DIRECTORY &&
			at + END_OF_DIRECTORY_BYTES + view.getUint16(at + 20, true) === archive.length
		) {
			return at;
		}
	}
	throw invalid("Not a zip archive (no central directory)");
}

function refuseOverlaps(spans: { start: number; end: number; name: string }[]): void {
	spans.sort((a, b) => a.start - b.start);
	for (let k = 1; k < spans.length; k++) {
		if (spans[k].start < spans[k - 1].end) {
			throw invalid(`${spans[k].name} overlaps ${spans[k - 1].name}: a crafted archive`, spans[k].name);
		}
	}
}
