import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

interface FieldProps {
	label: string;
	hint?: string;
	children: (id: string, describedBy?: string) => ComponentChildren;
}

/** A labelled control with an optional hint, tied together for screen readers. */
export function Field({ label, hint, children }: FieldProps) {
	const id = useId();
	const hintId = hint ? `${id}-hint` : undefined;
	return (
		<div class="field">
			<label for={id}>{label}</label>
			{children(id, hintId)}
			{hint && (
				<small id={hintId} class="hint">
					{hint}
				</small>
			)}
		</div>
	);
}
