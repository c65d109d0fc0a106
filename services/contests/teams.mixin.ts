import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Transaction } from "sequelize";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize, type Facts, type GroupStanding } from "../../lib/authorization";
import { isContractError } from "../../lib/contracts";
import { fieldError, ForbiddenError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { pageOf } from "../../lib/page";
import { call } from "../contracts";
import { GROUPS_ERRORS } from "../groups/groups.contract";
import {
	AlreadyInTeamError,
	ContestEndedError,
	ContestStartedError,
	GroupNotFoundError,
	NotTeamContestError,
	RegistrationsExistError,
	TeamNameTakenError,
	TeamNotFoundError,
	TeamsTooLargeError
} from "./contests.errors";
import { type Competitor, type ContestsMethods, type ContestsVars, hidden } from "./contests.internals";
import type { ContestModel } from "./contests.model";
import { NO_CONTENT, type Page } from "./contests.types";
import {
	type ListTeamsParams,
	listTeamsParams,
	type RegisterTeamParams,
	registerTeamParams,
	teamPageSchema,
	type TeamParams,
	teamParams,
	type TeamView,
	teamViewSchema
} from "./teams.types";

type Ctx<P> = Context<P, RequestMeta>;

/** A team's size against its contest's limit: 422 naming the members. */
const tooMany = (maxSize: number) => fieldError("memberIds", "teamSize", `A team of this contest has at most ${maxSize} members`);

/**
 * Team contests: a group's team registers (one team per person per contest), the teams are
 * listed, a team withdraws before the start; and who a submitter competes as (their team). The
 * boards key teams as they key people (docs/contests.md, "Team contests"). Part of the contests service.
 */
export const ContestTeamsMixin: Partial<ServiceSchema<ServiceSettingSchema, ContestsMethods, ContestsVars>> = {
	actions: {
		/** Registers a team of a group's members, until the contest ends: one of them, or the group's moderators. */
		registerTeam: {
			http: "POST /contests/:id/teams",
			visibility: "published",
			auth: "required",
			params: registerTeamParams,
			response: teamViewSchema,
			async handler(ctx: Ctx<RegisterTeamParams>): Promise<TeamView> {
				const { groupId, name, memberIds } = ctx.params;
				const caller = ctx.meta.user!;
				const { contest, facts } = await this.seen(ctx, ctx.params.id);
				authorize("contest.register", facts, {
					hidden,
					forbidden: () => new ForbiddenError("Only the group's members enter its contests")
				});
				if (!contest.teamMaxSize) throw new NotTeamContestError();
				if (this.statusOf(contest) === "ended") throw new ContestEndedError();
				if (contest.groupId && groupId !== contest.groupId)
					throw fieldError("groupId", "contestGroup", "A group's contest takes teams of that group only");
				if (memberIds.length > contest.teamMaxSize) throw tooMany(contest.teamMaxSize);
				// The group's word on the caller and on each member: remote calls, before the transaction.
				const group = groupId === contest.groupId ? facts.group : await this.groupStanding(ctx, groupId);
				authorize(
					"contest.registerTeam",
					{ caller, relations: memberIds.includes(caller.id) ? ["teamMember"] : [], group },
					{
						hidden: () => new GroupNotFoundError(),
						forbidden: () => new ForbiddenError("A team is registered by one of its members, or by its group's moderators")
					}
				);
				const roles = await Promise.all(
					memberIds.map(userId =>
						call(ctx, "groups.membership", { groupId, userId }).then(
							m => m.role,
							err =>
								isContractError(err, GROUPS_ERRORS.GROUP_NOT_FOUND)
									? Promise.reject(new GroupNotFoundError())
									: Promise.reject(err)
						)
					)
				);
				const outsiders = memberIds.filter((_, i) => roles[i] === null);
				if (outsiders.length)
					throw fieldError(
						"memberIds",
						"groupMember",
						`Every member of a team is a member of its group; these are not: ${outsiders.join(", ")}`
					);
				const team = await this.sequelize.transaction(async transaction => {
					// Under the contest row's share lock: its kind and size as the organiser's edit (which locks it for update) left them.
					const locked = await this.model.findByPk(contest.id, { lock: transaction.LOCK.SHARE, transaction });
					if (!locked || locked.cancelledAt) throw hidden();
					if (!locked.teamMaxSize) throw new NotTeamContestError();
					if (memberIds.length > locked.teamMaxSize) throw tooMany(locked.teamMaxSize);
					if (this.statusOf(locked) === "ended") throw new ContestEndedError();
					const registered = await this.teams.register(transaction, {
						contestId: contest.id,
						groupId,
						name,
						memberIds,
						at: this.clock.now()
					});
					if ("nameTaken" in registered) throw new TeamNameTakenError();
					if ("inTeams" in registered) throw new AlreadyInTeamError(registered.inTeams);
					await this.record(transaction, locked, "contest.team_registered", caller.id, {
						teamId: registered.team.id,
						name,
						teamGroupId: groupId,
						memberIds
					});
					return registered.team;
				});
				await this.standings.refresh(contest, team.id);
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/contests/${contest.id}/teams`;
				return team;
			}
		},

		/** A team contest's teams, in registration order (then by name): to whoever may see the contest. */
		teams: {
			http: "GET /contests/:id/teams",
			visibility: "published",
			auth: "optional",
			params: listTeamsParams,
			response: teamPageSchema,
			...READ,
			async handler(ctx: Ctx<ListTeamsParams>): Promise<Page<TeamView>> {
				const { page, pageSize } = ctx.params;
				const { contest } = await this.seen(ctx, ctx.params.id);
				if (!contest.teamMaxSize) throw new NotTeamContestError();
				const { rows, total } = await this.teams.page(contest.id, page, pageSize);
				return pageOf(rows, total, page, pageSize);
			}
		},

		/** Withdraws a team before the start: one of its members, or its group's moderators. */
		withdrawTeam: {
			http: "DELETE /contests/:id/teams/:teamId",
			visibility: "published",
			auth: "required",
			params: teamParams,
			response: NO_CONTENT,
			async handler(ctx: Ctx<TeamParams>) {
				const caller = ctx.meta.user!;
				const { contest, facts } = await this.seen(ctx, ctx.params.id);
				const team = await this.teams.find(contest.id, ctx.params.teamId);
				if (!team) throw new TeamNotFoundError();
				const group = team.groupId === contest.groupId ? facts.group : await this.groupStanding(ctx, team.groupId);
				const inTeam = team.members.some(m => m.userId === caller.id);
				authorize(
					"contest.withdrawTeam",
					{ caller, relations: inTeam ? ["teamMember"] : [], group },
					{
						hidden: () => new TeamNotFoundError(),
						forbidden: () => new ForbiddenError("Only the team's members and its group's moderators withdraw it")
					}
				);
				await this.sequelize.transaction(async transaction => {
					// Under the row's lock (the scheduler skips locked rows): a withdrawal racing the start lands before it or not at all.
					const locked = await this.model.findByPk(contest.id, { lock: transaction.LOCK.SHARE, transaction });
					if (!locked || locked.cancelledAt) throw hidden();
					if (this.statusOf(locked) !== "upcoming" || locked.startedEventAt) throw new ContestStartedError();
					if (!(await this.teams.withdraw(transaction, contest.id, team.id))) throw new TeamNotFoundError();
					await this.record(transaction, locked, "contest.team_withdrawn", caller.id, { teamId: team.id, reason: "withdrawn" });
				});
				await this.standings.remove(contest, team.id);
				ctx.meta.$statusCode = 204;
				return null;
			}
		}
	},

	methods: {
		checkKind(rated: boolean, teamMaxSize: number | null) {
			if (rated && teamMaxSize !== null)
				throw fieldError("rated", "teamContest", "A team contest is not rated: ratings are per person");
		},

		async checkTeamsChange(transaction: Transaction, contest: ContestModel, next: number | null) {
			if (next === contest.teamMaxSize) return;
			const { registered, largest } = await this.teams.registrations(transaction, contest.id);
			if ((next === null) !== (contest.teamMaxSize === null) && registered > 0) throw new RegistrationsExistError();
			if (next !== null && largest > next) throw new TeamsTooLargeError();
		},

		async competitor(ctx: Ctx<unknown>, contest: ContestModel, facts: Facts): Promise<Competitor> {
			const userId = ctx.meta.user!.id;
			const team = contest.teamMaxSize ? await this.teams.teamOf(contest.id, userId) : undefined;
			// Not in a team: the caller's own id, which no board of a team contest holds (refused as not registered).
			if (!team) return { id: userId, teamId: null };
			const group: GroupStanding | "gone" | null | undefined =
				team.groupId === contest.groupId ? facts.group : await this.groupStanding(ctx, team.groupId);
			authorize(
				"contest.submitForTeam",
				{ caller: ctx.meta.user!, relations: ["teamMember"], group },
				{ hidden, forbidden: () => new ForbiddenError("Only members of the team's group submit for it") }
			);
			return { id: team.id, teamId: team.id };
		},

		async competitorIdOf(contest: ContestModel, userId: string): Promise<string> {
			return (contest.teamMaxSize && (await this.teams.teamIdOf(contest, userId))) || userId;
		}
	}
};
