import { useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { api, setTokens } from "../../api/http";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";

/**
 * Deleting the account (DELETE /api/users/me), behind a second step where the person types their
 * username: the deletion cannot be undone, and the session ends with it.
 */
export function DeleteAccount({ username, onDeleted }: { username: string; onDeleted: () => void }) {
	const [confirming, setConfirming] = useState(false);
	const [typed, setTyped] = useState("");
	const remove = async () => {
		if (typed.trim() !== username) throw new ApiError(422, "VALIDATION_ERROR", "Type your username exactly to confirm");
		await api("DELETE", "/users/me");
		onDeleted();
		setTokens(null);
	};
	if (!confirming)
		return (
			<button type="button" class="danger" onClick={() => setConfirming(true)}>
				Delete my account…
			</button>
		);
	return (
		<div class="danger-zone">
			<p>
				<strong>This cannot be undone.</strong> Your account ends now; your posts, comments, memberships and standings are deleted
				or anonymised.
			</p>
			<Form label="Confirm the deletion" submit="Delete my account permanently" onSubmit={remove}>
				<Field label={`Type your username (${username}) to confirm`}>
					{id => (
						<input
							id={id}
							name="confirmUsername"
							autoComplete="off"
							required
							value={typed}
							onInput={e => setTyped(e.currentTarget.value)}
						/>
					)}
				</Field>
			</Form>
			<button type="button" class="link" onClick={() => (setConfirming(false), setTyped(""))}>
				Keep my account
			</button>
		</div>
	);
}
