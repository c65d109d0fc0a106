import type { Verdict } from "./contests.types";

/** Submissions of a user on a problem: one per gap, and a doubling cooldown after wrong answers in a row. */
export const SUBMIT_GAP_MS = 5000;
export const MAX_COOLDOWN_MS = 5 * 60_000;

/** How long the user must wait before the next answer, given their latest verdicts (newest first). */
export function cooldownMs(latest: Verdict[]): number {
	const wrongInARow = latest.findIndex(v => v !== "wrong");
	const streak = wrongInARow === -1 ? latest.length : wrongInARow;
	return streak <= 1 ? SUBMIT_GAP_MS : Math.min(SUBMIT_GAP_MS * 2 ** (streak - 1), MAX_COOLDOWN_MS);
}
