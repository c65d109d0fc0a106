/** The words of a search, for marking them in results (quotes and operators dropped). */
export function searchTerms(query: string | undefined): string[] {
	return (query ?? "")
		.toLowerCase()
		.split(/[^\p{L}\p{N}_+#-]+/u)
		.filter(word => word.length > 1 && word !== "or" && word !== "and" && word !== "not");
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Text with every word that starts with a search term marked. */
export function Highlight({ text, terms }: { text: string; terms: string[] }) {
	if (!terms.length) return <>{text}</>;
	const pattern = new RegExp(`(${terms.map(escape).join("|")})`, "giu");
	const parts = text.split(pattern);
	return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
}
