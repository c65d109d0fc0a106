/** The zygote's channel: frames of one byte of kind, four of length (big-endian), then the payload. */

export interface Frame {
	kind: string;
	payload: Buffer;
}

const HEADER_BYTES = 5;

export function encodeFrame(kind: string, payload: string | Buffer = Buffer.alloc(0)): Buffer {
	const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
	const header = Buffer.alloc(HEADER_BYTES);
	header.write(kind, 0, 1, "latin1");
	header.writeUInt32BE(body.length, 1);
	return Buffer.concat([header, body]);
}

/** Cuts a byte stream into frames; a frame may arrive in any number of chunks. */
export class FrameReader {
	private pending: Buffer = Buffer.alloc(0);

	push(chunk: Buffer): Frame[] {
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		const frames: Frame[] = [];
		while (this.pending.length >= HEADER_BYTES) {
			const size = this.pending.readUInt32BE(1);
			if (this.pending.length < HEADER_BYTES + size) break;
			frames.push({
				kind: this.pending.toString("latin1", 0, 1),
				payload: this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size)
			});
			this.pending = this.pending.subarray(HEADER_BYTES + size);
		}
		return frames;
	}
}

/** Frames in arrival order for one reader at a time; once the channel fails, every wait fails with it. */
export class FrameQueue {
	private readonly frames: Frame[] = [];
	private waiter: { resolve(frame: Frame): void; reject(error: Error): void } | null = null;
	private failure: Error | null = null;

	push(frame: Frame): void {
		if (this.waiter) {
			const { resolve } = this.waiter;
			this.waiter = null;
			resolve(frame);
		} else this.frames.push(frame);
	}

	fail(error: Error): void {
		this.failure ??= error;
		if (this.waiter) {
			const { reject } = this.waiter;
			this.waiter = null;
			reject(this.failure);
		}
	}

	next(): Promise<Frame> {
		const frame = this.frames.shift();
		if (frame) return Promise.resolve(frame);
		if (this.failure) return Promise.reject(this.failure);
		return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
	}
}
