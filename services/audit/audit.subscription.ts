import { subscription } from "../../lib/contracts";
import type { ContestsEvents } from "../contests/contests.contract";
import type { GroupsEvents } from "../groups/groups.contract";
import type { PostsEvents } from "../posts/posts.contract";
import type { UsersEvents } from "../users/users.contract";

/** Audit stores every domain event; the event topology is built from this. */
export const AUDIT_SUBSCRIPTION = subscription<UsersEvents & GroupsEvents & PostsEvents & ContestsEvents>()("#");
