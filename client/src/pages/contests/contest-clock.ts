import { useEffect, useState } from "preact/hooks";
import type { Contest, ContestStatus } from "./types";

/** The status by this browser's clock (the server's is the truth; a page reloads what it shows at each change). */
export function statusAt(contest: Pick<Contest, "startsAt" | "endsAt">, now = Date.now()): ContestStatus {
	if (now < Date.parse(contest.startsAt)) return "upcoming";
	return now < Date.parse(contest.endsAt) ? "running" : "ended";
}

/** Longest wait a timer takes (about 24.8 days); a later change is awaited in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The contest's status, moving on by itself at the start and at the end; `changed` runs then, so the
 * page reads again what the new status shows (the problems at the start, the final board at the end).
 * A little after the moment, so that the server's clock agrees.
 */
export function useContestStatus(contest: Contest | undefined, changed?: () => void): ContestStatus | undefined {
	const [tick, setTick] = useState(0);
	const status = contest && statusAt(contest);
	useEffect(() => {
		if (!contest || status === "ended") return;
		const next = Date.parse(status === "upcoming" ? contest.startsAt : contest.endsAt);
		const timer = setTimeout(
			() => {
				setTick(t => t + 1);
				if (Date.now() >= next) changed?.();
			},
			Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now()) + 500)
		);
		return () => clearTimeout(timer);
	}, [contest?.startsAt, contest?.endsAt, status, tick]);
	return status;
}
