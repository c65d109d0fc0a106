import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Form } from "../../components/Form";
import { EMPTY_TEST, TestsFieldset } from "../problems/judge/TestsFieldset";
import type { TestDraft } from "../problems/types";
import type { Contest, ContestProblem, ContestStatus } from "./types";

/**
 * The organiser's hand on a code problem: new tests for the judge's problem (they are its author),
 * then every submission judged again; only changed verdicts move the board.
 */
export function ProblemOrganiserTools({
	contest,
	problem,
	status,
	name
}: {
	contest: Contest;
	problem: ContestProblem;
	status: ContestStatus;
	name: string;
}) {
	const [tests, setTests] = useState<TestDraft[]>([EMPTY_TEST]);
	const [said, setSaid] = useState("");
	const [error, setError] = useState<unknown>();
	const [busy, setBusy] = useState(false);
	if (!problem.code) return null;
	const judgeProblemId = problem.code.problemId;
	const rejudge = () => {
		setBusy(true);
		setError(undefined);
		setSaid("");
		api<{ requeued: number }>("POST", `/contests/${contest.id}/problems/${problem.id}/rejudge`)
			.then(
				({ requeued }) => setSaid(`${requeued} submission${requeued === 1 ? "" : "s"} of ${name} will be judged again.`),
				setError
			)
			.finally(() => setBusy(false));
	};
	return (
		<div class="organiser-tools">
			<details>
				<summary>Replace the tests of {name}</summary>
				<Form
					label={`Replace the tests of ${name}`}
					submit="Save the tests"
					onSubmit={async () => {
						await api("PUT", `/problems/${judgeProblemId}/tests`, { body: { tests } });
						setSaid(`The tests of ${name} are replaced.${status === "upcoming" ? "" : " Judge it again to apply them."}`);
					}}
				>
					<TestsFieldset tests={tests} onChange={setTests} />
				</Form>
			</details>
			{status !== "upcoming" && (
				<button type="button" disabled={busy} onClick={rejudge}>
					Judge {name} again
				</button>
			)}
			<p role="status">{said}</p>
			{error !== undefined && <ErrorNotice error={error} />}
		</div>
	);
}
