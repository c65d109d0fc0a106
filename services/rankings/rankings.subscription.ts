import { type CatalogueEvent, subscription } from "../../lib/contracts";
import type { ContestsEvents } from "../contests/contests.contract";
import type { GroupsEvents } from "../groups/groups.contract";
import type { ProblemsEvents } from "../problems/problems.contract";
import type { UsersEvents } from "../users/users.contract";

type Heard = UsersEvents & GroupsEvents & ContestsEvents & ProblemsEvents;

/** The domain events rankings consumes; its handlers must be exactly these, and the event topology is built from them. */
export const RANKINGS_SUBSCRIPTION = subscription<Heard>()(
	"user.created",
	"user.updated",
	"user.deleted",
	"group.created",
	"group.deleted",
	"group.member.joined",
	"group.member.left",
	"group.member.removed",
	"contest.ended",
	"problem.published",
	"submission.judged"
);

/** One heard event of these types, as its handler gets it. */
export type HeardEvent<K extends keyof Heard & string> = CatalogueEvent<Heard, K>;
