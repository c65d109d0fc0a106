import { subscription } from "../../lib/contracts";
import type { ContestsEvents } from "../contests/contests.contract";
import type { UsersEvents } from "../users/users.contract";

/** The domain events problems consumes; its handlers must be exactly these, and the event topology is built from them. */
export const PROBLEMS_SUBSCRIPTION = subscription<UsersEvents & ContestsEvents>()("user.deleted", "contest.archived");
