import { useState } from "preact/hooks";
import { Field } from "../../components/Field";
import { type AuditFilters, EVENT_TYPES } from "./audit-types";

/** An ISO instant as a datetime-local input shows it (local time, to the minute), and back. */
const toLocalInput = (iso?: string) => {
	if (!iso) return "";
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return "";
	const pad = (n: number) => String(n).padStart(2, "0");
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

/** The audit trail's filters; applying them puts them in the address (the first page again). */
export function FilterForm({ filters, apply }: { filters: AuditFilters; apply: (next: AuditFilters) => void }) {
	const [draft, setDraft] = useState({
		type: filters.type ?? "",
		aggregateId: filters.aggregateId ?? "",
		actorId: filters.actorId ?? "",
		from: toLocalInput(filters.from),
		to: toLocalInput(filters.to)
	});
	const set = (key: keyof typeof draft) => (e: { currentTarget: HTMLInputElement }) =>
		setDraft({ ...draft, [key]: e.currentTarget.value });
	return (
		<form
			class="audit-filters"
			aria-label="Filter the audit trail"
			onSubmit={event => {
				event.preventDefault();
				apply({
					type: draft.type.trim() || undefined,
					aggregateId: draft.aggregateId.trim() || undefined,
					actorId: draft.actorId.trim() || undefined,
					from: fromLocalInput(draft.from),
					to: fromLocalInput(draft.to)
				});
			}}
		>
			<div class="row">
				<Field label="Event type" hint="For example contest.ended.">
					{(id, hint) => (
						<>
							<input
								id={id}
								name="type"
								list="audit-event-types"
								maxLength={100}
								pattern="[a-z_]+(\.[a-z_]+)+"
								aria-describedby={hint}
								value={draft.type}
								onInput={set("type")}
							/>
							<datalist id="audit-event-types">
								{EVENT_TYPES.map(type => (
									<option key={type} value={type} />
								))}
							</datalist>
						</>
					)}
				</Field>
				<Field label="Subject id" hint="The user, post, group or contest the event is about.">
					{(id, hint) => (
						<input
							id={id}
							name="aggregateId"
							maxLength={100}
							aria-describedby={hint}
							value={draft.aggregateId}
							onInput={set("aggregateId")}
						/>
					)}
				</Field>
				<Field label="Actor id" hint="The user who acted.">
					{(id, hint) => (
						<input
							id={id}
							name="actorId"
							maxLength={36}
							pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
							aria-describedby={hint}
							value={draft.actorId}
							onInput={set("actorId")}
						/>
					)}
				</Field>
			</div>
			<div class="row">
				<Field label="From (your local time)">
					{id => <input id={id} name="from" type="datetime-local" value={draft.from} onInput={set("from")} />}
				</Field>
				<Field label="Until (your local time)">
					{id => <input id={id} name="to" type="datetime-local" value={draft.to} onInput={set("to")} />}
				</Field>
			</div>
			<div class="actions">
				<button type="submit">Apply filters</button>
				<button
					type="button"
					class="link"
					onClick={() => {
						setDraft({ type: "", aggregateId: "", actorId: "", from: "", to: "" });
						apply({});
					}}
				>
					Clear filters
				</button>
			</div>
		</form>
	);
}
