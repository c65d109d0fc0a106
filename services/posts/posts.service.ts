import { randomBytes, randomUUID } from "node:crypto";
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { UniqueConstraintError, type Transaction } from "sequelize";
import type { Config } from "../../config";
import type { RequestMeta } from "../../lib/auth-types";
import { authorize, type Facts } from "../../lib/authorization";
import { ForbiddenError, UnauthorizedError } from "../../lib/errors";
import { READ } from "../../lib/fault-tolerance";
import { ownFields } from "../../lib/fields";
import { purgeResponses, type ServedCounts, servedCountsParams, shareResponse } from "../../lib/http-cache";
import type { EventTypeOf, NewCatalogueEvent } from "../../lib/contracts";
import { pageOf } from "../../lib/page";
import { CacheCleanerMixin } from "../../mixins/cache-cleaner.mixin";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin } from "../../mixins/db.mixin";
import { OutboxMixin } from "../../mixins/outbox/outbox.mixin";
import { EVENT_TOPOLOGY } from "../contracts";
import { Comments } from "./comments";
import { PostInteractionsMixin } from "./interactions.mixin";
import { PostAccessMixin } from "./post-access.mixin";
import { forgetDeletedGroup, forgetDeletedUser, followGroupVisibility, type PostsInternals } from "./lifecycle";
import { renderPost } from "../../lib/markdown";
import { migrations } from "./migrations";
import { recordOf, summaryOf } from "./post-mapper";
import { type ListQuery, PostQueries, sortFor } from "./post-queries";
import { GroupNotFoundError, PostNotFoundError } from "./posts.errors";
import type { PostEventBase, PostsEvents } from "./posts.contract";
import type { PostEventDetails, PostRecord, PostsMethods, PostsVars } from "./posts.internals";
import { POSTS_SUBSCRIPTION } from "./posts.subscription";
import { definePostModel, type PostModel } from "./posts.model";
import {
	type CountedName,
	countedNamesResponse,
	type CreatePostParams,
	createPostParams,
	type GetPostParams,
	getPostParams,
	type ListPostsParams,
	listPostsParams,
	NO_CONTENT,
	type Page,
	postPageSchema,
	type PostParams,
	postParams,
	type PostSummary,
	type PostView,
	postViewSchema,
	type ReactionKind,
	type TagsParams,
	tagsParams,
	type UpdatePostParams,
	updatePostParams
} from "./posts.types";
import { Reactions } from "./reactions";
import { normaliseTags, slugOf } from "./tags";
import { ViewCounter } from "./view-counter";

type Ctx<P> = Context<P, RequestMeta>;

/** The fields an edit may change: copied one by one, never the parameters whole. */
const EDITABLE = ["title", "content", "category", "tags", "status"] as const;

const SERVICE = "posts";
const POST_TTL_S = 300;
const LIST_TTL_S = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_KEYS = ["q", "tag", "category", "author", "group", "sort", "page", "pageSize", "mineOf", "generation"];
/**
 * List pages and tag counts are cached under the current "generation"; a write starts a new one
 * (one key) instead of cleaning every page by pattern, which on Redis scans the whole keyspace.
 * Pages of old generations expire with their TTL.
 */
const LISTS_GENERATION_KEY = `${SERVICE}.lists.generation`;
const CATEGORIES_KEY = `${SERVICE}.categories`;
/** Reads the gateway answered from its copy of a post, reported in batches. */
const VIEWED_EVENT = `${SERVICE}.viewed`;

/** The surrogate key of every gateway copy of a post's answer. */
const postTag = (id: string) => `post:${id}`;

/** What a reader gets: the record without the internal flag, with their own reactions. */
function viewOf(record: PostRecord, myReactions: ReactionKind[]): PostView {
	const view: PostView & Partial<PostRecord> = { ...record, myReactions };
	delete view.groupPrivate;
	return view;
}

const isSlugTaken = (err: unknown) =>
	err instanceof UniqueConstraintError && (err.parent as { constraint?: string }).constraint === "posts_slug_key";

