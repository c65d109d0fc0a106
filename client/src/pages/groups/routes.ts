import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

/** The groups pages; /groups/new before /groups/:id, which would otherwise take it. */
export const groupsRoutes: PageRoute[] = [
	{ path: "/groups", component: lazy(() => import("./GroupsPage")) },
	{ path: "/groups/new", component: lazy(() => import("./NewGroupPage")) },
	{ path: "/groups/:id", component: lazy(() => import("./GroupPage")) }
];
