import { useLocation } from "preact-iso";
import { useEffect, useMemo } from "preact/hooks";
import { api } from "../../api/http";
import { me } from "../../api/session";
import { Loading } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { useStoredState, useTitle } from "../../hooks";
import { EMPTY_TEST, TestsFieldset } from "./judge/TestsFieldset";
import { CHECKERS, DIFFICULTIES, type CheckerKind, type Difficulty, type Problem, type TestDraft } from "./types";
import "./problems.css";
import { LimitsFields } from "./LimitsFields";

interface Draft {
	title: string;
	statement: string;
	difficulty: Difficulty;
	tags: string;
	timeLimitMs: number;
	memoryLimitMb: number;
	checker: Exclude<CheckerKind, "custom">;
	tests: TestDraft[];
}

const EMPTY: Draft = {
	title: "",
	statement: "",
	difficulty: "medium",
	tags: "",
	timeLimitMs: 1000,
	memoryLimitMb: 256,
	checker: "tokens",
	tests: [{ ...EMPTY_TEST, sample: true }]
};

const CHECKER_NAMES: Record<Draft["checker"], string> = {
	tokens: "the same words and numbers, whatever the spacing",
	exact: "exactly the same text",
	floats: "numbers within 1e-6",
	"lines-unordered": "the same lines in any order"
};

/** Writing a practice problem: statement, limits and tests. It starts as a draft its author tries, then publishes. */
export default function NewProblemPage() {
	const { route } = useLocation();
	useTitle("Write a problem");
	const [draft, setDraft, forgetDraft] = useStoredState<Draft>("code-learn:draft:problem", EMPTY);
	// One key per problem being written: a retry after a lost answer does not create it twice.
	const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
	const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
	useEffect(() => {
		if (me.value === null) route(`/login?next=${encodeURIComponent("/problems/new")}`, true);
	}, [me.value]);
	if (!me.value) return <Loading />;

	const save = async () => {
		const { tags, checker, ...fields } = draft;
		const created = await api<Problem>("POST", "/problems", {
			body: {
				...fields,
				checker: { kind: checker },
				tags: tags
					.split(",")
					.map(t => t.trim())
					.filter(Boolean)
			},
			idempotencyKey
		});
		forgetDraft();
		route(`/problems/${created.id}`);
	};

	return (
		<section>
			<h1>Write a problem</h1>
			<p>It starts as a draft that only you see: try it with a solution, then publish it to the archive.</p>
			<Form label="Write a problem" submit="Create the draft" onSubmit={save}>
				<Field label="Title">
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
				<Field label="Statement" hint="Markdown: what to read from standard input and what to print.">
					{(id, hint) => (
						<textarea
							id={id}
							aria-describedby={hint}
							required
							rows={10}
							maxLength={50000}
							value={draft.statement}
							onInput={e => set({ statement: e.currentTarget.value })}
						/>
					)}
				</Field>
				<div class="row">
					<Field label="Difficulty">
						{id => (
							<select
								id={id}
								value={draft.difficulty}
								onChange={e => set({ difficulty: e.currentTarget.value as Difficulty })}
							>
								{DIFFICULTIES.map(d => (
									<option key={d} value={d}>
										{d}
									</option>
								))}
							</select>
						)}
					</Field>
					<Field label="Tags" hint="Up to 5, separated by commas.">
						{(id, hint) => (
							<input id={id} aria-describedby={hint} value={draft.tags} onInput={e => set({ tags: e.currentTarget.value })} />
						)}
					</Field>
				</div>
				<div class="row">
					<LimitsFields limits={draft} onChange={set} />
					<Field label="An output is right when it has">
						{id => (
							<select
								id={id}
								value={draft.checker}
								onChange={e => set({ checker: e.currentTarget.value as Draft["checker"] })}
							>
								{CHECKERS.map(c => (
									<option key={c} value={c}>
										{CHECKER_NAMES[c]}
									</option>
								))}
							</select>
						)}
					</Field>
				</div>
				<TestsFieldset tests={draft.tests} onChange={tests => set({ tests })} />
				<p class="hint">Your draft is kept in this browser until you create it.</p>
			</Form>
		</section>
	);
}
