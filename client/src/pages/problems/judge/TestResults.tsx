import type { TestResult } from "../types";
import { verdictName } from "./verdicts";

/** Each test's verdict, time and memory; a sample test also shows its input and both outputs. */
export function TestResults({ tests }: { tests: TestResult[] }) {
	return (
		<div class="table-wrap">
			<table class="tests">
				<caption>Tests</caption>
				<thead>
					<tr>
						<th scope="col">Test</th>
						<th scope="col">Verdict</th>
						<th scope="col">Time</th>
						<th scope="col">Memory</th>
						<th scope="col">Details</th>
					</tr>
				</thead>
				<tbody>
					{tests.map((test, i) => (
						<tr key={i}>
							<th scope="row">{i + 1}</th>
							<td class={test.verdict === "AC" ? "ok" : "bad"}>{verdictName(test.verdict)}</td>
							<td>{test.timeMs} ms</td>
							<td>{Math.round(test.memoryKb / 102.4) / 10} MB</td>
							<td>
								{test.input !== undefined ? (
									<details>
										<summary>Sample test {i + 1}</summary>
										<SampleOutput label="Input" text={test.input} />
										<SampleOutput label="Expected" text={test.expected} />
										<SampleOutput label="Your output" text={test.actual} />
										{test.message && <p>{test.message}</p>}
									</details>
								) : (
									<span class="muted">hidden test</span>
								)}
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

function SampleOutput({ label, text }: { label: string; text: string | undefined }) {
	if (text === undefined) return null;
	return (
		<>
			<p class="sample-label">{label}</p>
			<pre class="sample">{text || " "}</pre>
		</>
	);
}
