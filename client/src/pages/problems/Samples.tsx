import type { Sample } from "./types";
import "./judge/judge.css";

/** A problem's sample tests: the input a program is given and what it must print. */
export function Samples({ samples, headingLevel = 2 }: { samples: Sample[]; headingLevel?: 2 | 3 | 4 }) {
	if (!samples.length) return null;
	const Heading = `h${headingLevel}` as "h2";
	const Sub = `h${headingLevel + 1}` as "h3";
	return (
		<section class="sample-tests">
			<Heading>Examples</Heading>
			{samples.map((sample, i) => (
				<div key={i} class="samples">
					<div>
						<Sub>Input {i + 1}</Sub>
						<pre class="sample">{sample.input || " "}</pre>
					</div>
					<div>
						<Sub>Output {i + 1}</Sub>
						<pre class="sample">{sample.output || " "}</pre>
					</div>
				</div>
			))}
		</section>
	);
}
