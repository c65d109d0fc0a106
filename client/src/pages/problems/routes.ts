import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

/** The practice archive and the judge's submissions. */
export const problemsRoutes: PageRoute[] = [
	{ path: "/problems", component: lazy(() => import("./ProblemsPage")) },
	{ path: "/problems/new", component: lazy(() => import("./NewProblemPage")) },
	{ path: "/problems/:id", component: lazy(() => import("./ProblemPage")) },
	{ path: "/submissions/:id", component: lazy(() => import("./SubmissionPage")) }
];
