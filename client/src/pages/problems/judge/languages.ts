import { get } from "../../../api/http";
import type { Language } from "../types";

let languages: Promise<Language[]> | null = null;

/** The judge's languages, asked once per visit (they change only when the cluster does); asked again after a failure. */
export function loadLanguages(): Promise<Language[]> {
	languages ??= get<Language[]>("/judge/languages").catch(err => {
		languages = null;
		throw err;
	});
	return languages;
}
