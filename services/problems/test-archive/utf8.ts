import { TestArchiveRefusal } from "./refusal";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A test file's text: its bytes must be UTF-8 (a leading byte-order mark is dropped). */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
	try {
		return strictUtf8.decode(bytes);
	} catch {
		throw new TestArchiveRefusal("TESTS_NOT_UTF8", `${file} is not UTF-8 text`, file);
	}
}
