import type { ContestEventDetails } from "./contests.internals";
import type { FinalPlace } from "./standings";

/** How many rows `top` carries: the podium and the rest of the top ten. */
const TOP = 10;

/**
 * What `contest.ended` carries besides the contest's ids, from the final standings. `standings`
 * leaves out whoever never submitted (Codeforces rates only those who did): they tie at the
 * bottom of the board, so leaving them out changes no one else's rank.
 */
export function endedDetails(rated: boolean, final: FinalPlace[]): ContestEventDetails<"contest.ended"> {
	return {
		participantCount: final.length,
		top: final.slice(0, TOP).map(({ row: { problems: _, ...row } }) => row),
		rated,
		standings: final.filter(p => p.attempts > 0).map(({ row }) => ({ userId: row.userId, rank: row.rank }))
	};
}
