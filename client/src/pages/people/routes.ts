import type { PageRoute } from "../route";

/** The people pages (none yet). */
export const peopleRoutes: PageRoute[] = [];
