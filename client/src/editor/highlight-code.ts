import type { LRParser } from "@lezer/lr";

/**
 * The editor's own grammars (the parsers under CodeMirror's language packages), colouring code blocks
 * in rendered posts: one set of grammars, and only those a post uses are loaded.
 */
const javascript = () => import("@lezer/javascript").then(m => m.parser);
const typescript = () => import("@lezer/javascript").then(m => m.parser.configure({ dialect: "ts" }));
const python = () => import("@lezer/python").then(m => m.parser);
const cpp = () => import("@lezer/cpp").then(m => m.parser);
const GRAMMARS: Record<string, () => Promise<LRParser>> = {
	js: javascript,
	javascript,
	ts: typescript,
	typescript,
	py: python,
	python,
	c: cpp,
	cpp,
	"c++": cpp
};

/** Colours every `<pre><code class="language-…">` under root whose language is known (tok-* classes). */
export async function highlightCodeBlocks(root: HTMLElement) {
	const { classHighlighter, highlightCode } = await import("@lezer/highlight");
	for (const code of root.querySelectorAll<HTMLElement>("pre > code[class*='language-']")) {
		const language = /language-([\w+#-]+)/.exec(code.className)?.[1]?.toLowerCase();
		const grammar = language && Object.hasOwn(GRAMMARS, language) ? GRAMMARS[language] : undefined;
		if (!grammar || code.dataset.highlighted) continue;
		const parser = await grammar();
		const text = code.textContent ?? "";
		const out = document.createDocumentFragment();
		highlightCode(
			text,
			parser.parse(text),
			classHighlighter,
			(piece, classes) => {
				if (!classes) return void out.append(piece);
				const span = document.createElement("span");
				span.className = classes;
				span.textContent = piece;
				out.append(span);
			},
			() => out.append("\n")
		);
		code.replaceChildren(out);
		code.dataset.highlighted = "true";
	}
}
