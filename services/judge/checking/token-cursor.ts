/** The separators of tokens and what trimming removes: ASCII whitespace (space, \t, \n, \v, \f, \r), as testlib reads. */
export function isSpace(code: number): boolean {
	return code === 32 || (code >= 9 && code <= 13);
}

const NEWLINE = 10;

/**
 * Walks a text token by token, keeping where each token is (line and place on its line) for messages.
 * It scans characters rather than matching patterns: linear on outputs of several MB, and it slices
 * a token only when asked.
 */
export class TokenCursor {
	/** The current token is `text.slice(start, end)`. */
	start = 0;
	end = 0;
	/** The current token's line (from 1), and its place on that line (from 1). */
	line = 1;
	placeOnLine = 0;
	/** Tokens read so far. */
	count = 0;

	constructor(readonly text: string) {}

	/** Moves to the next token; false at the end of the text. */
	next(): boolean {
		const text = this.text;
		let i = this.end;
		while (i < text.length && isSpace(text.charCodeAt(i))) {
			if (text.charCodeAt(i) === NEWLINE) {
				this.line++;
				this.placeOnLine = 0;
			}
			i++;
		}
		this.start = i;
		if (i === text.length) {
			this.end = i;
			return false;
		}
		while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
		this.end = i;
		this.placeOnLine++;
		this.count++;
		return true;
	}

	token(): string {
		return this.text.slice(this.start, this.end);
	}

	/** Whether the current tokens of both cursors are the same text (compared in place). */
	sameTokenAs(other: TokenCursor): boolean {
		const length = this.end - this.start;
		if (length !== other.end - other.start) return false;
		for (let k = 0; k < length; k++) {
			if (this.text.charCodeAt(this.start + k) !== other.text.charCodeAt(other.start + k)) return false;
		}
		return true;
	}
}
