import type { ServiceSchema } from "moleculer";
import type { Config, ServiceName } from "../config";
import { auditService } from "./audit/audit.service";
import { contestsService } from "./contests/contests.service";
import { gatewayService } from "./gateway/gateway.service";
import { type RouteTable, routeTable } from "./gateway/routes";
import { groupsService } from "./groups/groups.service";
import { judgeService } from "./judge/judge.service";
import { SERVICE_MANIFESTS } from "./manifests";
import { notificationsService } from "./notifications/notifications.service";
import { postsService } from "./posts/posts.service";
import { problemsService } from "./problems/problems.service";
import { rankingsService } from "./rankings/rankings.service";
import { usersService } from "./users/users.service";

/** Any service schema, whatever its settings, methods and variables: what `broker.createService` takes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the broker's own parameter type
type AnyServiceSchema = ServiceSchema<any, any, any>;

/** Builds a service's schema from the node's config. */
export type ServiceFactory = (c: Config) => AnyServiceSchema;

/**
 * The service registry: the factory of every service of services/manifests.ts, by name (the type
 * asks for one per manifest). The gateway gets the route table built from every factory's schema.
 */
export const SERVICE_FACTORIES: Record<ServiceName, ServiceFactory> = {
	gateway: c => gatewayService(c, apiRoutes(c)),
	users: usersService,
	groups: groupsService,
	posts: postsService,
	contests: contestsService,
	problems: problemsService,
	judge: judgeService,
	rankings: rankingsService,
	notifications: notificationsService,
	audit: auditService
};

/**
 * The API's route table, from the `http` keys on every service's actions (services/gateway/routes.ts),
 * read from the schemas the factories build: a gateway knows every route, wherever the services run.
 */
export function apiRoutes(c: Config): RouteTable {
	// The gateway's own schema with an empty table: its routes are on its actions, like anyone's.
	return routeTable(SERVICE_MANIFESTS.map(m => (m.name === "gateway" ? gatewayService(c, {}) : SERVICE_FACTORIES[m.name](c))));
}
