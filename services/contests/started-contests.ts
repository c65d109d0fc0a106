import type { ContestModel } from "./contests.model";

/** Started this long ago at least: an edit that passed its "not started yet" check has committed, on any replica's clock. */
const SETTLED_MS = 60_000;
/** Kept this long (real time) all the same: a row fixed by hand in the database is seen again soon. */
const TTL_MS = 10_000;
const MAX_CONTESTS = 1000;

/**
 * Contests that started a while ago, by id, for the leaderboard's reads (which then need no SQL
 * at all). From its start on, nothing a reader sees of a contest changes: the schedule, the
 * problems and the contest itself can be edited, deleted or cancelled only before the start.
 * (Only `archivedAt` is set later, after the end; the leaderboard does not read it.)
 */
export class StartedContests {
	private readonly contests = new Map<string, { contest: ContestModel; until: number }>();

	get(id: string): ContestModel | undefined {
		const kept = this.contests.get(id);
		if (kept && kept.until > Date.now()) return kept.contest;
		this.contests.delete(id);
		return undefined;
	}

	/** Keeps the contest if it started long enough ago by `now` (the service's clock). */
	remember(contest: ContestModel, now: Date): void {
		if (contest.cancelledAt || now.getTime() - contest.startsAt.getTime() < SETTLED_MS || this.contests.has(contest.id)) return;
		this.contests.set(contest.id, { contest, until: Date.now() + TTL_MS });
		for (const [oldest] of this.contests) {
			if (this.contests.size <= MAX_CONTESTS) break;
			this.contests.delete(oldest);
		}
	}
}
