import type { DomainEvent } from "../../lib/events/envelope";
import type { DomainEvents } from "../contracts";
import type { GroupRole } from "../groups/groups.contract";
import type { NotificationType, NotificationView } from "./notifications.types";

/** What the rules may ask the owning services (through the breaker; a failure retries the event). */
export interface Lookups {
	groupMembers(groupId: string, roles?: GroupRole[]): Promise<string[]>;
	contestRanks(contestId: string): Promise<{ userId: string; rank: number }[]>;
}

/** One addressed notification before it is stored. */
export type Draft = Pick<NotificationView, "type" | "reason" | "subject" | "groupId" | "title" | "body" | "link">;

export interface Audience {
	recipientIds: string[];
	draft: Draft;
}

type EventType = keyof DomainEvents & string;

/** The rule for one event type: its payload is the catalogue's, so reading a field the event does not carry fails `tsc`. */
type Rule<K extends EventType> = (payload: DomainEvents[K], lookups: Lookups) => Promise<Audience[]> | Audience[];

/** At most one rule per event type of the catalogue. */
type Rules = { [K in EventType]?: Rule<K> };

const MODERATORS: GroupRole[] = ["owner", "admin"];

/** What the drafts read of a payload (every group, post or contest event carries it: see the catalogues). */
type GroupFields = Pick<DomainEvents["group.created"], "groupId">;
type PostFields = Pick<DomainEvents["post.published"], "postId" | "groupId" | "title" | "slug">;
type ContestFields = Pick<DomainEvents["contest.started"], "contestId" | "groupId">;

function groupDraft(
	type: NotificationType,
	p: GroupFields,
	reason: string,
	title: string,
	body = "",
	link = `/groups/${p.groupId}`
): Draft {
	return { type, reason, subject: { kind: "group", id: p.groupId }, groupId: p.groupId, title, body, link };
}

function postDraft(type: NotificationType, p: PostFields, reason: string, title: string): Draft {
	return {
		type,
		reason,
		subject: { kind: "post", id: p.postId },
		groupId: p.groupId || null,
		title,
		body: p.title,
		link: `/posts/${p.slug}`
	};
}

function contestDraft(type: NotificationType, p: ContestFields, reason: string, title: string, body = ""): Draft {
	return {
		type,
		reason,
		subject: { kind: "contest", id: p.contestId },
		groupId: p.groupId || null,
		title,
		body,
		link: `/contests/${p.contestId}`
	};
}

const ordinal = (n: number) => `${n}${["th", "st", "nd", "rd"][n % 100 >= 11 && n % 100 <= 13 ? 0 : Math.min(n % 10, 4) % 4] ?? "th"}`;

const one = (recipientId: string | null | undefined, draft: Draft): Audience[] =>
	recipientId ? [{ recipientIds: [recipientId], draft }] : [];

/**
 * Who hears of which event: the table the README reproduces. The actor never hears of their own
 * action (removed by the caller), and each recipient's preferences and group mutes apply.
 */
