import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, type Transaction, type WhereOptions } from "sequelize";
import type { Config } from "../../config";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize, type Facts, type GroupStanding } from "../../lib/authorization";
import { systemClock } from "../../lib/clock";
import { fieldError, ForbiddenError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { ownFields } from "../../lib/fields";
import { type EventTypeOf, isContractError, type NewCatalogueEvent } from "../../lib/contracts";
import { pageOf } from "../../lib/page";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin } from "../../mixins/db.mixin";
import { OutboxMixin } from "../../mixins/outbox/outbox.mixin";
import { call, EVENT_TOPOLOGY } from "../contracts";
import { GROUPS_ERRORS } from "../groups/groups.contract";
import { AnswerKey } from "./answers";
import { endedDetails } from "./contest-ended";
import { ContestStore } from "./contest-store";
import { ContestNotFoundError, ContestStartedError, NotOrganiserError } from "./contests.errors";
import type { ContestEventBase, ContestsEvents } from "./contests.contract";
import { type ContestEventDetails, type ContestsMethods, type ContestsVars, hidden, type Seen } from "./contests.internals";
import { CONTESTS_SUBSCRIPTION } from "./contests.subscription";
import { type ContestModel, defineContestModel } from "./contests.model";
import {
	type ContestParams,
	contestParams,
	type ContestStatus,
	type ContestView,
	contestPageSchema,
	contestViewSchema,
	type CreateContestParams,
	createContestParams,
	type ListContestsParams,
	listContestsParams,
	MAX_DURATION_MS,
	MIN_DURATION_MS,
	NO_CONTENT,
	type Page,
	type UpdateContestParams,
	updateContestParams
} from "./contests.types";
import { createLeaderboardStore } from "./leaderboard";
import { forgetDeletedGroup, forgetDeletedUser, type ContestsInternals } from "./lifecycle";
import { migrations } from "./migrations";
import { ContestScheduler } from "./scheduler";
import { ContestParticipationMixin } from "./participation.mixin";
import { ContestCodeMixin } from "./code-problems.mixin";
import { countJudgedSubmission } from "./code-submissions";
import { Standings } from "./standings";
import { StartedContests } from "./started-contests";
import { TeamStore } from "./team-store";
import { ContestTeamsMixin } from "./teams.mixin";
import { ContestProblemSetMixin } from "./problem-set.mixin";

type Ctx<P> = Context<P, RequestMeta>;

/** The fields an organiser may edit: copied one by one, never the parameters whole. */
const EDITABLE = ["title", "description", "startsAt", "endsAt", "freezeMinutes", "rated"] as const;

