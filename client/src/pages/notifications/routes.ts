import { lazy } from "preact-iso";
import type { PageRoute } from "../route";

export const notificationsRoutes: PageRoute[] = [{ path: "/notifications", component: lazy(() => import("./NotificationsPage")) }];
