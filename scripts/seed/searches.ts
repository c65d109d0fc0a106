/**
 * A realistic, deterministic mix of searches over the seeded posts' vocabulary, in the shape
 * posts.list hands to PostQueries: shared by scripts/measure-search.ts and the bench.
 */
import type { ListQuery } from "../../services/posts/post-queries";
import { CATEGORIES, type Category } from "../../services/posts/posts.types";
import { normaliseTags } from "../../services/posts/tags";
import { NOUNS, pick, prng, type Random, TAGS, TECH, TOPICS, VERBS } from "./posts";

const TOPIC_PHRASES = Object.values(TOPICS).flat();
/** Single search words: topics' words, technologies, the body's vocabulary, and a few typos. */
const WORDS = [
	...new Set(
		[
			...TOPIC_PHRASES.flatMap(t => t.split(" ")),
			...TECH,
			...NOUNS.filter(n => !n.includes(" ")),
			...VERBS.map(v => v.split(" ")[0])
		].map(w => w.toLowerCase())
	)
].filter(w => w.length > 2);
const TYPOS = ["kubernets", "postgress", "recusion", "algoritm", "javscript"];
const TAG_SLUGS = normaliseTags(TAGS);

export type SearchForm = "word" | "two words" | "phrase" | "exclusion" | "or";

/** One search as a reader types it, in the shape posts.list hands to PostQueries. */
function searchQuery(random: Random): { form: SearchForm; query: ListQuery } {
	const form = pick<SearchForm>(random, ["word", "word", "two words", "two words", "phrase", "exclusion", "or"]);
	const word = () => (random() < 0.03 ? pick(random, TYPOS) : pick(random, WORDS));
	const q = {
		word: () => word(),
		"two words": () => (random() < 0.5 ? pick(random, TOPIC_PHRASES) : `${word()} ${pick(random, TECH)}`),
		phrase: () => `"${pick(random, TOPIC_PHRASES)}"`,
		exclusion: () => `${word()} -${pick(random, TECH)}`,
		or: () => `${pick(random, TECH)} or ${pick(random, TECH)}`
	}[form]();
	const filter = random();
	return {
		form,
		query: {
			q: q.toLowerCase(),
			...(filter < 0.25 ? { tag: pick(random, TAG_SLUGS) } : filter < 0.45 ? { category: pick<Category>(random, CATEGORIES) } : {}),
			...(random() < 0.25 ? { sort: "popular" as const } : random() < 0.5 ? { sort: "relevance" as const } : {}),
			page: 1,
			pageSize: 20
		}
	};
}

/** `count` distinct searches (deterministic for a seed): the bench cycles through them so the list cache misses. */
export function searchQueries(count: number, seed = 7): { form: SearchForm; query: ListQuery }[] {
	const random = prng(seed);
	const seen = new Map<string, { form: SearchForm; query: ListQuery }>();
	for (let tries = 0; seen.size < count && tries < count * 20; tries++) {
		const s = searchQuery(random);
		seen.set(JSON.stringify(s.query), s);
	}
	return [...seen.values()];
}
