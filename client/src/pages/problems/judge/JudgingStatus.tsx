import { verdictName } from "./verdicts";
import type { Judging } from "./use-judging";
import { TestResults } from "./TestResults";
import "./judge.css";

function Progress({ judging }: { judging: Judging }) {
	const { status, test, of } = judging;
	if (status === "queued") return <p>Submitted: waiting for the judge…</p>;
	if (status === "compiling") return <p>Compiling…</p>;
	if (status === "running")
		return (
			<>
				<p>{test && of ? `Running test ${test} of ${of}…` : "Running…"}</p>
				{!!of && <progress max={of} value={(test ?? 1) - 1} aria-label="Tests passed so far" />}
			</>
		);
	return null;
}

/**
 * A submission's judging as it happens, then its verdict and each test's. The live region is there
 * before the first submission: one that appears with its first message is not always announced.
 */
export function JudgingStatus({ judging, linkToPage = true }: { judging: Judging | null; linkToPage?: boolean }) {
	const done = judging?.status === "done";
	const result = judging?.result;
	return (
		<div class={judging ? "judging" : undefined}>
			<div role="status" aria-live="polite" data-testid="judging">
				{judging && <Progress judging={judging} />}
				{judging?.pretestVerdict && !done && <p>Pretests: {verdictName(judging.pretestVerdict)}</p>}
				{done && (
					<p>
						Verdict: <VerdictBadge verdict={judging.verdict ?? null} />
						{judging.score != null && <> · score {judging.score}</>}
					</p>
				)}
			</div>
			{judging && result && (
				<>
					{result.compileMessage && (
						<>
							<p>The compiler said:</p>
							<pre class="compile-message">{result.compileMessage}</pre>
						</>
					)}
					{result.tests.length > 0 && <TestResults tests={result.tests} />}
					{linkToPage && (
						<p>
							<a href={`/submissions/${judging.id}`}>The submission's page</a>
						</p>
					)}
				</>
			)}
		</div>
	);
}

export function VerdictBadge({ verdict }: { verdict: Judging["verdict"] }) {
	return <strong class={`verdict ${verdict === "AC" ? "ok" : verdict ? "bad" : ""}`}>{verdictName(verdict)}</strong>;
}