export const RULES: Rules = {
	"user.created": p =>
		one(p.userId, {
			type: "user.created",
			reason: "you joined Code-Learn",
			subject: { kind: "user", id: p.userId },
			groupId: null,
			title: `Welcome to Code-Learn, ${p.displayName}!`,
			body: "Find a study group, write a post, or enter a contest.",
			link: "/"
		}),
	"group.invitation.created": p =>
		one(p.userId, groupDraft("group.invitation.created", p, "you were invited", `You are invited to join ${p.name}`)),
	"group.request.created": p => [
		{
			recipientIds: p.moderatorIds ?? [],
			draft: groupDraft(
				"group.request.created",
				p,
				"you moderate this group",
				`Someone asked to join ${p.name}`,
				"",
				`/groups/${p.groupId}/requests`
			)
		}
	],
	"group.request.approved": p =>
		one(p.userId, groupDraft("group.request.approved", p, "you asked to join", `Welcome to ${p.name}: your request was approved`)),
	"group.request.rejected": p =>
		one(p.userId, groupDraft("group.request.rejected", p, "you asked to join", `Your request to join ${p.name} was declined`)),
	"group.member.removed": p =>
		one(p.userId, groupDraft("group.member.removed", p, "you were a member", `You were removed from ${p.name}`)),
	"group.member.role_changed": p =>
		one(
			p.userId,
			groupDraft(
				"group.member.role_changed",
				p,
				"your role changed",
				`You are now ${p.to === "member" ? "a member" : `an ${p.to}`} of ${p.name}`
			)
		),
	"group.member.joined": async (p, lookups) => [
		{
			recipientIds: await lookups.groupMembers(p.groupId, MODERATORS),
			draft: groupDraft("group.member.joined", p, "you moderate this group", `A new member joined ${p.name}`)
		}
	],
	"group.member.left": async (p, lookups) => [
		{
			recipientIds: await lookups.groupMembers(p.groupId, MODERATORS),
			draft: groupDraft("group.member.left", p, "you moderate this group", `A member left ${p.name}`)
		}
	],
	"group.deleted": p => [
		{
			recipientIds: p.memberIds ?? [],
			draft: groupDraft("group.deleted", p, "you were a member", `${p.name} was deleted`, "", "/groups")
		}
	],
	// A post published straight away also emits post.created; post.published alone covers both.
	"post.published": async (p, lookups) =>
		p.groupId
			? [
					{
						recipientIds: await lookups.groupMembers(p.groupId),
						draft: postDraft("post.published", p, "you are a member of this group", "New post in your group")
					}
				]
			: [],
	"post.commented": p => [
		...one(p.authorId, postDraft("post.commented", p, "you wrote this post", "New comment on your post")),
		...(p.parentAuthorId && p.parentAuthorId !== p.authorId
			? one(p.parentAuthorId, postDraft("post.commented", p, "you wrote the comment replied to", "New reply to your comment"))
			: [])
	],
	"post.reacted": p =>
		one(
			p.authorId,
			postDraft("post.reacted", p, "you wrote this post", `Someone found your post ${p.kind === "like" ? "likeable" : p.kind}`)
		),
	"contest.created": async (p, lookups) =>
		p.groupId
			? [
					{
						recipientIds: await lookups.groupMembers(p.groupId),
						draft: contestDraft("contest.created", p, "you are a member of this group", `New contest in your group: ${p.title}`)
					}
				]
			: [],
	"contest.started": async (p, lookups) => [
		{
			recipientIds: (await lookups.contestRanks(p.contestId)).map(r => r.userId),
			draft: contestDraft("contest.started", p, "you registered", `${p.title} has started`)
		}
	],
	// Each participant hears their own final rank: one audience per rank.
	"contest.ended": async (p, lookups) => {
		const byRank = Map.groupBy(await lookups.contestRanks(p.contestId), r => r.rank);
		return [...byRank].map(([rank, rows]) => ({
			recipientIds: rows.map(r => r.userId),
			draft: contestDraft(
				"contest.ended",
				p,
				"you took part",
				`${p.title} has ended`,
				`You finished ${ordinal(rank)} of ${p.participantCount}.`
			)
		}));
	}
};

/** A welcome is addressed to the one who registered: not news of their own action. */
const ABOUT_THE_ACTOR = new Set(["user.created"]);

/** The audiences of an event of the catalogue (its rule gets its payload, typed), without its actor. */
export async function audiencesOf<K extends EventType>(event: DomainEvent<DomainEvents[K], K>, lookups: Lookups): Promise<Audience[]> {
	const rule: Rule<K> | undefined = RULES[event.type];
	if (!rule) return [];
	const audiences = await rule(event.payload, lookups);
	const excluded = ABOUT_THE_ACTOR.has(event.type) ? null : event.actorId;
	return audiences
		.map(a => ({ ...a, recipientIds: [...new Set(a.recipientIds)].filter(id => id !== excluded) }))
		.filter(a => a.recipientIds.length > 0);
}
