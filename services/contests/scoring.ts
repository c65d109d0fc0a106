import { type ProblemResult, type Scoring, type Verdict, WRONG_TRY_PENALTY_MIN } from "./contests.types";

export interface Attempt {
	problemId: string;
	verdict: Verdict;
	submittedAt: Date;
}

export interface Standing {
	solved: number;
	penalty: number;
	points: number;
	/** Seconds from the start to the last first-accepted answer (points' tie-break). */
	lastSolvedS: number;
	problems: Record<string, ProblemResult>;
}

/**
 * One participant's standing, recomputed from their whole submission history (oldest first):
 * only the first accepted answer of a problem counts, and only wrong tries before it.
 */
export function standingOf(attempts: Attempt[], startsAt: Date, pointsByProblem: Map<string, number>): Standing {
	const problems: Record<string, ProblemResult> = {};
	const standing: Standing = { solved: 0, penalty: 0, points: 0, lastSolvedS: 0, problems };
	for (const a of attempts) {
		const result = (problems[a.problemId] ??= { solved: false, wrongTries: 0, solvedAtMinute: null });
		if (result.solved) continue;
		if (a.verdict === "wrong") {
			result.wrongTries++;
			continue;
		}
		const elapsedS = Math.max(0, Math.floor((a.submittedAt.getTime() - startsAt.getTime()) / 1000));
		result.solved = true;
		result.solvedAtMinute = Math.floor(elapsedS / 60);
		standing.solved++;
		standing.penalty += result.solvedAtMinute + WRONG_TRY_PENALTY_MIN * result.wrongTries;
		standing.points += pointsByProblem.get(a.problemId) ?? 0;
		standing.lastSolvedS = Math.max(standing.lastSolvedS, elapsedS);
	}
	return standing;
}

/**
 * Problems per contest at most: 50 × 10,000 points keeps a points score (points × 1e10 + time)
 * inside a double's exact range (below 900,719 points two solves a second apart would tie).
 */
export const MAX_PROBLEMS = 50;

/** Room for each tie-break below the main key, inside a double's 53 exact bits. */
const ICPC_PENALTY_ROOM = 1e9;
const POINTS_TIME_ROOM = 1e10;

/**
 * The standing as one sorted-set score, higher ranks first: the main key (solved, or points)
 * times a room that the inverted tie-break (penalty, or time of the last solve) stays under.
 * Equal scores are equal ranks.
 */
export function scoreOf(scoring: Scoring, s: Standing): number {
	return scoring === "icpc"
		? s.solved * ICPC_PENALTY_ROOM + (ICPC_PENALTY_ROOM - 1 - s.penalty)
		: s.points * POINTS_TIME_ROOM + (s.solved ? POINTS_TIME_ROOM - 1 - s.lastSolvedS : 0);
}
