import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Form } from "../../components/Form";
import { EMPTY_TEST, TestsFieldset } from "./judge/TestsFieldset";
import type { Problem, TestDraft } from "./types";

/** What a problem's author does on its page: publish the draft, replace the tests, judge everything again. */
export function AuthorTools({ problem, changed }: { problem: Problem; changed: () => void }) {
	const [tests, setTests] = useState<TestDraft[]>([EMPTY_TEST]);
	const [error, setError] = useState<unknown>();
	const [busy, setBusy] = useState(false);
	const [said, setSaid] = useState("");

	const run = (work: () => Promise<string>) => {
		if (busy) return;
		setBusy(true);
		setError(undefined);
		setSaid("");
		work()
			.then(setSaid, setError)
			.finally(() => setBusy(false));
	};

	return (
		<section class="author-tools" aria-labelledby="author-tools">
			<h2 id="author-tools">Your problem</h2>
			{problem.status === "draft" ? (
				<p>This problem is a draft: only you see it, and only you can submit to it. Try it, then publish it to the archive.</p>
			) : (
				<p>This problem is in the archive.</p>
			)}
			<div class="actions">
				{problem.status === "draft" && (
					<button
						type="button"
						disabled={busy}
						onClick={() =>
							run(async () => {
								await api("POST", `/problems/${problem.id}/publish`);
								changed();
								return "Published: the problem is in the archive.";
							})
						}
					>
						Publish
					</button>
				)}
				<button
					type="button"
					disabled={busy}
					onClick={() =>
						run(async () => {
							const { requeued } = await api<{ requeued: number }>("POST", `/problems/${problem.id}/rejudge`);
							return `${requeued} submission${requeued === 1 ? "" : "s"} will be judged again.`;
						})
					}
				>
					Judge every submission again
				</button>
			</div>
			<p role="status">{said}</p>
			{error !== undefined && <ErrorNotice error={error} />}
			<details>
				<summary>Replace the tests ({problem.testCount} now)</summary>
				<Form
					label="Replace the tests"
					submit="Save the tests"
					onSubmit={async () => {
						await api("PUT", `/problems/${problem.id}/tests`, { body: { tests } });
						changed();
						setSaid("The tests are replaced. Judge the submissions again to apply them.");
					}}
				>
					<TestsFieldset tests={tests} onChange={setTests} />
				</Form>
			</details>
		</section>
	);
}
