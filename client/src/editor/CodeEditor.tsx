import { basicSetup, EditorView } from "codemirror";
import { syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { classHighlighter } from "@lezer/highlight";
import { useEffect, useRef } from "preact/hooks";

export type EditorLanguage = "markdown" | "javascript" | "python" | "c" | "cpp";

/** Each language's support loads when an editor first needs it: a page pays for its own language only. */
const LANGUAGES: Record<EditorLanguage, () => Promise<Extension>> = {
	markdown: () => import("@codemirror/lang-markdown").then(m => [m.markdown(), EditorView.lineWrapping]),
	javascript: () => import("@codemirror/lang-javascript").then(m => m.javascript()),
	python: () => import("@codemirror/lang-python").then(m => m.python()),
	c: () => import("@codemirror/lang-cpp").then(m => m.cpp()),
	cpp: () => import("@codemirror/lang-cpp").then(m => m.cpp())
};

interface CodeEditorProps {
	label: string;
	/** The text it starts with. The editor owns its text from then on (render it with a new key to start over). */
	initialValue: string;
	language: EditorLanguage;
	onChange: (value: string) => void;
	/** Characters the editor accepts (the API's limit). */
	maxLength?: number;
}

/**
 * CodeMirror 6 for markdown and code. Tab moves focus out of the editor (CodeMirror's default),
 * so keyboard users are never trapped; the editable area carries the label. It lives in a shadow
 * root: there CodeMirror's styles are constructed stylesheets, which the CSP allows, where in the
 * document it would add a <style> element, which the CSP refuses (no inline style).
 */
/** Sized for writing, in the page's colours (custom properties reach into the shadow root). */
const theme = EditorView.theme({
	"&": { minHeight: "16rem", maxHeight: "70vh", backgroundColor: "var(--bg)", color: "var(--fg)" },
	"&.cm-focused": { outline: "3px solid var(--accent)" },
	".cm-scroller": { overflow: "auto", fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace' },
	".cm-gutters": { backgroundColor: "var(--soft)", color: "var(--muted)", borderRight: "1px solid var(--line)" },
	".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "color-mix(in srgb, var(--accent) 8%, transparent)" },
	".cm-cursor": { borderLeftColor: "var(--fg)" },
	// The same tok-* classes and palette as code in posts: CodeMirror's default colours fail contrast.
	".tok-keyword, .tok-operatorKeyword": { color: "var(--tok-keyword)" },
	".tok-string, .tok-string2": { color: "var(--tok-string)" },
	".tok-number, .tok-bool, .tok-atom": { color: "var(--tok-number)" },
	".tok-comment": { color: "var(--muted)", fontStyle: "italic" },
	".tok-variableName.tok-definition, .tok-propertyName.tok-definition": { color: "var(--tok-definition)" },
	".tok-typeName, .tok-className": { color: "var(--tok-type)" },
	".tok-invalid": { color: "var(--danger)" },
	".tok-heading": { fontWeight: "bold" },
	".tok-emphasis": { fontStyle: "italic" },
	".tok-strong": { fontWeight: "bold" },
	".tok-link, .tok-url": { color: "var(--accent)", textDecoration: "underline" }
});

export default function CodeEditor({ label, initialValue, language, onChange, maxLength }: CodeEditorProps) {
	const host = useRef<HTMLDivElement>(null);
	const changed = useRef(onChange);
	changed.current = onChange;

	useEffect(() => {
		const languageSupport = new Compartment();
		const root = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: "open" });
		const editor = new EditorView({
			root,
			parent: root,
			state: EditorState.create({
				doc: initialValue,
				extensions: [
					basicSetup,
					syntaxHighlighting(classHighlighter),
					theme,
					languageSupport.of([]),
					EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true" }),
					maxLength ? EditorState.changeFilter.of(tr => tr.newDoc.length <= maxLength) : [],
					EditorView.updateListener.of(update => update.docChanged && changed.current(update.state.doc.toString()))
				]
			})
		});
		let destroyed = false;
		void LANGUAGES[language]().then(support => !destroyed && editor.dispatch({ effects: languageSupport.reconfigure(support) }));
		return () => {
			destroyed = true;
			editor.destroy();
		};
		// Uncontrolled: pushing the parent's copy back in would race the keystrokes still arriving.
	}, [language, label]);

	return <div ref={host} class="code-editor" />;
}
