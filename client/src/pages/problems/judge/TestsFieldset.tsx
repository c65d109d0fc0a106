import { Field } from "../../../components/Field";
import type { TestDraft } from "../types";
import "./judge.css";

export const EMPTY_TEST: TestDraft = { input: "", output: "", sample: false };

/** The tests an author writes: input and expected output, samples shown with the statement, the others hidden. */
export function TestsFieldset({ tests, onChange }: { tests: TestDraft[]; onChange: (tests: TestDraft[]) => void }) {
	const change = (i: number, changes: Partial<TestDraft>) => onChange(tests.map((t, j) => (j === i ? { ...t, ...changes } : t)));
	return (
		<fieldset>
			<legend>Tests</legend>
			<p class="hint">Samples are shown with the statement; the other tests stay hidden. Up to 200.</p>
			{tests.map((test, i) => (
				<div key={i} class="test-draft" role="group" aria-label={`Test ${i + 1}`}>
					<div class="row">
						<Field label={`Test ${i + 1}: input`}>
							{id => (
								<textarea id={id} rows={3} value={test.input} onInput={e => change(i, { input: e.currentTarget.value })} />
							)}
						</Field>
						<Field label={`Test ${i + 1}: expected output`}>
							{id => (
								<textarea
									id={id}
									rows={3}
									required
									value={test.output}
									onInput={e => change(i, { output: e.currentTarget.value })}
								/>
							)}
						</Field>
					</div>
					<label class="check">
						<input type="checkbox" checked={test.sample} onChange={e => change(i, { sample: e.currentTarget.checked })} /> a
						sample, shown with the statement
					</label>
					{tests.length > 1 && (
						<button type="button" class="link danger" onClick={() => onChange(tests.filter((_, j) => j !== i))}>
							Remove test {i + 1}
						</button>
					)}
				</div>
			))}
			{tests.length < 200 && (
				<button type="button" onClick={() => onChange([...tests, EMPTY_TEST])}>
					Add a test
				</button>
			)}
		</fieldset>
	);
}
