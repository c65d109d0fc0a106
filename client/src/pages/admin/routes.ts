import type { PageRoute } from "../route";

/** The admin pages (none yet). */
export const adminRoutes: PageRoute[] = [];
