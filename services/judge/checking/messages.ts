/** A checker's message is shown beside every failed test: long enough to locate the fault, never a whole output. */
export const MAX_MESSAGE_LENGTH = 200;
/** A token or snippet quoted inside a message. */
const MAX_SHOWN_LENGTH = 40;

/** Cuts a text to `max` characters, ending with "…" when cut, never inside a surrogate pair. */
export function cut(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = max - 1;
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end--;
	return text.slice(0, end) + "…";
}

export const trimMessage = (message: string): string => cut(message, MAX_MESSAGE_LENGTH);

/** A token as a message shows it: cut short when long. */
export const shown = (token: string): string => cut(token, MAX_SHOWN_LENGTH);

/** A snippet of a line as a message shows it: quoted, so spaces and tabs are visible. */
export const quoted = (snippet: string): string => JSON.stringify(cut(snippet, MAX_SHOWN_LENGTH));
