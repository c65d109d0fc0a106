/** The arithmetic of the rating chart, apart from its drawing: where each point goes and which values the axis names. */

export interface Box {
	width: number;
	height: number;
	left: number;
	right: number;
	top: number;
	bottom: number;
}

/** Tick steps a person reads easily; the first that gives at most five ticks is used. */
const STEPS = [25, 50, 100, 200, 250, 500, 1000, 2000];

/** The y axis: from a round number below the lowest value to one above the highest, and the ticks between. */
export function ratingAxis(values: number[]): { min: number; max: number; ticks: number[] } {
	const low = Math.min(...values);
	const high = Math.max(...values);
	const step = STEPS.find(s => Math.ceil((high + 1) / s) - Math.floor((low - 1) / s) <= 5) ?? STEPS[STEPS.length - 1];
	const min = Math.floor((low - 1) / step) * step;
	const max = Math.ceil((high + 1) / step) * step;
	const ticks: number[] = [];
	for (let tick = min; tick <= max; tick += step) ticks.push(tick);
	return { min, max, ticks };
}

/** Maps point `index` of `count` and a rating onto the drawing box (y grows downwards in SVG). */
export function place(box: Box, axis: { min: number; max: number }, count: number, index: number, value: number) {
	const plotWidth = box.width - box.left - box.right;
	const plotHeight = box.height - box.top - box.bottom;
	const x = count <= 1 ? box.left + plotWidth / 2 : box.left + (index * plotWidth) / (count - 1);
	const y = box.top + plotHeight - ((value - axis.min) / (axis.max - axis.min)) * plotHeight;
	return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
}

/** Which points carry their value as a label: all of them while they fit, else the first, the last, the highest and the lowest. */
export function labelled(values: number[], fits = 12): Set<number> {
	if (values.length <= fits) return new Set(values.keys());
	const highest = values.indexOf(Math.max(...values));
	const lowest = values.indexOf(Math.min(...values));
	return new Set([0, values.length - 1, highest, lowest]);
}
