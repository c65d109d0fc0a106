import { type CatalogueEvent, subscription } from "../../lib/contracts";
import type { ContestsEvents } from "../contests/contests.contract";
import type { GroupsEvents } from "../groups/groups.contract";
import type { PostsEvents } from "../posts/posts.contract";
import type { UsersEvents } from "../users/users.contract";

/** Notifications hears every domain event (its rules pick those that notify anyone); the event topology is built from this. */
export const NOTIFICATIONS_SUBSCRIPTION = subscription<UsersEvents & GroupsEvents & PostsEvents & ContestsEvents>()("#");

/** Any domain event, as notifications hears it (discriminated by `type`). */
export type HeardEvent = CatalogueEvent<UsersEvents & GroupsEvents & PostsEvents & ContestsEvents>;
