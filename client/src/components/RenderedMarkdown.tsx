import { useEffect, useRef } from "preact/hooks";

/**
 * Markdown as the API rendered and sanitised it (a post, a statement), its code blocks coloured
 * once the highlighter has loaded: it loads only when there is code to colour.
 */
export function RenderedMarkdown({ html, class: className = "prose" }: { html: string; class?: string }) {
	const ref = useRef<HTMLDivElement>(null);
	useEffect(() => {
		if (!ref.current?.querySelector("pre > code[class*='language-']")) return;
		void import("../editor/highlight-code").then(m => ref.current && m.highlightCodeBlocks(ref.current));
	}, [html]);
	return <div ref={ref} class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
