const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
	["second", 60],
	["minute", 60],
	["hour", 24],
	["day", 30],
	["month", 12],
	["year", Infinity]
];

export function timeAgo(iso: string, now = Date.now()): string {
	let amount = (new Date(iso).getTime() - now) / 1000;
	for (const [unit, size] of STEPS) {
		if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
		amount /= size;
	}
	return iso;
}

/** A date as "3 hours ago", with the exact time for machines and on hover. */
export function Time({ iso }: { iso: string }) {
	return (
		<time dateTime={iso} title={new Date(iso).toLocaleString()}>
			{timeAgo(iso)}
		</time>
	);
}
