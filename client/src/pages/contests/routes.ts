import type { PageRoute } from "../route";

/** The contests pages (none yet). */
export const contestsRoutes: PageRoute[] = [];
