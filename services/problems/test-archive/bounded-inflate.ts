import { crc32 } from "node:zlib";
import { Inflate } from "fflate";
import { TestArchiveError } from "./test-archive.errors";
import { STORED, type ZipEntry } from "./zip-directory";

/**
 * Compressed bytes pushed at a time. Deflate expands at most about 1032:1, so one push yields at most
 * ~4 MiB before `count` sees it: memory passes a limit by that much at worst, whatever the archive claims.
 */
const PUSH_BYTES = 4096;

/**
 * A zip entry's content, inflated as a stream: `count` hears of every piece as it comes and throws to stop
 * (a limit reached). The content must then match the size and CRC-32 the directory stated.
 */
export function inflateEntry(entry: ZipEntry, count: (bytes: number) => void): Uint8Array {
	const content = entry.method === STORED ? storedContent(entry, count) : inflatedContent(entry, count);
	if (content.length !== entry.declaredSize || crc32(content) !== entry.crc32) {
		throw new TestArchiveError("TESTS_INVALID_ARCHIVE", `${entry.name} is corrupt (its size or checksum does not match)`, entry.name);
	}
	return content;
}

function storedContent(entry: ZipEntry, count: (bytes: number) => void): Uint8Array {
	count(entry.data.length);
	return entry.data;
}

function inflatedContent(entry: ZipEntry, count: (bytes: number) => void): Uint8Array {
	const pieces: Uint8Array[] = [];
	let size = 0;
	const inflater = new Inflate(piece => {
		count(piece.length);
		pieces.push(piece);
		size += piece.length;
	});
	const data = entry.data;
	try {
		for (let from = 0; ; from += PUSH_BYTES) {
			const to = Math.min(from + PUSH_BYTES, data.length);
			inflater.push(data.subarray(from, to), to === data.length);
			if (to === data.length) break;
		}
	} catch (error) {
		if (error instanceof TestArchiveError) throw error;
		throw new TestArchiveError("TESTS_INVALID_ARCHIVE", `${entry.name} is corrupt (it does not inflate)`, entry.name);
	}
	return joined(pieces, size);
}

function joined(pieces: Uint8Array[], size: number): Uint8Array {
	if (pieces.length === 1) return pieces[0];
	const whole = new Uint8Array(size);
	let at = 0;
	for (const piece of pieces) {
		whole.set(piece, at);
		at += piece.length;
	}
	return whole;
}
