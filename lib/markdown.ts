import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

// Raw HTML in markdown is escaped, not passed through; the sanitiser below is the second wall.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** What rendered markdown may contain: text structure, code, links, images and tables. Nothing that runs. */
const ALLOWED: sanitizeHtml.IOptions = {
	allowedTags: [
		"h1",
		"h2",
		"h3",
		"h4",
		"h5",
		"h6",
		"p",
		"br",
		"hr",
		"blockquote",
		"pre",
		"code",
		"em",
		"strong",
		"s",
		"del",
		"ul",
		"ol",
		"li",
		"a",
		"img",
		"table",
		"thead",
		"tbody",
		"tr",
		"th",
		"td"
	],
	allowedAttributes: {
		a: ["href", "title", "rel"],
		img: ["src", "alt", "title"],
		code: ["class"],
		th: ["style"],
		td: ["style"],
		ol: ["start"]
	},
	allowedClasses: { code: [/^language-[\w-]+$/] },
	// Table cell alignment is the only style markdown-it writes.
	allowedStyles: { th: { "text-align": [/^(left|right|center)$/] }, td: { "text-align": [/^(left|right|center)$/] } },
	allowedSchemes: ["http", "https", "mailto"],
	allowedSchemesByTag: { img: ["http", "https"] },
	allowProtocolRelative: false,
	transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer" }) },
	disallowedTagsMode: "discard"
};

export const WORDS_PER_MINUTE = 200;
const EXCERPT_CHARS = 280;
const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'" };

export interface Rendered {
	html: string;
	excerpt: string;
	readingTimeMinutes: number;
}

/** Markdown to safe HTML. */
export function renderMarkdown(source: string): string {
	return sanitizeHtml(markdown.render(source), ALLOWED);
}

/** A post's HTML, plain-text excerpt and reading time. */
export function renderPost(source: string): Rendered {
	const html = renderMarkdown(source);
	// Plain text: tags dropped, entities decoded (clients show it as text, never as HTML).
	const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
		.replace(/&(lt|gt|amp|quot|#39);/g, entity => ENTITIES[entity])
		.replace(/\s+/g, " ")
		.trim();
	const words = text ? text.split(" ").length : 0;
	const excerpt = text.length > EXCERPT_CHARS ? `${withoutLastWord(wholeCharacters(text, EXCERPT_CHARS))}…` : text;
	return { html, excerpt, readingTimeMinutes: Math.max(1, Math.round(words / WORDS_PER_MINUTE)) };
}

/** The text up to its last space (whitespace is already single spaces): no cut word at the end. */
function withoutLastWord(text: string): string {
	const space = text.lastIndexOf(" ");
	return space === -1 ? text : text.slice(0, space);
}

/** The first `length` UTF-16 units, less a lone high surrogate at the end: no half emoji. */
function wholeCharacters(text: string, length: number): string {
	const code = text.charCodeAt(length - 1);
	return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
