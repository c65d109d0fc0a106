import MarkdownIt from "markdown-it";

/** The server's settings (lib/markdown.ts): raw HTML is text, links are found in plain text. */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** A preview of what the server will render (which sanitises again; this never reaches other people). */
export function renderMarkdown(source: string): string {
	return markdown.render(source);
}
