import slugify from "slugify";

/** Lowercase slugs, duplicates merged, empties dropped: "Web Dev" and "web-dev" are one tag. */
export function normaliseTags(tags: string[]): string[] {
	return [...new Set(tags.map(tag => slugify(tag, { lower: true, strict: true })).filter(Boolean))];
}

/** A URL slug for a title; the service appends a suffix when it is taken. */
export function slugOf(title: string): string {
	const slug = slugify(title, { lower: true, strict: true }).slice(0, 200);
	let end = slug.length;
	while (end > 0 && slug[end - 1] === "-") end--; // trailing dashes, without a backtracking pattern
	return slug.slice(0, end) || "post";
}
