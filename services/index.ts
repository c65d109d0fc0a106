import type { ServiceSchema } from "moleculer";
import type { ServiceName } from "../config";
import GatewayService from "./gateway/gateway.service";
import UsersService from "./users/users.service";

/** Every service of the image, by the name `SERVICES` uses. */
export const SERVICE_SCHEMAS: Record<ServiceName, ServiceSchema> = {
	gateway: GatewayService as unknown as ServiceSchema,
	users: UsersService as unknown as ServiceSchema
};
