import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { me } from "../../api/session";
import type { Me } from "../../api/types";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";

/** Editing one's own display name and bio (PATCH /api/users/me); the header shows the new name at once. */
export function ProfileEditor({ user, onDone }: { user: Me; onDone?: () => void }) {
	const [displayName, setDisplayName] = useState(user.displayName);
	const [bio, setBio] = useState(user.bio);
	const [saved, setSaved] = useState(false);
	const save = async () => {
		setSaved(false);
		me.value = await api<Me>("PATCH", "/users/me", { body: { displayName: displayName.trim(), bio } });
		setSaved(true);
		onDone?.();
	};
	return (
		<Form label="Edit your profile" submit="Save profile" onSubmit={save}>
			<Field label="Display name">
				{id => (
					<input
						id={id}
						name="displayName"
						autoComplete="name"
						required
						maxLength={80}
						value={displayName}
						onInput={e => setDisplayName(e.currentTarget.value)}
					/>
				)}
			</Field>
			<Field label="Bio" hint="Up to 1,000 characters, shown on your profile.">
				{(id, hint) => (
					<textarea
						id={id}
						name="bio"
						rows={4}
						maxLength={1000}
						aria-describedby={hint}
						value={bio}
						onInput={e => setBio(e.currentTarget.value)}
					/>
				)}
			</Field>
			<p role="status" class="saved">
				{saved ? "Profile saved." : ""}
			</p>
		</Form>
	);
}
