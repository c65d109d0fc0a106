import type { ServiceSchema } from "moleculer";
import type { Config, ServiceName } from "../config";
import { auditService } from "./audit/audit.service";
import { contestsService } from "./contests/contests.service";
import { gatewayService } from "./gateway/gateway.service";
import { groupsService } from "./groups/groups.service";
import { notificationsService } from "./notifications/notifications.service";
import { postsService } from "./posts/posts.service";
import { usersService } from "./users/users.service";

/** Every service of the image, by the name `SERVICES` uses, built from the node's config. */
export const SERVICE_FACTORIES: Record<ServiceName, (c: Config) => ServiceSchema> = {
	gateway: c => gatewayService(c) as unknown as ServiceSchema,
	users: c => usersService(c) as unknown as ServiceSchema,
	groups: c => groupsService(c) as unknown as ServiceSchema,
	posts: c => postsService(c) as unknown as ServiceSchema,
	contests: c => contestsService(c) as unknown as ServiceSchema,
	notifications: c => notificationsService(c) as unknown as ServiceSchema,
	audit: auditService
};
