import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

export const postsRoutes: PageRoute[] = [
	{ path: "/", component: lazy(() => import("./FeedPage")) },
	{ path: "/posts/:slug", component: lazy(() => import("./PostPage")) },
	{ path: "/write", component: lazy(() => import("./WritePage")) },
	{ path: "/posts/:slug/edit", component: lazy(() => import("./WritePage")) }
];
