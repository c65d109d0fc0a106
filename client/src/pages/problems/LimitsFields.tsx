import { NumberField } from "../../components/Field";

export interface Limits {
	timeLimitMs: number;
	memoryLimitMb: number;
}

/** A code problem's time and memory limits, within the judge's bounds (the API refuses beyond them). */
export function LimitsFields({ limits, onChange }: { limits: Limits; onChange: (changes: Partial<Limits>) => void }) {
	return (
		<>
			<NumberField
				label="Time limit per test (ms)"
				min={100}
				max={10000}
				step={100}
				value={limits.timeLimitMs}
				onValue={timeLimitMs => onChange({ timeLimitMs })}
			/>
			<NumberField
				label="Memory limit (MB)"
				min={16}
				max={512}
				value={limits.memoryLimitMb}
				onValue={memoryLimitMb => onChange({ memoryLimitMb })}
			/>
		</>
	);
}
