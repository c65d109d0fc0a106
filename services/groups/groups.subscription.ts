import { subscription } from "../../lib/contracts";
import type { UsersEvents } from "../users/users.contract";

/** The domain events groups consumes; its handlers must be exactly these, and the event topology is built from them. */
export const GROUPS_SUBSCRIPTION = subscription<UsersEvents>()("user.deleted");
