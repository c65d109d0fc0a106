import { signal } from "@preact/signals";
import { get } from "./http";

export interface PersonName {
	id: string;
	username: string;
	displayName: string;
}

/**
 * Names already asked for, by id: a page asks only for those not seen yet (one call per batch).
 * null: the API did not name them (a deleted account, or a private profile).
 */
const known = signal<ReadonlyMap<string, PersonName | null>>(new Map());
const asked = new Set<string>();

/** The person's name; null when they are hidden or gone; undefined while it is being asked for. */
export function personNamed(id: string | null | undefined): PersonName | null | undefined {
	return id ? known.value.get(id) : undefined;
}

/** Loads the names of these people, in batches of 100 (the API's limit). */
export async function learnNames(ids: (string | null | undefined)[]) {
	const missing = [...new Set(ids.filter((id): id is string => !!id && !asked.has(id)))];
	for (let i = 0; i < missing.length; i += 100) {
		const batch = missing.slice(i, i + 100);
		batch.forEach(id => asked.add(id));
		try {
			const { rows } = await get<{ rows: PersonName[] }>("/people", { ids: batch.join(",") });
			const next = new Map(known.value);
			for (const id of batch) next.set(id, null);
			for (const person of rows) next.set(person.id, person);
			known.value = next;
		} catch {
			batch.forEach(id => asked.delete(id)); // asked again by the next page that needs them
		}
	}
}
