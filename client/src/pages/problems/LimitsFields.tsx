import { Field } from "../../components/Field";

export interface Limits {
	timeLimitMs: number;
	memoryLimitMb: number;
}

/** A code problem's time and memory limits, within the judge's bounds (the API refuses beyond them). */
export function LimitsFields({ limits, onChange }: { limits: Limits; onChange: (changes: Partial<Limits>) => void }) {
	return (
		<>
			<Field label="Time limit per test (ms)">
				{id => (
					<input
						id={id}
						type="number"
						min={100}
						max={10000}
						step={100}
						required
						value={limits.timeLimitMs}
						onInput={e => onChange({ timeLimitMs: e.currentTarget.valueAsNumber })}
					/>
				)}
			</Field>
			<Field label="Memory limit (MB)">
				{id => (
					<input
						id={id}
						type="number"
						min={16}
						max={512}
						required
						value={limits.memoryLimitMb}
						onInput={e => onChange({ memoryLimitMb: e.currentTarget.valueAsNumber })}
					/>
				)}
			</Field>
		</>
	);
}
