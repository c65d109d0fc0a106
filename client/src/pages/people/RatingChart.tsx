import { Time } from "../../components/Time";
import { type Box, labelled, place, ratingAxis } from "./chart-scale";
import type { RatingChange } from "./types";

/** The drawing in SVG units: small enough that its text stays readable when a 360 px screen shrinks it. */
const BOX: Box = { width: 420, height: 240, left: 50, right: 22, top: 30, bottom: 46 };

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** What the chart shows, in one sentence, for those who do not see it. */
function summary(history: RatingChange[]): string {
	const afters = history.map(h => h.after);
	const count = history.length === 1 ? "1 rated contest" : `${history.length} rated contests`;
	return `Rating history: ${count}, from ${history[0].before} to ${afters[afters.length - 1]}; highest ${Math.max(...afters)}, lowest ${Math.min(...afters)}.`;
}

/** The rating drawn as a line over the rated contests in order (the first point is the rating before the first one). */
function Chart({ history }: { history: RatingChange[] }) {
	const values = [history[0].before, ...history.map(h => h.after)];
	const names = ["Start", ...history.map((_, i) => String(i + 1))];
	const axis = ratingAxis(values);
	const points = values.map((value, i) => place(BOX, axis, values.length, i, value));
	const withLabel = labelled(values);
	const bottom = BOX.height - BOX.bottom;
	return (
		<svg class="rating-chart" viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={summary(history)}>
			{axis.ticks.map(tick => {
				const y = place(BOX, axis, 1, 0, tick).y;
				return (
					<g key={tick} class="tick">
						<line class="grid" x1={BOX.left} x2={BOX.width - BOX.right} y1={y} y2={y} />
						<text x={BOX.left - 8} y={y} text-anchor="end" dominant-baseline="middle">
							{tick}
						</text>
					</g>
				);
			})}
			<line class="axis" x1={BOX.left} x2={BOX.left} y1={BOX.top} y2={bottom} />
			<line class="axis" x1={BOX.left} x2={BOX.width - BOX.right} y1={bottom} y2={bottom} />
			<text class="axis-title" x={BOX.left} y={BOX.top - 12} text-anchor="middle">
				Rating
			</text>
			<text class="axis-title" x={(BOX.left + BOX.width - BOX.right) / 2} y={BOX.height - 6} text-anchor="middle">
				Rated contests, in order
			</text>
			<polyline class="line" points={points.map(p => `${p.x},${p.y}`).join(" ")} />
			{points.map((p, i) => (
				<g key={i} class="point">
					<circle cx={p.x} cy={p.y} r={5}>
						<title>
							{i === 0
								? `Before the first rated contest: ${values[0]}`
								: `${history[i - 1].title}: ${values[i]} (${signed(values[i] - values[i - 1])})`}
						</title>
					</circle>
					{withLabel.has(i) && (
						<text class="value" x={p.x} y={p.y - 12} text-anchor="middle">
							{values[i]}
						</text>
					)}
					<text x={p.x} y={bottom + 20} text-anchor="middle">
						{names[i]}
					</text>
				</g>
			))}
		</svg>
	);
}

/** The rating history as a chart, with the same numbers in a table that opens below it. */
export function RatingChart({ history }: { history: RatingChange[] }) {
	if (!history.length) return <p>No rated contest yet: the rating appears after the first one.</p>;
	return (
		<figure class="rating-figure">
			<div class="chart-wrap">
				<Chart history={history} />
			</div>
			<figcaption>
				<details>
					<summary>Rating history as a table</summary>
					<div class="table-wrap">
						<table>
							<thead>
								<tr>
									<th scope="col">#</th>
									<th scope="col">Contest</th>
									<th scope="col">Ended</th>
									<th scope="col">Place</th>
									<th scope="col">Before</th>
									<th scope="col">After</th>
									<th scope="col">Change</th>
								</tr>
							</thead>
							<tbody>
								{history.map((h, i) => (
									<tr key={h.contestId}>
										<td>{i + 1}</td>
										<th scope="row">
											<a href={`/contests/${h.contestId}`}>{h.title}</a>
										</th>
										<td>
											<Time iso={h.at} />
										</td>
										<td>{h.place}</td>
										<td>{h.before}</td>
										<td>{h.after}</td>
										<td>{signed(h.after - h.before)}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</details>
			</figcaption>
		</figure>
	);
}
