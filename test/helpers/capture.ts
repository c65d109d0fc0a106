import { Writable } from "node:stream";

/** A stream that keeps what is written to it, as text: what a logger or a banner printed. */
export function capture() {
	let text = "";
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			text += chunk.toString("utf8");
			done();
		}
	});
	return { stream, text: () => text };
}