const SERVICE = "contests";
/** Scheduled contests (of people or of teams) with answer-judged and code problems, ICPC or points scoring, and a live leaderboard. */
export function contestsService(c: Config): ServiceSchema<ServiceSettingSchema, ContestsMethods, ContestsVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			ContestParticipationMixin as Partial<ServiceSchema>,
			ContestCodeMixin as Partial<ServiceSchema>,
			ContestTeamsMixin as Partial<ServiceSchema>,
			ContestProblemSetMixin as Partial<ServiceSchema>,
			OutboxMixin({ service: SERVICE, config: c, topology: EVENT_TOPOLOGY }),
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: CONTESTS_SUBSCRIPTION,
				handlers: {
					"user.deleted"(this: ContestsInternals, event, transaction) {
						return forgetDeletedUser(this, event, transaction);
					},
					"group.deleted"(this: ContestsInternals, event, transaction) {
						return forgetDeletedGroup(this, event, transaction);
					},
					"submission.judged"(this: ContestsInternals, event, transaction) {
						return countJudgedSubmission(this, event, transaction);
					}
				}
			}),
			DbMixin({ service: SERVICE, config: c, migrations, defineModel: defineContestModel })
		],

		actions: {
			/** Schedules a contest (in a group the caller moderates, optionally); the caller organises it. */
			create: {
				http: "POST /contests",
				visibility: "published",
				auth: "required",
				params: createContestParams,
				response: contestViewSchema,
				async handler(ctx: Ctx<CreateContestParams>): Promise<ContestView> {
					const { groupId, title, description, startsAt, endsAt, scoring, rated, freezeMinutes } = ctx.params;
					const teamMaxSize = ctx.params.teams?.maxSize ?? null;
					this.checkSchedule(startsAt, endsAt);
					this.checkKind(rated, teamMaxSize);
					const group = groupId ? await this.groupStanding(ctx, groupId) : null;
					authorize(
						"contest.create",
						{ caller: ctx.meta.user!, group },
						{ hidden, forbidden: () => new ForbiddenError("Only the group's owners and admins organise its contests") }
					);
					if (rated) this.mayRate(ctx);
					const contest = await this.sequelize.transaction(async transaction => {
						const created = await this.model.create(
							{
								title,
								description: description ?? "",
								startsAt,
								endsAt,
								scoring,
								rated,
								teamMaxSize,
								freezeMinutes: freezeMinutes ?? null,
								groupId: groupId ?? null,
								organiserId: ctx.meta.user!.id
							},
							{ transaction }
						);
						await this.record(transaction, created, "contest.created", ctx.meta.user!.id, {
							startsAt: created.startsAt.toISOString(),
							endsAt: created.endsAt.toISOString(),
							scoring: created.scoring
						});
						return created;
					});
					ctx.meta.$statusCode = 201;
					ctx.meta.$location = `/api/contests/${contest.id}`;
					return (await this.views([contest], ctx.meta.user!.id))[0];
				}
			},

			/** Contests open to everyone, or a group's (for its members); by status. */
			list: {
				http: "GET /contests",
				visibility: "published",
				auth: "optional",
				params: listContestsParams,
				response: contestPageSchema,
				...READ,
				async handler(ctx: Ctx<ListContestsParams>): Promise<Page<ContestView>> {
					const { status, group, page, pageSize } = ctx.params;
					// A group's contests: for whoever may see a contest of the group.
					if (group)
						authorize(
							"contest.view",
							{ caller: ctx.meta.user ?? null, group: await this.groupStanding(ctx, group) },
							{ hidden }
						);
					const now = this.clock.now();
					const byStatus: Record<ContestStatus, WhereOptions> = {
						upcoming: { startsAt: { [Op.gt]: now } },
						running: { startsAt: { [Op.lte]: now }, endsAt: { [Op.gt]: now } },
						ended: { endsAt: { [Op.lte]: now } }
					};
					const { rows, count } = await this.model.findAndCountAll({
						where: { cancelledAt: null, groupId: group ?? null, ...(status ? byStatus[status] : {}) },
						order:
							status === "ended"
								? [
										["endsAt", "DESC"],
										["id", "ASC"]
									]
								: [
										["startsAt", status ? "ASC" : "DESC"],
										["id", "ASC"]
									],
						limit: pageSize,
						offset: (page - 1) * pageSize
					});
					return pageOf(await this.views(rows, ctx.meta.user?.id), count, page, pageSize);
				}
			},

			get: {
				http: "GET /contests/:id",
				visibility: "published",
				auth: "optional",
				params: contestParams,
				response: contestViewSchema,
				...READ,
				async handler(ctx: Ctx<ContestParams>): Promise<ContestView> {
					return (await this.views([(await this.seen(ctx, ctx.params.id)).contest], ctx.meta.user?.id))[0];
				}
			},

			/** The organiser edits it (schedule, `rated`, `teams` and all) before the start only. */
			update: {
				http: "PATCH /contests/:id",
				visibility: "published",
				auth: "required",
				params: updateContestParams,
				response: contestViewSchema,
				async handler(ctx: Ctx<UpdateContestParams>): Promise<ContestView> {
					const { id } = ctx.params;
					const changes = ownFields(ctx.params, EDITABLE);
					// `teams: null` makes it an individual contest again: null is a change here, unlike absence.
					const teams = ctx.params.teams === undefined ? {} : { teamMaxSize: ctx.params.teams?.maxSize ?? null };
					await this.organised(ctx, id);
					if (changes.rated !== undefined) this.mayRate(ctx);
					const contest = await this.sequelize.transaction(async transaction => {
						// Under the row's lock (the scheduler skips locked rows): an edit racing the start lands before it or not at all.
						const locked = await this.model.findByPk(id, { lock: transaction.LOCK.UPDATE, transaction });
						if (!locked || locked.cancelledAt) throw hidden();
						if (this.statusOf(locked) !== "upcoming" || locked.startedEventAt) throw new ContestStartedError();
						this.checkSchedule(changes.startsAt ?? locked.startsAt, changes.endsAt ?? locked.endsAt);
						this.checkKind(
							changes.rated ?? locked.rated,
							teams.teamMaxSize === undefined ? locked.teamMaxSize : teams.teamMaxSize
						);
						if (teams.teamMaxSize !== undefined) await this.checkTeamsChange(transaction, locked, teams.teamMaxSize);
						await locked.update({ ...changes, ...teams }, { transaction });
						const changed = [...Object.keys(changes), ...(ctx.params.teams === undefined ? [] : ["teams"])];
						await this.record(transaction, locked, "contest.updated", ctx.meta.user!.id, { changed });
						return locked;
					});
					return (await this.views([contest], ctx.meta.user!.id))[0];
				}
			},

			/** The organiser deletes it, before the start only. */
			remove: {
				http: "DELETE /contests/:id",
				visibility: "published",
				auth: "required",
				params: contestParams,
				response: NO_CONTENT,
				async handler(ctx: Ctx<ContestParams>) {
					const contest = await this.organised(ctx, ctx.params.id);
					if (this.statusOf(contest) !== "upcoming") throw new ContestStartedError();
					await this.sequelize.transaction(async transaction => {
						await this.record(transaction, contest, "contest.deleted", ctx.meta.user!.id, { reason: "deleted" });
						await contest.destroy({ transaction });
					});
					await this.standings.drop(contest.id);
					ctx.meta.$statusCode = 204;
					return null;
				}
			}
		},

		methods: {
			statusOf(contest: ContestModel): ContestStatus {
				const now = this.clock.now();
				return now < contest.startsAt ? "upcoming" : now < contest.endsAt ? "running" : "ended";
			},

			async views(contests: ContestModel[], callerId: string | undefined): Promise<ContestView[]> {
				const ids = contests.map(contest => contest.id);
				const [counts, registered] = await Promise.all([this.store.counts(ids), this.store.registeredIn(callerId, ids)]);
				return contests.map(contest => ({
					id: contest.id,
					title: contest.title,
					description: contest.description,
					startsAt: contest.startsAt.toISOString(),
					endsAt: contest.endsAt.toISOString(),
					status: this.statusOf(contest),
					scoring: contest.scoring,
					rated: contest.rated,
					...(contest.teamMaxSize ? { teams: { maxSize: contest.teamMaxSize } } : {}),
					groupId: contest.groupId,
					freezeMinutes: contest.freezeMinutes,
					organiserId: contest.organiserId,
					problemCount: counts.get(contest.id)!.problems,
					participantCount: counts.get(contest.id)!.participants,
					registered: registered.has(contest.id),
					archivedAt: contest.archivedAt?.toISOString() ?? null,
					createdAt: contest.createdAt.toISOString(),
					updatedAt: contest.updatedAt.toISOString()
				}));
			},

			/** The caller's role in a group and its visibility; `"gone"` once the group is deleted. */
			async groupStanding(ctx: Ctx<unknown>, groupId: string): Promise<GroupStanding | "gone"> {
				return call(ctx, "groups.membership", { groupId, userId: ctx.meta.user?.id ?? null }).catch(err =>
					isContractError(err, GROUPS_ERRORS.GROUP_NOT_FOUND) ? ("gone" as const) : Promise.reject(err)
				);
			},

			/**
			 * The contest if the caller may see it (`contest.view`: a group's contests to its members
			 * and their organiser), with the facts other decisions on it take: the caller's standing in
			 * its group (asked here, before any transaction), whether they organise it and, on request,
			 * take part. `fromMemory`: a contest started a while ago may come from memory (reads only).
			 */
			async seen(ctx: Ctx<unknown>, id: string, { fromMemory = false, participant = false } = {}): Promise<Seen> {
				const contest = (fromMemory && this.startedContests.get(id)) || (await this.model.findByPk(id));
				if (!contest || contest.cancelledAt) throw new ContestNotFoundError();
				if (fromMemory) this.startedContests.remember(contest, this.clock.now());
				const caller = ctx.meta.user ?? null;
				const [group, registered] = await Promise.all([
					contest.groupId ? this.groupStanding(ctx, contest.groupId) : null,
					participant && caller ? this.store.registeredIn(caller.id, [contest.id]).then(ids => ids.has(contest.id)) : false
				]);
				const facts: Facts = {
					caller,
					relations: [
						...(caller?.id === contest.organiserId ? (["organiser"] as const) : []),
						...(registered ? (["participant"] as const) : [])
					],
					group
				};
				authorize("contest.view", facts, { hidden });
				return { contest, facts };
			},

			async organised(ctx: Ctx<unknown>, id: string): Promise<ContestModel> {
				const { contest, facts } = await this.seen(ctx, id);
				authorize("contest.edit", facts, { hidden, forbidden: () => new NotOrganiserError() });
				return contest;
			},

			mayRate(ctx: Ctx<unknown>) {
				authorize(
					"contest.rate",
					{ caller: ctx.meta.user!, group: null },
					{ hidden, forbidden: () => new ForbiddenError("Only the platform's admins make a contest rated or unrated") }
				);
			},

			checkSchedule(startsAt: Date, endsAt: Date) {
				if (startsAt.getTime() <= this.clock.now().getTime())
					throw fieldError("startsAt", "startsInPast", "The contest must start in the future");
				const duration = endsAt.getTime() - startsAt.getTime();
				if (duration <= 0) throw fieldError("endsAt", "endsBeforeStart", "The contest must end after it starts");
				if (duration < MIN_DURATION_MS || duration > MAX_DURATION_MS)
					throw fieldError("endsAt", "duration", "A contest lasts between 5 minutes and 14 days");
			},

			/** Records a `contest.*` event in the change's transaction, with the ids every one carries. Never an answer. */
			async record<K extends EventTypeOf<ContestsEvents>>(
				transaction: Transaction,
				contest: ContestModel,
				type: K,
				actorId: string | null,
				payload: ContestEventDetails<K>
			) {
				const base: ContestEventBase = {
					contestId: contest.id,
					title: contest.title,
					groupId: contest.groupId,
					organiserId: contest.organiserId
				};
				await this.recordEvent<K>(transaction, {
					type,
					aggregateId: contest.id,
					actorId,
					payload: { ...base, ...payload } as ContestsEvents[K]
				} as NewCatalogueEvent<ContestsEvents, K>);
			}
		},

		created() {
			this.clock = systemClock;
			this.answers = new AnswerKey(c.auth.jwtSecret);
			this.boards = createLeaderboardStore(c.cacher, `${c.namespace}:leaderboard:`, this.logger);
			this.startedContests = new StartedContests();
		},

		async started() {
			this.store = new ContestStore(this.sequelize, SERVICE);
			this.teams = new TeamStore(this.sequelize, SERVICE);
			this.standings = new Standings(this.store, this.boards, this.teams);
			this.scheduler = new ContestScheduler(
				this.sequelize,
				this.model,
				`"${SERVICE}".contests`,
				`"${SERVICE}".programs`,
				() => this.clock,
				(contest, transaction) => this.record(transaction, contest, "contest.started", null, {}),
				async (contest, transaction) => {
					const final = await this.standings.final(contest, transaction);
					const members = contest.teamMaxSize ? await this.teams.members(contest.id, transaction) : null;
					await this.record(transaction, contest, "contest.ended", null, endedDetails(contest.rated, final, members));
				},
				err => this.logger.warn("Contest scheduler pass failed", err)
			);
			this.scheduler.start();
		},

		async stopped() {
			await this.scheduler?.stop();
			await this.boards.close();
		}
	};
}
