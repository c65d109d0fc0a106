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

interface NumberFieldProps {
	label: string;
	value: number;
	onValue: (value: number) => void;
	min: number;
	max: number;
	step?: number;
}

/** A labelled, required whole number within the bounds the API also holds it to. */
export function NumberField({ label, value, onValue, min, max, step }: NumberFieldProps) {
	return (
		<Field label={label}>
			{id => (
				<input
					id={id}
					type="number"
					min={min}
					max={max}
					step={step}
					required
					value={value}
					onInput={e => onValue(e.currentTarget.valueAsNumber)}
				/>
			)}
		</Field>
	);
}
