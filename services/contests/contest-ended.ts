import type { ContestEventDetails } from "./contests.internals";
import type { FinalPlace } from "./standings";

/** How many rows `top` carries: the podium and the rest of the top ten. */
const TOP = 10;

/**
 * What `contest.ended` carries besides the contest's ids, from the final standings. `standings`
 * leaves out whoever never submitted (Codeforces rates only those who did): they tie at the
 * bottom of the board, so leaving them out changes no one else's rank. In a team contest
 * (`members`: each team's, by team id) a team's place is each of its members', with `teamId`:
 * everyone's contest history shows it, and the payload stays a list of people.
 */
export function endedDetails(
	rated: boolean,
	final: FinalPlace[],
	members: Map<string, string[]> | null = null
): ContestEventDetails<"contest.ended"> {
	const people = (competitorId: string) =>
		members ? (members.get(competitorId) ?? []).map(userId => ({ userId, teamId: competitorId })) : [{ userId: competitorId }];
	return {
		participantCount: final.length,
		top: final
			.slice(0, TOP)
			.flatMap(({ competitorId, attempts: _, ...score }) => people(competitorId).map(who => ({ ...who, ...score }))),
		rated,
		standings: final.filter(p => p.attempts > 0).flatMap(p => people(p.competitorId).map(who => ({ ...who, rank: p.rank })))
	};
}
