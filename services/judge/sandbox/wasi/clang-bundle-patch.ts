/**
 * @yowasp/clang's in-memory files grow by copying the whole file on every write, so writing an
 * object file is quadratic in its size: a 64 MiB static array took five minutes to compile. This
 * rewrites that one method of the (pinned) bundle to grow its buffer by doubling, and to refuse to
 * grow a file past MAX_FILE_BYTES (clang then reports an I/O error instead of exhausting the host).
 */

export const MAX_FILE_BYTES = 512 * 1024 * 1024;

const SLOW_WRITE = `  write(contents) {
    const offset = Number(this.offset);
    const newData = new Uint8Array(Math.max(this.file.data.length, offset + contents.length));
    newData.set(this.file.data);
    newData.subarray(offset).set(contents);
    this.file.data = newData;
    this.offset += BigInt(contents.length);
  }`;

// Only buffers this method allocated are written in place: an input file may share its caller's buffer.
const FAST_WRITE = `  write(contents) {
    const offset = Number(this.offset);
    const length = Math.max(this.file.data.length, offset + contents.length);
    if (length > ${MAX_FILE_BYTES}) throw { tag: "closed" };
    let data = this.file.data;
    if (!judgeGrownBuffers.has(data.buffer) || data.byteOffset !== 0 || data.buffer.byteLength < length) {
      const buffer = new ArrayBuffer(Math.min(${MAX_FILE_BYTES}, Math.max(length, 2 * data.length, 65536)));
      judgeGrownBuffers.add(buffer);
      new Uint8Array(buffer).set(data);
      data = new Uint8Array(buffer);
    }
    const file = new Uint8Array(data.buffer, 0, length);
    file.set(contents, offset);
    this.file.data = file;
    this.offset += BigInt(contents.length);
  }`;

const WRITE_STREAM = "var WriteStream = class extends OutputStream {";

/**
 * The bundle's source with linear-time writes, its relative URLs (of the .wasm and .tar files it
 * loads) made absolute so that it can be loaded from a data: URL; null when the bundle differs.
 */
export function patchClangBundle(source: string, bundleUrl: string): string | null {
	if (!source.includes(SLOW_WRITE) || !source.includes(WRITE_STREAM)) return null;
	return source
		.replace(SLOW_WRITE, FAST_WRITE)
		.replace(WRITE_STREAM, `var judgeGrownBuffers = new WeakSet();\n${WRITE_STREAM}`)
		.replaceAll("import.meta.url", JSON.stringify(bundleUrl));
}
