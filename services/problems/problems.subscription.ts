import { subscription } from "../../lib/contracts";
import type { UsersEvents } from "../users/users.contract";

/** The domain events problems consumes; its handlers must be exactly these, and the event topology is built from them. */
export const PROBLEMS_SUBSCRIPTION = subscription<UsersEvents>()("user.deleted");
