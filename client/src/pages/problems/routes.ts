import type { PageRoute } from "../route";

/** The problems pages (none yet). */
export const problemsRoutes: PageRoute[] = [];
