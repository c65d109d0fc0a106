import { useEffect, useState } from "preact/hooks";

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A moment of a contest's schedule, as a date and time in the reader's zone. */
export function When({ iso }: { iso: string }) {
	return <time dateTime={iso}>{DATE.format(new Date(iso))}</time>;
}

function formatLeft(ms: number): string {
	const s = Math.max(0, Math.ceil(ms / 1000));
	const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
	if (d) return `${d} d ${h} h`;
	if (h) return `${h} h ${m} min`;
	if (m) return `${m} min ${s % 60} s`;
	return `${s} s`;
}

/** Time left until a moment, ticking: each second in the last hour, each minute before. Not a live region (it would talk every second). */
export function Countdown({ to }: { to: string }) {
	const [now, setNow] = useState(Date.now());
	const left = Date.parse(to) - now;
	useEffect(() => {
		if (left <= 0) return;
		const timer = setTimeout(() => setNow(Date.now()), left < 3_600_000 ? 1000 : 60_000);
		return () => clearTimeout(timer);
	}, [now, to]);
	return <span role="timer">{formatLeft(left)}</span>;
}
