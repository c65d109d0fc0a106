import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

/** Profiles, the account's settings, and the leaderboards (the groups pages link to a group's). */
export const peopleRoutes: PageRoute[] = [
	{ path: "/users/:username", component: lazy(() => import("./ProfilePage")) },
	{ path: "/settings", component: lazy(() => import("./SettingsPage")) },
	{ path: "/leaderboard", component: lazy(() => import("./LeaderboardPage")) },
	{ path: "/groups/:id/leaderboard", component: lazy(() => import("./GroupLeaderboardPage")) }
];
