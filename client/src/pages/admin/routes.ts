import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

/** The admin pages: the audit trail (the layout links it for admins). */
export const adminRoutes: PageRoute[] = [{ path: "/admin/audit", component: lazy(() => import("./AuditPage")) }];
