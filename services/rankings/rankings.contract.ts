/**
 * The rankings service's contract: what other services may call. Other services import this file,
 * never the service's other files. It produces no domain events. The parameter and response types
 * are derived from the actions' schemas (rankings.types.ts, docs/schemas.md).
 */
import type { ActionSpec } from "../../lib/contracts";
import type { GroupLeaderboardParams, Leaderboard, LeaderboardParams, RatingParams, RatingView } from "./rankings.types";

export type { BoardKind, Leaderboard, LeaderboardRow, RatingView } from "./rankings.types";

export interface RankingsActions {
	"rankings.leaderboard": ActionSpec<LeaderboardParams, Leaderboard>;
	"rankings.groupLeaderboard": ActionSpec<GroupLeaderboardParams, Leaderboard>;
	"rankings.rating": ActionSpec<RatingParams, RatingView>;
}
