import type { Readable, Stream } from "node:stream";
import { TestArchiveError } from "./test-archive/test-archive.errors";

/**
 * An upload's bytes, at most `maxBytes` of them: past that the stream is dropped and the upload
 * refused, whatever its Content-Length claimed (the gateway refuses a larger claim before it streams).
 */
export async function readUpload(body: Stream | null, maxBytes: number): Promise<Uint8Array> {
	const stream = body as Readable | null;
	if (!stream) throw new TestArchiveError("TESTS_EMPTY", "Send the tests as the request body");
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += (chunk as Buffer).length;
		if (size > maxBytes) {
			stream.destroy();
			throw new TestArchiveError("TESTS_TOO_LARGE", `An upload of tests holds at most ${Math.round(maxBytes / 1024 / 1024)} MiB`);
		}
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks, size);
}
