import { subscription } from "../../lib/contracts";
import type { GroupsEvents } from "../groups/groups.contract";
import type { ProblemsEvents } from "../problems/problems.contract";
import type { UsersEvents } from "../users/users.contract";

/** The domain events contests consumes; its handlers must be exactly these, and the event topology is built from them. */
export const CONTESTS_SUBSCRIPTION = subscription<UsersEvents & GroupsEvents & ProblemsEvents>()(
	"user.deleted",
	"group.deleted",
	"submission.judged"
);
