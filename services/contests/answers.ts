import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Answers are judged by comparing keyed hashes of their normalised forms: the database, the
 * cache and every response hold only the hash, and without the key a leaked hash cannot be
 * checked against guesses offline. The key is derived from JWT_SECRET (rotating that secret
 * makes existing problems unjudgeable: re-enter their answers).
 */
export class AnswerKey {
	private readonly key: Buffer;

	constructor(secret: string) {
		this.key = Buffer.from(hkdfSync("sha256", secret, "codelearn", "contest-answers", 32));
	}

	hash(answer: string, caseSensitive: boolean): string {
		return createHmac("sha256", this.key).update(normaliseAnswer(answer, caseSensitive)).digest("hex");
	}

	matches(answer: string, caseSensitive: boolean, expectedHash: string): boolean {
		return timingSafeEqual(Buffer.from(this.hash(answer, caseSensitive), "hex"), Buffer.from(expectedHash, "hex"));
	}
}

/** Trimmed, inner whitespace collapsed to one space, lower case unless the problem says otherwise. */
export function normaliseAnswer(answer: string, caseSensitive: boolean): string {
	const collapsed = answer.normalize("NFC").trim().replace(/\s+/g, " ");
	return caseSensitive ? collapsed : collapsed.toLowerCase();
}
