/**
 * The program interpreter (PT_INTERP, the dynamic loader) an ELF executable names: the sandbox must reproduce that
 * exact path, symlinks included, or the kernel cannot start python3 at all.
 */
import { open } from "node:fs/promises";

const PT_INTERP = 3;

/** The interpreter path of a 64-bit little-endian ELF image, or null for a static binary or another format. */
export function elfInterpreter(image: Buffer): string | null {
	if (image.length < 64 || image.readUInt32BE(0) !== 0x7f454c46) return null;
	if (image[4] !== 2 || image[5] !== 1) return null;
	const phoff = Number(image.readBigUInt64LE(0x20));
	const phentsize = image.readUInt16LE(0x36);
	const phnum = image.readUInt16LE(0x38);
	for (let i = 0; i < phnum; i++) {
		const at = phoff + i * phentsize;
		if (at + 56 > image.length) return null;
		if (image.readUInt32LE(at) !== PT_INTERP) continue;
		const offset = Number(image.readBigUInt64LE(at + 8));
		const size = Number(image.readBigUInt64LE(at + 32));
		if (offset + size > image.length) return null;
		const text = image.subarray(offset, offset + size).toString("latin1");
		const nul = text.indexOf("\0");
		return nul === -1 ? text : text.slice(0, nul);
	}
	return null;
}

/** Reads the head of an executable (the program headers and the interpreter string sit in its first pages). */
export async function readElfInterpreter(path: string): Promise<string | null> {
	const file = await open(path, "r");
	try {
		const head = Buffer.alloc(16384);
		const { bytesRead } = await file.read(head, 0, head.length, 0);
		return elfInterpreter(head.subarray(0, bytesRead));
	} finally {
		await file.close();
	}
}
