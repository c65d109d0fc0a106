import { personNamed } from "../api/people";

/** A person's name linking to their profile (names come from learnNames, called by the page). */
export function PersonLink({ id }: { id: string | null }) {
	const person = personNamed(id);
	if (!id) return <span class="muted">a deleted account</span>;
	if (person === null) return <span class="muted">a hidden or deleted account</span>;
	if (!person) return <span class="muted">…</span>;
	return <a href={`/users/${person.username}`}>{person.displayName}</a>;
}
