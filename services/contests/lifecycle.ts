import { Op, type ModelStatic, type Transaction } from "sequelize";
import type { Clock } from "../../lib/clock";
import type { CatalogueEvent } from "../../lib/contracts";
import type { GroupsEvents } from "../groups/groups.contract";
import type { UsersEvents } from "../users/users.contract";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { ContestsMethods } from "./contests.internals";
import type { Standings } from "./standings";

/** What the event handlers need of the contests service. */
export interface ContestsInternals extends Pick<ContestsMethods, "record"> {
	model: ModelStatic<ContestModel>;
	store: ContestStore;
	standings: Standings;
	clock: Clock;
}

/** On `user.deleted`: the user's participations stay counted, anonymised, and leave the leaderboards. */
export async function forgetDeletedUser(
	contests: ContestsInternals,
	event: CatalogueEvent<UsersEvents, "user.deleted">,
	transaction: Transaction
): Promise<void> {
	const { userId } = event.payload;
	const left = await contests.store.anonymise(transaction, userId);
	transaction.afterCommit(async () => {
		for (const { contestId } of left) {
			const contest = await contests.model.findByPk(contestId);
			if (contest) await contests.standings.remove(contest, userId);
		}
	});
}

/** On `group.deleted`: the group's contests that have not started are cancelled. */
export async function forgetDeletedGroup(
	contests: ContestsInternals,
	event: CatalogueEvent<GroupsEvents, "group.deleted">,
	transaction: Transaction
): Promise<void> {
	const upcoming = await contests.model.findAll({
		where: { groupId: event.payload.groupId, cancelledAt: null, startsAt: { [Op.gt]: contests.clock.now() } },
		lock: transaction.LOCK.UPDATE,
		transaction
	});
	for (const contest of upcoming) {
		await contest.update({ cancelledAt: contests.clock.now() }, { transaction });
		await contests.record(transaction, contest, "contest.deleted", null, { reason: "group_deleted" });
	}
}
