import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ErrorNotice } from "./ErrorNotice";

interface FormProps {
	label: string;
	submit: string;
	/** Runs on submit; what the person typed stays in the form whatever happens. */
	onSubmit: () => Promise<unknown>;
	children: ComponentChildren;
}

/** A form that shows its submission's error beside it and cannot be sent twice at once. */
export function Form({ label, submit, onSubmit, children }: FormProps) {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<unknown>();
	return (
		<form
			aria-label={label}
			onSubmit={event => {
				event.preventDefault();
				if (busy) return;
				setBusy(true);
				setError(undefined);
				onSubmit()
					.catch(setError)
					.finally(() => setBusy(false));
			}}
		>
			{children}
			{error !== undefined && <ErrorNotice error={error} />}
			<button type="submit" disabled={busy}>
				{busy ? "Please wait…" : submit}
			</button>
		</form>
	);
}
