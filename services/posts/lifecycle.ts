import type { ModelStatic, Transaction } from "sequelize";
import type { CatalogueEvent } from "../../lib/contracts";
import type { GroupsEvents } from "../groups/groups.contract";
import type { UsersEvents } from "../users/users.contract";
import type { Comments } from "./comments";
import type { PostDeletedEvent } from "./posts.contract";
import type { PostModel } from "./posts.model";
import type { PostsMethods } from "./posts.internals";
import type { Reactions } from "./reactions";

/** What the event handlers need of the posts service. */
export interface PostsInternals extends Pick<PostsMethods, "record" | "forgetPost" | "forgetLists"> {
	model: ModelStatic<PostModel>;
	comments: Comments;
	reactions: Reactions;
}

/** Deletes posts one by one, so that each has its `post.deleted` event. */
async function deletePosts(
	posts: PostsInternals,
	where: Partial<Pick<PostModel, "authorId" | "groupId">>,
	reason: PostDeletedEvent["reason"],
	transaction: Transaction
) {
	const doomed = await posts.model.findAll({ where, transaction, lock: transaction.LOCK.UPDATE });
	for (const post of doomed) {
		await posts.record(transaction, post, "post.deleted", null, { deletedBy: null, reason });
		await post.destroy({ transaction });
	}
	return doomed;
}

/**
 * On `user.deleted`: the user's posts are deleted (with their comments and reactions); the
 * user's comments on other posts stay, anonymised, so threads keep their replies; their
 * reactions are taken off the counts.
 */
export async function forgetDeletedUser(
	posts: PostsInternals,
	event: CatalogueEvent<UsersEvents, "user.deleted">,
	transaction: Transaction
): Promise<void> {
	const { userId } = event.payload;
	const deleted = await deletePosts(posts, { authorId: userId }, "author_deleted", transaction);
	const touched = [...(await posts.comments.anonymise(userId, transaction)), ...(await posts.reactions.forgetUser(userId, transaction))];
	transaction.afterCommit(async () => {
		await Promise.all([...deleted.map(p => posts.forgetPost(p.id, p.slug)), ...[...new Set(touched)].map(id => posts.forgetPost(id))]);
	});
}

/** On `group.deleted`: the group's posts go with it. */
export async function forgetDeletedGroup(
	posts: PostsInternals,
	event: CatalogueEvent<GroupsEvents, "group.deleted">,
	transaction: Transaction
): Promise<void> {
	const deleted = await deletePosts(posts, { groupId: event.payload.groupId }, "group_deleted", transaction);
	transaction.afterCommit(async () => {
		await Promise.all(deleted.map(p => posts.forgetPost(p.id, p.slug)));
	});
}

/**
 * On `group.updated`: a group turned private takes its posts out of public lists, and back. The
 * event's visibility is the group's as of that change, whatever changed: the state is applied
 * (posts that differ), so the latest event is right even when an older one is skipped.
 */
export async function followGroupVisibility(
	posts: PostsInternals,
	event: CatalogueEvent<GroupsEvents, "group.updated">,
	transaction: Transaction
): Promise<void> {
	const { groupId, visibility } = event.payload;
	const groupPrivate = visibility === "private";
	const [, affected] = await posts.model.update(
		{ groupPrivate },
		{ where: { groupId, groupPrivate: !groupPrivate }, transaction, returning: true }
	);
	if (!affected.length) return;
	transaction.afterCommit(async () => {
		await Promise.all(affected.map(p => posts.forgetPost(p.id, p.slug)));
		await posts.forgetLists();
	});
}
