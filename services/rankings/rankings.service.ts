import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Config } from "../../config";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize } from "../../lib/authorization";
import { isContractError } from "../../lib/contracts";
import { NotFoundError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin, type DbMethods } from "../../mixins/db.mixin";
import { call, EVENT_TOPOLOGY } from "../contracts";
import { GROUPS_ERRORS } from "../groups/groups.contract";
import { type BoardStore, createBoardStore } from "./boards";
import { Leaderboards } from "./leaderboards";
import { migrations } from "./migrations";
import type { BoardRef } from "./placements";
import { Projection } from "./projection";
import { RANKINGS_SUBSCRIPTION } from "./rankings.subscription";
import {
	type GroupLeaderboardParams,
	groupLeaderboardParams,
	type Leaderboard,
	type LeaderboardParams,
	leaderboardParams,
	leaderboardSchema,
	type RatingParams,
	ratingParams,
	type RatingView,
	ratingViewSchema
} from "./rankings.types";
import { Memberships } from "./store/memberships";
import { Players } from "./store/players";
import { Ratings } from "./store/ratings";
import { Solves } from "./store/solves";
import { Sql } from "./store/sql";
import { leaderboardOf } from "./views";

type Ctx<P> = Context<P, RequestMeta>;

interface RankingsVars extends DbMethods {
	store: BoardStore;
	players: Players;
	ratings: Ratings;
	boards: Leaderboards;
	projection: Projection;
}

interface RankingsMethods {
	page(ctx: Ctx<unknown>, board: BoardRef, page: number, pageSize: number): Promise<Leaderboard>;
}

const SERVICE = "rankings";
const hiddenGroup = () => new NotFoundError("Group");
/** The states the events carry in full (`latestWins`): a user's name, one membership. */
const nameOf = (event: { payload: { userId: string } }) => `user:${event.payload.userId}`;
const membershipOf = (groupId: string, userId: string) => `member:${groupId}:${userId}`;

/** Contest ratings (Codeforces' method) and the leaderboards: global, and one per group. */
export function rankingsService(c: Config): ServiceSchema<ServiceSettingSchema, RankingsMethods, RankingsVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: RANKINGS_SUBSCRIPTION,
				handlers: {
					"user.created": {
						latestWins: nameOf,
						handle(this: RankingsVars, event, transaction) {
							return this.projection.named(event.payload.userId, event.payload.username, transaction);
						}
					},
					"user.updated": {
						latestWins: nameOf,
						handle(this: RankingsVars, event, transaction) {
							return this.projection.named(event.payload.userId, event.payload.username, transaction);
						}
					},
					"user.deleted"(this: RankingsVars, event, transaction) {
						return this.projection.userDeleted(event.payload.userId, transaction);
					},
					"group.created": {
						latestWins: event => membershipOf(event.payload.groupId, event.payload.ownerId),
						handle(this: RankingsVars, event, transaction) {
							return this.projection.membership(event.payload.groupId, event.payload.ownerId, true, transaction);
						}
					},
					"group.deleted"(this: RankingsVars, event, transaction) {
						return this.projection.groupDeleted(event.payload.groupId, transaction);
					},
					"group.member.joined": {
						latestWins: event => membershipOf(event.payload.groupId, event.payload.userId),
						handle(this: RankingsVars, event, transaction) {
							return this.projection.member(event, true, transaction);
						}
					},
					"group.member.left": {
						latestWins: event => membershipOf(event.payload.groupId, event.payload.userId),
						handle(this: RankingsVars, event, transaction) {
							return this.projection.member(event, false, transaction);
						}
					},
					"group.member.removed": {
						latestWins: event => membershipOf(event.payload.groupId, event.payload.userId),
						handle(this: RankingsVars, event, transaction) {
							return this.projection.member(event, false, transaction);
						}
					},
					"contest.ended"(this: RankingsVars, event, transaction) {
						return this.projection.contestEnded(event, transaction);
					},
					"problem.published"(this: RankingsVars, event, transaction) {
						return this.projection.problemPublished(event.payload.problemId, transaction);
					},
					"submission.judged"(this: RankingsVars, event, transaction) {
						return this.projection.submissionJudged(event, transaction);
					}
				}
			}),
			DbMixin({ service: SERVICE, config: c, migrations })
		],

		actions: {
			/** The global leaderboard, by rating (rated players) or by problems solved in the archive; public. */
			leaderboard: {
				http: "GET /leaderboard",
				visibility: "published",
				auth: "optional",
				params: leaderboardParams,
				response: leaderboardSchema,
				...READ,
				handler(ctx: Ctx<LeaderboardParams>): Promise<Leaderboard> {
					const { by, page, pageSize } = ctx.params;
					return this.page(ctx, { kind: by, groupId: null }, page, pageSize);
				}
			},

			/** A group's leaderboard (every member), for whoever may read the group's content. */
			groupLeaderboard: {
				http: "GET /groups/:id/leaderboard",
				visibility: "published",
				auth: "optional",
				params: groupLeaderboardParams,
				response: leaderboardSchema,
				...READ,
				async handler(ctx: Ctx<GroupLeaderboardParams>): Promise<Leaderboard> {
					const { id, by, page, pageSize } = ctx.params;
					const group = await call(ctx, "groups.membership", { groupId: id, userId: ctx.meta.user?.id ?? null }).catch(err =>
						isContractError(err, GROUPS_ERRORS.GROUP_NOT_FOUND) ? ("gone" as const) : Promise.reject(err)
					);
					authorize("group.readContent", { caller: ctx.meta.user ?? null, group }, { hidden: hiddenGroup });
					return this.page(ctx, { kind: by, groupId: id }, page, pageSize);
				}
			},

			/**
			 * What a profile shows of a user's standing: rating and global rank, rating history, problems solved and
			 * rank by them, every contest they took part in; as public as their profile (a private one is 404).
			 */
			rating: {
				http: "GET /users/:username/rating",
				visibility: "published",
				auth: "optional",
				params: ratingParams,
				response: ratingViewSchema,
				...READ,
				async handler(ctx: Ctx<RatingParams>): Promise<RatingView> {
					const { id } = await call(ctx, "users.profile", { username: ctx.params.username });
					const player = await this.players.find(id);
					const rating = player?.rating ?? null;
					const solved = player?.solved ?? 0;
					const rankOn = async (kind: BoardRef["kind"]) =>
						(await this.boards.read({ kind, groupId: null }, 0, 0, id)).me?.rank ?? null;
					return {
						rating,
						rank: rating === null ? null : await rankOn("rating"),
						solved,
						solvedRank: solved === 0 ? null : await rankOn("solved"),
						history: await this.ratings.history(id),
						contests: await this.ratings.contests(id)
					};
				}
			}
		},

		methods: {
			async page(ctx: Ctx<unknown>, board: BoardRef, page: number, pageSize: number): Promise<Leaderboard> {
				const read = await this.boards.read(board, (page - 1) * pageSize, pageSize, ctx.meta.user?.id);
				return leaderboardOf(read, board.kind, page, pageSize);
			}
		},

		created() {
			this.store = createBoardStore(c.cacher, `${c.namespace}:rankings:`, this.logger);
			const sql = new Sql(() => this.sequelize, SERVICE);
			const memberships = new Memberships(sql);
			this.players = new Players(sql);
			this.ratings = new Ratings(sql);
			this.boards = new Leaderboards(sql, this.store, this.players, memberships);
			this.projection = new Projection({
				players: this.players,
				memberships,
				ratings: this.ratings,
				solves: new Solves(sql),
				boards: this.boards
			});
		},

		async stopped() {
			await this.store.close();
		}
	};
}
