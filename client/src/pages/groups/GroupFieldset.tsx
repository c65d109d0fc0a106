import { Field } from "../../components/Field";
import { type GroupFields, JOIN_POLICIES, JOIN_POLICY_LABELS, VISIBILITIES, VISIBILITY_LABELS } from "./types";

/** The fields a group is made of, for creating and for editing it (the limits are the API's). */
export function GroupFieldset({ value, onChange }: { value: GroupFields; onChange: (next: GroupFields) => void }) {
	const set = (changes: Partial<GroupFields>) => onChange({ ...value, ...changes });
	return (
		<>
			<Field label="Name" hint="3 to 80 characters; no two groups share a name.">
				{(id, hint) => (
					<input
						id={id}
						name="name"
						required
						minLength={3}
						maxLength={80}
						aria-describedby={hint}
						value={value.name}
						onInput={e => set({ name: e.currentTarget.value })}
					/>
				)}
			</Field>
			<Field label="Description" hint="What the group is for; up to 2000 characters.">
				{(id, hint) => (
					<textarea
						id={id}
						name="description"
						rows={4}
						maxLength={2000}
						aria-describedby={hint}
						value={value.description}
						onInput={e => set({ description: e.currentTarget.value })}
					/>
				)}
			</Field>
			<fieldset>
				<legend>Who can read it</legend>
				{VISIBILITIES.map(v => (
					<label key={v} class="check">
						<input type="radio" name="visibility" checked={value.visibility === v} onChange={() => set({ visibility: v })} />{" "}
						{VISIBILITY_LABELS[v]}
					</label>
				))}
			</fieldset>
			<fieldset>
				<legend>Who can join</legend>
				{JOIN_POLICIES.map(p => (
					<label key={p} class="check">
						<input type="radio" name="joinPolicy" checked={value.joinPolicy === p} onChange={() => set({ joinPolicy: p })} />{" "}
						{JOIN_POLICY_LABELS[p]}
					</label>
				))}
			</fieldset>
		</>
	);
}
