const isDigit = (code: number) => code >= 48 && code <= 57;
const ZERO = 48;

/**
 * Orders names as people count: runs of digits by their value ("2" before "10", leading zeros aside),
 * other characters by code unit. Names equal that way ("01" and "1") fall back to plain order, so the
 * order is total and a sort is stable across runs.
 */
export function naturalCompare(a: string, b: string): number {
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
			const runA = digitRun(a, i);
			const runB = digitRun(b, j);
			const byValue = compareDigits(a, runA, b, runB);
			if (byValue !== 0) return byValue;
			i = runA.end;
			j = runB.end;
			continue;
		}
		if (a.charCodeAt(i) !== b.charCodeAt(j)) return a.charCodeAt(i) - b.charCodeAt(j);
		i++;
		j++;
	}
	if (i < a.length || j < b.length) return a.length - i - (b.length - j);
	return a < b ? -1 : a > b ? 1 : 0;
}

/** A run of digits from `start`: where its value's digits begin (past leading zeros, keeping one) and where it ends. */
function digitRun(text: string, start: number): { significant: number; end: number } {
	let end = start;
	while (end < text.length && isDigit(text.charCodeAt(end))) end++;
	let significant = start;
	while (significant < end - 1 && text.charCodeAt(significant) === ZERO) significant++;
	return { significant, end };
}

/** Compares two runs' values without parsing them: the longer one is larger, else the first differing digit decides. */
function compareDigits(
	a: string,
	runA: { significant: number; end: number },
	b: string,
	runB: { significant: number; end: number }
): number {
	const lengthA = runA.end - runA.significant;
	const lengthB = runB.end - runB.significant;
	if (lengthA !== lengthB) return lengthA - lengthB;
	for (let k = 0; k < lengthA; k++) {
		const difference = a.charCodeAt(runA.significant + k) - b.charCodeAt(runB.significant + k);
		if (difference !== 0) return difference;
	}
	return 0;
}
