/** Bounded keepers of a run's output: stdout up to its limit, and stderr's head and tail (a traceback's origin and its error). */

export class StdoutKeeper {
	private readonly chunks: Buffer[] = [];
	private kept = 0;
	/** Every byte the program wrote, kept or not. */
	total = 0;

	constructor(private readonly limit: number) {}

	/** Adds a chunk; false once the program has written more than the limit. */
	push(chunk: Buffer): boolean {
		this.total += chunk.length;
		const room = this.limit - this.kept;
		if (room > 0) {
			const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
			this.chunks.push(part);
			this.kept += part.length;
		}
		return this.total <= this.limit;
	}

	text(): string {
		return Buffer.concat(this.chunks).toString("utf8");
	}
}

export const STDERR_HEAD_BYTES = 1024;
export const STDERR_TAIL_BYTES = 3072;
const ELISION = "\n[...]\n";

export class StderrKeeper {
	private head = Buffer.alloc(0);
	private tail = Buffer.alloc(0);
	private dropped = false;

	push(chunk: Buffer): void {
		if (this.head.length < STDERR_HEAD_BYTES) {
			const room = STDERR_HEAD_BYTES - this.head.length;
			this.head = Buffer.concat([this.head, chunk.subarray(0, room)]);
			chunk = chunk.subarray(room);
		}
		if (chunk.length === 0) return;
		const joined = Buffer.concat([this.tail, chunk]);
		if (joined.length > STDERR_TAIL_BYTES) this.dropped = true;
		this.tail = joined.subarray(Math.max(0, joined.length - STDERR_TAIL_BYTES));
	}

	text(): string {
		return this.head.toString("utf8") + (this.dropped ? ELISION : "") + this.tail.toString("utf8");
	}
}

/** Text cut to at most `bytes` UTF-8 bytes, keeping its end (where Python puts the error). */
export function trimToBytes(text: string, bytes: number): string {
	const buffer = Buffer.from(text, "utf8");
	if (buffer.length <= bytes) return text;
	return "[...]\n" + buffer.subarray(buffer.length - bytes + 6).toString("utf8");
}
