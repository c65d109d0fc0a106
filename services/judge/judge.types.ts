import type { Infer } from "../../lib/validation/infer";

/**
 * The languages the judge knows, by id: the one list both the judge (which runs them) and the
 * problems service (which accepts submissions in them) read. What each runs on is in languages.ts.
 */
export const LANGUAGE_IDS = ["javascript", "c", "cpp", "python"] as const;
export type LanguageId = (typeof LANGUAGE_IDS)[number];

export { VERDICTS, type Verdict } from "./checking/verdicts";

/** `GET /judge/languages`: what this cluster's judge runs, and why a language is unavailable on it. */
export const languageViewSchema = {
	$$strict: true,
	id: { type: "enum", values: LANGUAGE_IDS },
	name: { type: "string", max: 100 },
	version: { type: "string", max: 200 },
	available: { type: "boolean" },
	/** Set when unavailable: the sandbox this host lacks. */
	reason: { type: "string", max: 500, optional: true }
} as const;
export type LanguageView = Infer<typeof languageViewSchema>;
export const languagesResponse = { $$root: true, type: "array", items: { type: "object", props: languageViewSchema } } as const;