/** Educational posts: markdown, search, reactions and comments, cached cache-aside. */
export function postsService(c: Config): ServiceSchema<ServiceSettingSchema, PostsMethods, PostsVars> {
	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the others need its database.
		mixins: [
			PostInteractionsMixin as Partial<ServiceSchema>,
			PostAccessMixin as Partial<ServiceSchema>,
			CacheCleanerMixin(SERVICE),
			OutboxMixin({ service: SERVICE, config: c, topology: EVENT_TOPOLOGY }),
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: POSTS_SUBSCRIPTION,
				handlers: {
					"user.deleted"(this: PostsInternals, event, transaction) {
						return forgetDeletedUser(this, event, transaction);
					},
					"group.deleted"(this: PostsInternals, event, transaction) {
						return forgetDeletedGroup(this, event, transaction);
					},
					"group.updated": {
						// Each carries the group's visibility as it is now: the latest one decides.
						latestWins: event => `group:${event.payload.groupId}`,
						handle(this: PostsInternals, event, transaction) {
							return followGroupVisibility(this, event, transaction);
						}
					}
				}
			}),
			DbMixin({ service: SERVICE, config: c, migrations, defineModel: definePostModel })
		],

		events: {
			/** Reads of posts the gateways answered from their copies: views all the same. */
			[VIEWED_EVENT]: {
				params: servedCountsParams,
				handler(ctx: Context<ServedCounts>) {
					for (const [id, n] of Object.entries(ctx.params.counts)) this.views.viewed(id, n);
				}
			}
		},

		actions: {
			/** Writes a post (a draft unless `status: published`), in a group if the caller may post there. */
			create: {
				http: "POST /posts",
				visibility: "published",
				auth: "required",
				params: createPostParams,
				response: postViewSchema,
				async handler(ctx: Ctx<CreatePostParams>): Promise<PostView> {
					const { title, content, category, groupId, status } = ctx.params;
					const authorId = ctx.meta.user!.id;
					const group = groupId ? await this.groupStanding(ctx, groupId) : null;
					const facts: Facts = { caller: ctx.meta.user!, relations: ["author"], state: status, group };
					const refusals = {
						hidden: () => new GroupNotFoundError(),
						forbidden: () => new ForbiddenError("Only members may post in this group")
					};
					authorize("post.create", facts, refusals);
					if (status === "published") authorize("post.publish", facts, refusals);
					const values = {
						title,
						content,
						...renderPost(content),
						category,
						tags: normaliseTags(ctx.params.tags),
						status,
						groupId: groupId ?? null,
						groupPrivate: group !== null && group !== "gone" && group.visibility === "private",
						authorId,
						publishedAt: status === "published" ? new Date() : null
					};
					// The title's slug, or with a random suffix when another post has it.
					let post: PostModel | undefined;
					for (let attempt = 0; !post; attempt++) {
						const slug = attempt === 0 ? slugOf(title) : `${slugOf(title).slice(0, 200)}-${randomBytes(3).toString("hex")}`;
						post = await this.sequelize
							.transaction(async transaction => {
								const created = await this.model.create({ ...values, slug }, { transaction });
								await this.record(transaction, created, "post.created", authorId, { status });
								if (status === "published") await this.record(transaction, created, "post.published", authorId, {});
								return created;
							})
							.catch(err => (isSlugTaken(err) && attempt < 5 ? undefined : Promise.reject(err)));
					}
					await this.forgetLists();
					ctx.meta.$statusCode = 201;
					ctx.meta.$location = `/api/posts/${post.slug}`;
					return viewOf(recordOf(await post.reload()), []);
				}
			},

			/** Published posts the caller may see: searched, filtered, sorted, paged; cached per page. */
			list: {
				http: "GET /posts",
				visibility: "published",
				auth: "optional",
				params: listPostsParams,
				response: postPageSchema,
				...READ,
				async handler(ctx: Ctx<ListPostsParams>): Promise<Page<PostSummary>> {
					const { mine, ...filters } = ctx.params;
					const callerId = ctx.meta.user?.id;
					if (mine && !callerId) throw new UnauthorizedError();
					if (filters.group) {
						const group = await this.groupStanding(ctx, filters.group);
						authorize(
							"group.readContent",
							{ caller: ctx.meta.user ?? null, group },
							{ hidden: () => new GroupNotFoundError() }
						);
					}
					return this.listPage({
						...filters,
						tag: filters.tag ? normaliseTags([filters.tag])[0] : undefined,
						mineOf: mine ? callerId : undefined
					});
				}
			},

			/** One post by id or slug; others' drafts and private groups' posts are 404. */
			get: {
				http: "GET /posts/:idOrSlug",
				visibility: "published",
				auth: "optional",
				params: getPostParams,
				response: postViewSchema,
				...READ,
				async handler(ctx: Ctx<GetPostParams>): Promise<PostView> {
					const post = await this.readable(ctx, ctx.params.idOrSlug);
					this.views.viewed(post.id);
					// An anonymous reader's answer is everyone's: published, in no private group, no reactions of theirs.
					if (!ctx.meta.user && post.status === "published" && !post.groupPrivate) {
						shareResponse(ctx, {
							tags: [postTag(post.id)],
							ttlS: POST_TTL_S,
							countServedAs: { event: VIEWED_EVENT, id: post.id }
						});
					}
					return viewOf(post, await this.reactions.mine(post.id, ctx.meta.user?.id));
				}
			},

			/** The author (or an admin) edits; publishing a draft announces it. The slug stays. */
			update: {
				http: "PATCH /posts/:id",
				visibility: "published",
				auth: "required",
				params: updatePostParams,
				response: postViewSchema,
				async handler(ctx: Ctx<UpdatePostParams>): Promise<PostView> {
					const { id } = ctx.params;
					const changes = ownFields(ctx.params, EDITABLE);
					const userId = ctx.meta.user!.id;
					const before = await this.model.findByPk(id);
					if (!before) throw new PostNotFoundError();
					// The caller's standing in the post's group (which never changes), asked before the transaction.
					const group = before.groupId ? await this.groupStanding(ctx, before.groupId) : null;
					const post = await this.sequelize.transaction(async transaction => {
						const found = await this.model.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
						if (!found) throw new PostNotFoundError();
						// Decided on the locked row: its state now, the group standing asked just before.
						const facts: Facts = {
							caller: ctx.meta.user!,
							relations: found.authorId === userId ? ["author"] : [],
							state: found.status,
							group
						};
						authorize("post.edit", facts, { hidden: () => new PostNotFoundError() });
						const publishing = changes.status === "published" && found.status === "draft";
						if (publishing)
							authorize("post.publish", facts, {
								hidden: () => new PostNotFoundError(),
								forbidden: () => new ForbiddenError("Only its author, allowed to post in its group, publishes a draft")
							});
						const values: Partial<PostModel> = { ...changes };
						if (changes.tags) values.tags = normaliseTags(changes.tags);
						if (changes.content !== undefined) Object.assign(values, renderPost(changes.content));
						if (publishing && !found.publishedAt) values.publishedAt = new Date();
						const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter(
							k => JSON.stringify(changes[k]) !== JSON.stringify(found[k])
						);
						if (!changed.length) return found;
						await found.update(values, { transaction });
						await this.record(transaction, found, "post.updated", userId, { changed });
						if (publishing) await this.record(transaction, found, "post.published", userId, {});
						return found;
					});
					await this.forgetPost(post.id, post.slug, ctx);
					return viewOf(recordOf(post), await this.reactions.mine(post.id, userId));
				}
			},

			/** The author, a moderator of the post's group, or an admin deletes it, comments and all. */
			remove: {
				http: "DELETE /posts/:id",
				visibility: "published",
				auth: "required",
				params: postParams,
				response: NO_CONTENT,
				async handler(ctx: Ctx<PostParams>) {
					const userId = ctx.meta.user!.id;
					const found = await this.model.findByPk(ctx.params.id);
					if (!found) throw new PostNotFoundError();
					// Before the transaction: asking the groups service inside it would hold a connection meanwhile.
					const group = found.groupId ? await this.groupStanding(ctx, found.groupId) : null;
					const slug = await this.sequelize.transaction(async transaction => {
						const post = await this.model.findByPk(ctx.params.id, { transaction, lock: transaction.LOCK.UPDATE });
						if (!post) throw new PostNotFoundError();
						const facts: Facts = {
							caller: ctx.meta.user!,
							relations: post.authorId === userId ? ["author"] : [],
							state: post.status,
							group
						};
						authorize("post.delete", facts, { hidden: () => new PostNotFoundError() });
						await this.record(transaction, post, "post.deleted", userId, { deletedBy: userId, reason: "deleted" });
						await post.destroy({ transaction });
						return post.slug;
					});
					await this.forgetPost(ctx.params.id, slug, ctx);
					ctx.meta.$statusCode = 204;
					return null;
				}
			},

			/** Every category with its number of public posts. */
			categories: {
				http: "GET /categories",
				visibility: "published",
				params: { $$strict: true },
				response: countedNamesResponse,
				...READ,
				async handler(): Promise<CountedName[]> {
					return this.categoryCounts();
				}
			},

			/** The most used tags, optionally those starting with `q`. */
			tags: {
				http: "GET /tags",
				visibility: "published",
				params: tagsParams,
				response: countedNamesResponse,
				...READ,
				async handler(ctx: Ctx<TagsParams>): Promise<CountedName[]> {
					const prefix = ctx.params.q ? normaliseTags([ctx.params.q])[0] : undefined;
					const key = this.cacheKey("tags", ["prefix", "generation"], { prefix, generation: await this.listsGeneration() });
					return this.cached(key, LIST_TTL_S, () => this.queries.tags(prefix));
				}
			}
		},

		methods: {
			/** A page of a list, cached; the caller's own list (drafts, each write) is not. */
			async listPage(query: ListQuery): Promise<Page<PostSummary>> {
				const load = async () => {
					const { rows, total } = await this.queries.page(query);
					return pageOf(rows.map(summaryOf), total, query.page, query.pageSize);
				};
				if (query.mineOf) return load();
				// One key per distinct answer: an absent sort and its default share it.
				const key = this.cacheKey("list", LIST_KEYS, { ...query, sort: sortFor(query), generation: await this.listsGeneration() });
				return this.cached(key, LIST_TTL_S, load);
			},

			categoryCounts(): Promise<CountedName[]> {
				return this.cached(CATEGORIES_KEY, LIST_TTL_S, () => this.queries.categories());
			},

			async listsGeneration(): Promise<string> {
				const cacher = this.broker.cacher;
				if (!cacher) return "";
				const current = (await cacher.get(LISTS_GENERATION_KEY)) as string | null;
				if (current) return current;
				const fresh = randomUUID();
				await cacher.set(LISTS_GENERATION_KEY, fresh);
				return fresh;
			},

			/** The post by id, or by slug through a cached slug → id entry. */
			async load(idOrSlug: string): Promise<PostRecord | null> {
				const id = UUID.test(idOrSlug)
					? idOrSlug
					: await this.cached(
							this.cacheKey("slug", ["slug"], { slug: idOrSlug }),
							POST_TTL_S,
							async () => (await this.model.findOne({ where: { slug: idOrSlug }, attributes: ["id"] }))?.id ?? null
						);
				if (!id) return null;
				return this.cached(this.cacheKey("post", ["id"], { id }), POST_TTL_S, async () => {
					const post = await this.model.findByPk(id);
					return post ? recordOf(post) : null;
				});
			},

			/** Records a `post.*` event in the change's transaction, with the ids every one carries. */
			async record<K extends EventTypeOf<PostsEvents>>(
				transaction: Transaction,
				post: PostRecord | PostModel,
				type: K,
				actorId: string | null,
				payload: PostEventDetails<K>
			) {
				const base: PostEventBase = {
					postId: post.id,
					slug: post.slug,
					title: post.title,
					authorId: post.authorId,
					groupId: post.groupId
				};
				await this.recordEvent<K>(transaction, {
					type,
					aggregateId: post.id,
					actorId,
					payload: { ...base, ...payload } as PostsEvents[K]
				} as NewCatalogueEvent<PostsEvents, K>);
			},

			/** A write to a post: its cached copies, and every list, count and tag page it may be in. */
			async forgetPost(id: string, slug?: string, ctx?: Ctx<unknown>) {
				const slugKeys = slug && this.broker.cacher ? [this.cacheKey("slug", ["slug"], { slug })] : [];
				await this.forgetPostCopies([id], ctx, [CATEGORIES_KEY, LISTS_GENERATION_KEY, ...slugKeys]);
			},

			/** The cached records of these posts (and `alsoKeys`), and the gateways' copies of their answers. */
			async forgetPostCopies(ids: string[], ctx?: Ctx<unknown>, alsoKeys: string[] = []) {
				if (this.broker.cacher) await this.cleanCache([...ids.map(id => this.cacheKey("post", ["id"], { id })), ...alsoKeys], []);
				await purgeResponses(this.broker, ids.map(postTag), ctx);
			},

			async forgetLists() {
				if (!this.broker.cacher) return;
				await this.cleanCache([CATEGORIES_KEY, LISTS_GENERATION_KEY], []);
			}
		},

		async started() {
			this.queries = new PostQueries(this.model, SERVICE);
			this.reactions = new Reactions(this.sequelize, SERVICE);
			this.comments = new Comments(this.sequelize, SERVICE);
			this.views = new ViewCounter(
				this.sequelize,
				`"${SERVICE}".posts`,
				ids => this.forgetPostCopies(ids),
				err => this.logger.warn("Could not add up post views", err)
			);
			this.views.start();
			// Cache warming: the first pages everyone opens, ready before the first reader.
			const page = { page: 1, pageSize: 20 };
			await Promise.all([
				this.listPage({ ...page, sort: "recent" }),
				this.listPage({ ...page, sort: "popular" }),
				this.categoryCounts()
			]).catch(err => this.logger.warn("Cache warming failed", err));
		},

		async stopped() {
			await this.views?.stop();
		}
	};
}
