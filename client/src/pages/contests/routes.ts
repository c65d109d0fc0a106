import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

/** The contests: the list, organising one, a contest's page and its leaderboard. */
export const contestsRoutes: PageRoute[] = [
	{ path: "/contests", component: lazy(() => import("./ContestsPage")) },
	{ path: "/contests/new", component: lazy(() => import("./NewContestPage")) },
	{ path: "/contests/:id", component: lazy(() => import("./ContestPage")) },
	{ path: "/contests/:id/leaderboard", component: lazy(() => import("./LeaderboardPage")) }
];
