/**
 * Just enough of the WebAssembly binary format to read and bound a module's memory: the limits of
 * the memory a program imports (its static data and stack), and the maximum of the memory the
 * compiler itself defines, lowered in place so that clang cannot grow past it.
 */

const MEMORY_KIND = 2;
const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;
const HEADER_BYTES = 8;

export interface MemoryLimits {
	minPages: number;
	maxPages: number | null;
}

class Reader {
	constructor(
		readonly bytes: Uint8Array,
		public at: number
	) {}

	byte(): number {
		if (this.at >= this.bytes.length) throw new RangeError("truncated WebAssembly module");
		return this.bytes[this.at++];
	}

	/** An unsigned LEB128 number; memory sizes fit in a double. */
	uleb(): number {
		let result = 0;
		let scale = 1;
		for (;;) {
			const byte = this.byte();
			result += (byte & 0x7f) * scale;
			if ((byte & 0x80) === 0) return result;
			scale *= 128;
		}
	}

	name(): string {
		const length = this.uleb();
		const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
		this.at += length;
		return text;
	}

	limits(): MemoryLimits {
		const flags = this.byte();
		const minPages = this.uleb();
		const maxPages = flags & 1 ? this.uleb() : null;
		return { minPages, maxPages };
	}
}

function* sections(bytes: Uint8Array): Generator<{ id: number; reader: Reader }> {
	const reader = new Reader(bytes, HEADER_BYTES);
	while (reader.at < bytes.length) {
		const id = reader.byte();
		const size = reader.uleb();
		const start = reader.at;
		yield { id, reader: new Reader(bytes, start) };
		reader.at = start + size;
	}
}

function skipImportDescription(reader: Reader, kind: number): void {
	if (kind === 0) reader.uleb();
	else if (kind === 1) {
		reader.byte();
		reader.limits();
	} else if (kind === 3) {
		reader.byte();
		reader.byte();
	} else if (kind === 4) {
		reader.byte();
		reader.uleb();
	} else throw new RangeError(`unknown import kind ${kind}`);
}

/** The limits of the memory the module imports from `env`, or null when it defines its own. */
export function importedMemoryLimits(bytes: Uint8Array): MemoryLimits | null {
	for (const { id, reader } of sections(bytes)) {
		if (id !== IMPORT_SECTION) continue;
		const count = reader.uleb();
		for (let i = 0; i < count; i++) {
			const module = reader.name();
			const field = reader.name();
			const kind = reader.byte();
			if (kind !== MEMORY_KIND) skipImportDescription(reader, kind);
			else if (module === "env" && field === "memory") return reader.limits();
			else reader.limits();
		}
	}
	return null;
}

/**
 * Lowers the maximum of every memory the module defines to `maxPages`, rewriting the number in the
 * bytes it already takes (a padded LEB128), so no section moves. Returns how many it lowered.
 */
export function capDefinedMemory(bytes: Uint8Array, maxPages: number): number {
	let lowered = 0;
	for (const { id, reader } of sections(bytes)) {
		if (id !== MEMORY_SECTION) continue;
		const count = reader.uleb();
		for (let i = 0; i < count; i++) {
			const flags = reader.byte();
			reader.uleb();
			if ((flags & 1) === 0) continue;
			const start = reader.at;
			const max = reader.uleb();
			const width = reader.at - start;
			if (max <= maxPages || maxPages >= 128 ** width) continue;
			let rest = maxPages;
			for (let b = 0; b < width; b++) {
				bytes[start + b] = (rest & 0x7f) | (b < width - 1 ? 0x80 : 0);
				rest = Math.floor(rest / 128);
			}
			lowered++;
		}
	}
	return lowered;
}
