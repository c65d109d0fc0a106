import { api } from "../../api/http";
import { Field, NumberField } from "../../components/Field";
import { Form } from "../../components/Form";
import { useStoredState, useIntentKey } from "../../hooks";
import { EMPTY_TEST, TestsFieldset } from "../problems/judge/TestsFieldset";
import type { TestDraft } from "../problems/types";
import type { Contest } from "./types";
import { LimitsFields } from "../problems/LimitsFields";

interface Draft {
	kind: "answer" | "code";
	title: string;
	statement: string;
	points: number;
	answer: string;
	caseSensitive: boolean;
	timeLimitMs: number;
	memoryLimitMb: number;
	tests: TestDraft[];
}

const EMPTY: Draft = {
	kind: "answer",
	title: "",
	statement: "",
	points: 1,
	answer: "",
	caseSensitive: false,
	timeLimitMs: 1000,
	memoryLimitMb: 256,
	tests: [{ ...EMPTY_TEST, sample: true }]
};

/** The organiser adds a problem before the start: one judged by its answer, or a program judged on tests. */
export function AddProblemForm({ contest, added }: { contest: Contest; added: () => void }) {
	const [draft, setDraft, forgetDraft] = useStoredState<Draft>(`code-learn:draft:contest-problem:${contest.id}`, EMPTY);
	const intent = useIntentKey();
	const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });

	const add = async () => {
		const common = {
			kind: draft.kind,
			title: draft.title,
			statement: draft.statement,
			...(contest.scoring === "points" ? { points: draft.points } : {})
		};
		const body =
			draft.kind === "answer"
				? { ...common, answer: draft.answer, caseSensitive: draft.caseSensitive }
				: { ...common, timeLimitMs: draft.timeLimitMs, memoryLimitMb: draft.memoryLimitMb, tests: draft.tests };
		await api("POST", `/contests/${contest.id}/problems`, { body, idempotencyKey: intent.keyFor(body) });
		intent.sent();
		setDraft(EMPTY);
		forgetDraft();
		added();
	};

	return (
		<section class="add-problem" aria-labelledby="add-problem">
			<h3 id="add-problem">Add a problem</h3>
			<Form label="Add a problem" submit="Add the problem" onSubmit={add}>
				<fieldset>
					<legend>Judged by</legend>
					<label class="check">
						<input type="radio" name="kind" checked={draft.kind === "answer"} onChange={() => set({ kind: "answer" })} /> its
						answer: a number or a word, compared with yours
					</label>
					<label class="check">
						<input type="radio" name="kind" checked={draft.kind === "code"} onChange={() => set({ kind: "code" })} /> a program,
						run on tests
					</label>
				</fieldset>
				<Field label="Problem title">
					{id => (
						<input
							id={id}
							required
							minLength={3}
							maxLength={200}
							value={draft.title}
							onInput={e => set({ title: e.currentTarget.value })}
						/>
					)}
				</Field>
				<Field label="Statement" hint="Markdown.">
					{(id, hint) => (
						<textarea
							id={id}
							aria-describedby={hint}
							required
							rows={6}
							maxLength={50000}
							value={draft.statement}
							onInput={e => set({ statement: e.currentTarget.value })}
						/>
					)}
				</Field>
				{contest.scoring === "points" && (
					<NumberField label="Points" min={1} max={10000} value={draft.points} onValue={points => set({ points })} />
				)}
				{draft.kind === "answer" ? (
					<>
						<Field label="The answer" hint="Never shown to anyone. Compared trimmed, spaces collapsed.">
							{(id, hint) => (
								<input
									id={id}
									aria-describedby={hint}
									required
									maxLength={1000}
									autocomplete="off"
									value={draft.answer}
									onInput={e => set({ answer: e.currentTarget.value })}
								/>
							)}
						</Field>
						<label class="check">
							<input
								type="checkbox"
								checked={draft.caseSensitive}
								onChange={e => set({ caseSensitive: e.currentTarget.checked })}
							/>{" "}
							Case-sensitive
						</label>
					</>
				) : (
					<>
						<div class="row">
							<LimitsFields limits={draft} onChange={set} />
						</div>
						<TestsFieldset tests={draft.tests} onChange={tests => set({ tests })} />
					</>
				)}
			</Form>
		</section>
	);
}
