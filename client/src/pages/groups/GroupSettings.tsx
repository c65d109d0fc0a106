import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Form } from "../../components/Form";
import { GroupFieldset } from "./GroupFieldset";
import { canAdminister } from "./permissions";
import type { Group, GroupFields } from "./types";
import { useAction } from "./use-action";

/** Editing the group's details (owners and admins) and deleting it (owners). */
export function GroupSettings({ group, onChange }: { group: Group; onChange: () => void }) {
	const { route } = useLocation();
	const [fields, setFields] = useState<GroupFields>({
		name: group.name,
		description: group.description,
		visibility: group.visibility,
		joinPolicy: group.joinPolicy
	});
	const [saved, setSaved] = useState(false);
	const removal = useAction();
	const save = async () => {
		setSaved(false);
		await api<Group>("PATCH", `/groups/${group.id}`, { body: fields });
		setSaved(true);
		onChange();
	};
	return (
		<section aria-labelledby="settings-heading" class="settings">
			<h2 id="settings-heading">Group settings</h2>
			<details>
				<summary>Edit the group's details</summary>
				<Form label="Edit the group" submit="Save changes" onSubmit={save}>
					<GroupFieldset value={fields} onChange={next => (setSaved(false), setFields(next))} />
					<p role="status" class="ok">
						{saved && "Saved."}
					</p>
				</Form>
			</details>
			{canAdminister(group.myRole) && (
				<div class="danger-zone">
					<button
						type="button"
						class="danger"
						disabled={removal.busy}
						onClick={() =>
							confirm(`Delete ${group.name}? Its members lose it and this cannot be undone.`) &&
							removal.run(() => api("DELETE", `/groups/${group.id}`).then(() => route("/groups")))
						}
					>
						Delete the group
					</button>
					{removal.error !== undefined && <ErrorNotice error={removal.error} />}
				</div>
			)}
		</section>
	);
}
