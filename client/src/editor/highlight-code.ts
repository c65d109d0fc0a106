import { parser as cpp } from "@lezer/cpp";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { parser as javascript } from "@lezer/javascript";
import { parser as python } from "@lezer/python";

/**
 * The editor's own grammars (the parsers under CodeMirror's language packages), colouring code blocks
 * in rendered posts: one set of grammars, without the editor's weight on a page that only reads.
 */
const typescript = javascript.configure({ dialect: "ts" });
const PARSERS = {
	js: javascript,
	javascript,
	ts: typescript,
	typescript,
	py: python,
	python,
	c: cpp,
	cpp,
	"c++": cpp
} as const;

/** Colours every `<pre><code class="language-…">` under root whose language is known (tok-* classes). */
export function highlightCodeBlocks(root: HTMLElement) {
	for (const code of root.querySelectorAll<HTMLElement>("pre > code[class*='language-']")) {
		const language = /language-([\w+#-]+)/.exec(code.className)?.[1]?.toLowerCase() as keyof typeof PARSERS | undefined;
		const parser = language && PARSERS[language];
		if (!parser || code.dataset.highlighted) continue;
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
