import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

export const accountRoutes: PageRoute[] = [
	{ path: "/login", component: lazy(() => import("./SignInPage")) },
	{ path: "/register", component: lazy(() => import("./SignUpPage")) }
];
