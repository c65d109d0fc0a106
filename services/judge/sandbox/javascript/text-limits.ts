/** How much of a compile error or of standard error is kept: enough to read, never a flood. */
export const TEXT_KEEP_BYTES = 4096;

/** The longest prefix of `text` that is at most `maxBytes` of UTF-8, cut at a character boundary. */
export function cutUtf8(text: string, maxBytes: number): string {
	const bytes = Buffer.from(text, "utf8");
	if (bytes.length <= maxBytes) return text;
	let end = Math.max(0, maxBytes);
	// Step back over continuation bytes (10xxxxxx) so no character is split.
	while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
	return bytes.subarray(0, end).toString("utf8");
}
