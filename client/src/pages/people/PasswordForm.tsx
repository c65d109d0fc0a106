import { useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { api } from "../../api/http";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";

/** Changing the password (PUT /api/users/me/password): every other session ends, this one stays. */
export function PasswordForm() {
	const [current, setCurrent] = useState("");
	const [next, setNext] = useState("");
	const [again, setAgain] = useState("");
	const [done, setDone] = useState(false);
	const mismatch = again !== "" && again !== next;
	const change = async () => {
		setDone(false);
		// Said like the API's own refusals, so the form shows it the same way.
		if (next !== again) throw new ApiError(422, "VALIDATION_ERROR", "The two new passwords differ");
		await api("PUT", "/users/me/password", { body: { currentPassword: current, newPassword: next } });
		setCurrent("");
		setNext("");
		setAgain("");
		setDone(true);
	};
	return (
		<Form label="Change password" submit="Change password" onSubmit={change}>
			<Field label="Current password">
				{id => (
					<input
						id={id}
						name="currentPassword"
						type="password"
						autoComplete="current-password"
						required
						maxLength={128}
						value={current}
						onInput={e => setCurrent(e.currentTarget.value)}
					/>
				)}
			</Field>
			<Field label="New password" hint="At least 8 characters and hard to guess: a few unrelated words work well.">
				{(id, hint) => (
					<input
						id={id}
						name="newPassword"
						type="password"
						autoComplete="new-password"
						required
						minLength={8}
						maxLength={128}
						aria-describedby={hint}
						value={next}
						onInput={e => (setNext(e.currentTarget.value), setDone(false))}
					/>
				)}
			</Field>
			<Field label="New password again" hint={mismatch ? "This differs from the new password above." : undefined}>
				{(id, hint) => (
					<input
						id={id}
						name="newPasswordAgain"
						type="password"
						autoComplete="new-password"
						required
						maxLength={128}
						aria-invalid={mismatch}
						aria-describedby={hint}
						value={again}
						onInput={e => setAgain(e.currentTarget.value)}
					/>
				)}
			</Field>
			<p role="status" class="saved">
				{done ? "Password changed. Your other sessions have been signed out." : ""}
			</p>
		</Form>
	);
}
