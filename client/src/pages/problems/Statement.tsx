import { useEffect, useRef } from "preact/hooks";

/** A statement as the API renders it (sanitised markdown), its code blocks coloured once the highlighter has loaded. */
export function Statement({ html }: { html: string }) {
	const ref = useRef<HTMLDivElement>(null);
	useEffect(() => {
		if (!ref.current?.querySelector("pre > code[class*='language-']")) return;
		void import("../../editor/highlight-code").then(m => ref.current && m.highlightCodeBlocks(ref.current));
	}, [html]);
	return <div ref={ref} class="prose statement" dangerouslySetInnerHTML={{ __html: html }} />;
}
