import type { PageRoute } from "../route";

/** The groups pages (none yet). */
export const groupsRoutes: PageRoute[] = [];
