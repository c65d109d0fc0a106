/**
 * The posts service's own shape (its `this`: variables and methods, and the post record it caches),
 * apart from the service file so that its mixin and lifecycle handlers import it without importing
 * the service (no import circle).
 */
import type { Context } from "moleculer";
import type { ModelStatic, Transaction } from "sequelize";
import type { RequestMeta } from "../../lib/auth-types";
import type { DomainAction, GroupStanding, Relation } from "../../lib/authorization";
import type { CacheCleanerMethods } from "../../mixins/cache-cleaner.mixin";
import type { DbMethods } from "../../mixins/db.mixin";
import type { EventTypeOf } from "../../lib/contracts";
import type { OutboxMethods } from "../../mixins/outbox/outbox.mixin";
import type { PostEventBase, PostsEvents } from "./posts.contract";
import type { Comments } from "./comments";
import type { ListQuery, PostQueries } from "./post-queries";
import type { PostModel } from "./posts.model";
import type { CountedName, Page, PostRecord, PostSummary } from "./posts.types";

export type { PostRecord } from "./posts.types";
import type { Reactions } from "./reactions";
import type { ViewCounter } from "./view-counter";

type Ctx<P> = Context<P, RequestMeta>;

/** What the authorization table needs to know of a post. */
export type PostFacts = Pick<PostRecord, "authorId" | "groupId" | "groupPrivate" | "status">;

export interface PostsVars extends DbMethods {
	model: ModelStatic<PostModel>;
	queries: PostQueries;
	reactions: Reactions;
	comments: Comments;
	views: ViewCounter;
}

/** What a `post.*` event carries beyond the fields every one has (the post's ids, slug, title and author). */
export type PostEventDetails<K extends EventTypeOf<PostsEvents>> = Omit<PostsEvents[K], keyof PostEventBase>;

export interface PostsMethods extends OutboxMethods<PostsEvents>, CacheCleanerMethods {
	listsGeneration(): Promise<string>;
	listPage(query: ListQuery): Promise<Page<PostSummary>>;
	categoryCounts(): Promise<CountedName[]>;
	load(idOrSlug: string): Promise<PostRecord | null>;
	readable(ctx: Ctx<unknown>, idOrSlug: string): Promise<PostRecord>;
	groupStanding(ctx: Ctx<unknown>, groupId: string): Promise<GroupStanding | "gone">;
	decideOnPost(ctx: Ctx<unknown>, action: DomainAction, post: PostFacts, relations?: Relation[], forbidden?: () => Error): Promise<void>;
	published(ctx: Ctx<unknown>, idOrSlug: string): Promise<PostRecord>;
	record<K extends EventTypeOf<PostsEvents>>(
		transaction: Transaction,
		post: PostRecord | PostModel,
		type: K,
		actorId: string | null,
		payload: PostEventDetails<K>
	): Promise<void>;
	forgetPost(id: string, slug?: string, ctx?: Ctx<unknown>): Promise<void>;
	forgetPostCopies(ids: string[], ctx?: Ctx<unknown>, alsoKeys?: string[]): Promise<void>;
	forgetLists(): Promise<void>;
}
