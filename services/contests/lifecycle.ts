import { Op, type ModelStatic, type Transaction } from "sequelize";
import type { Clock } from "../../lib/clock";
import type { CatalogueEvent } from "../../lib/contracts";
import type { GroupsEvents } from "../groups/groups.contract";
import type { UsersEvents } from "../users/users.contract";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { ContestsMethods } from "./contests.internals";
import type { Standings } from "./standings";
import type { TeamStore } from "./team-store";

/** What the event handlers need of the contests service. */
export interface ContestsInternals extends Pick<ContestsMethods, "record"> {
	model: ModelStatic<ContestModel>;
	store: ContestStore;
	teams: TeamStore;
	standings: Standings;
	clock: Clock;
}

/**
 * On `user.deleted`: the user's participations stay counted, anonymised, and leave the leaderboards.
 * They leave their teams too: a team left empty leaves the boards, the others' rows (which name
 * their members) are rendered again.
 */
export async function forgetDeletedUser(
	contests: ContestsInternals,
	event: CatalogueEvent<UsersEvents, "user.deleted">,
	transaction: Transaction
): Promise<void> {
	const { userId } = event.payload;
	const left = await contests.store.anonymise(transaction, userId);
	const teams = await contests.teams.forgetMember(transaction, userId);
	for (const { contestId, teamId } of teams.filter(t => t.emptied)) {
		const contest = await contests.model.findByPk(contestId, { transaction });
		if (contest) await contests.record(transaction, contest, "contest.team_withdrawn", null, { teamId, reason: "emptied" });
	}
	transaction.afterCommit(async () => {
		for (const { contestId } of left) {
			const contest = await contests.model.findByPk(contestId);
			if (contest) await contests.standings.remove(contest, userId);
		}
		for (const { contestId, teamId, emptied } of teams) {
			const contest = await contests.model.findByPk(contestId);
			if (contest) await (emptied ? contests.standings.remove(contest, teamId) : contests.standings.touch(contest, teamId));
		}
	});
}

/**
 * On `group.deleted`: the group's contests that have not started are cancelled, and its teams
 * leave the contests of others that have not started (a team of a group that is gone). Its teams
 * in started contests stay on their boards, and submit no more (`contest.submitForTeam`).
 */
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
	const withdrawn = await contests.teams.withdrawGroup(transaction, event.payload.groupId, contests.clock.now());
	const touched = new Map<string, ContestModel>();
	for (const { contestId, teamId } of withdrawn) {
		const contest = touched.get(contestId) ?? (await contests.model.findByPk(contestId, { transaction }));
		if (!contest) continue;
		touched.set(contestId, contest);
		await contests.record(transaction, contest, "contest.team_withdrawn", null, { teamId, reason: "group_deleted" });
	}
	transaction.afterCommit(async () => {
		for (const { contestId, teamId } of withdrawn) {
			const contest = touched.get(contestId);
			if (contest) await contests.standings.remove(contest, teamId);
		}
	});
}
