import type { DomainEvent } from "../../lib/events/envelope";
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

type Rule = (payload: Record<string, unknown>, lookups: Lookups) => Promise<Audience[]> | Audience[];

const MODERATORS: GroupRole[] = ["owner", "admin"];
const str = (value: unknown) => String(value);

function groupDraft(
	type: NotificationType,
	p: Record<string, unknown>,
	reason: string,
	title: string,
	body = "",
	link = `/groups/${str(p.groupId)}`
): Draft {
	return { type, reason, subject: { kind: "group", id: str(p.groupId) }, groupId: str(p.groupId), title, body, link };
}

function postDraft(type: NotificationType, p: Record<string, unknown>, reason: string, title: string): Draft {
	return {
		type,
		reason,
		subject: { kind: "post", id: str(p.postId) },
		groupId: p.groupId ? str(p.groupId) : null,
		title,
		body: str(p.title),
		link: `/posts/${str(p.slug)}`
	};
}

function contestDraft(type: NotificationType, p: Record<string, unknown>, reason: string, title: string, body = ""): Draft {
	return {
		type,
		reason,
		subject: { kind: "contest", id: str(p.contestId) },
		groupId: p.groupId ? str(p.groupId) : null,
		title,
		body,
		link: `/contests/${str(p.contestId)}`
	};
}

const ordinal = (n: number) => `${n}${["th", "st", "nd", "rd"][n % 100 >= 11 && n % 100 <= 13 ? 0 : Math.min(n % 10, 4) % 4] ?? "th"}`;

const one = (recipientId: unknown, draft: Draft): Audience[] => (recipientId ? [{ recipientIds: [str(recipientId)], draft }] : []);

/**
 * Who hears of which event: the table the README reproduces. The actor never hears of their own
 * action (removed by the caller), and each recipient's preferences and group mutes apply.
 */
export const RULES: Partial<Record<string, Rule>> = {
	"user.created": p =>
		one(p.userId, {
			type: "user.created",
			reason: "you joined Code-Learn",
			subject: { kind: "user", id: str(p.userId) },
			groupId: null,
			title: `Welcome to Code-Learn, ${str(p.displayName)}!`,
			body: "Find a study group, write a post, or enter a contest.",
			link: "/"
		}),
	"group.invitation.created": p =>
		one(p.userId, groupDraft("group.invitation.created", p, "you were invited", `You are invited to join ${str(p.name)}`)),
	"group.request.created": p => [
		{
			recipientIds: (p.moderatorIds as string[]) ?? [],
			draft: groupDraft(
				"group.request.created",
				p,
				"you moderate this group",
				`Someone asked to join ${str(p.name)}`,
				"",
				`/groups/${str(p.groupId)}/requests`
			)
		}
	],
	"group.request.approved": p =>
		one(p.userId, groupDraft("group.request.approved", p, "you asked to join", `Welcome to ${str(p.name)}: your request was approved`)),
	"group.request.rejected": p =>
		one(p.userId, groupDraft("group.request.rejected", p, "you asked to join", `Your request to join ${str(p.name)} was declined`)),
	"group.member.removed": p =>
		one(p.userId, groupDraft("group.member.removed", p, "you were a member", `You were removed from ${str(p.name)}`)),
	"group.member.role_changed": p =>
		one(
			p.userId,
			groupDraft(
				"group.member.role_changed",
				p,
				"your role changed",
				`You are now ${p.to === "member" ? "a member" : `an ${str(p.to)}`} of ${str(p.name)}`
			)
		),
	"group.member.joined": async (p, lookups) => [
		{
			recipientIds: await lookups.groupMembers(str(p.groupId), MODERATORS),
			draft: groupDraft("group.member.joined", p, "you moderate this group", `A new member joined ${str(p.name)}`)
		}
	],
	"group.member.left": async (p, lookups) => [
		{
			recipientIds: await lookups.groupMembers(str(p.groupId), MODERATORS),
			draft: groupDraft("group.member.left", p, "you moderate this group", `A member left ${str(p.name)}`)
		}
	],
	"group.deleted": p => [
		{
			recipientIds: (p.memberIds as string[]) ?? [],
			draft: groupDraft("group.deleted", p, "you were a member", `${str(p.name)} was deleted`, "", "/groups")
		}
	],
	// A post published straight away also emits post.created; post.published alone covers both.
	"post.published": async (p, lookups) =>
		p.groupId
			? [
					{
						recipientIds: await lookups.groupMembers(str(p.groupId)),
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
			postDraft("post.reacted", p, "you wrote this post", `Someone found your post ${p.kind === "like" ? "likeable" : str(p.kind)}`)
		),
	"contest.created": async (p, lookups) =>
		p.groupId
			? [
					{
						recipientIds: await lookups.groupMembers(str(p.groupId)),
						draft: contestDraft(
							"contest.created",
							p,
							"you are a member of this group",
							`New contest in your group: ${str(p.title)}`
						)
					}
				]
			: [],
	"contest.started": async (p, lookups) => [
		{
			recipientIds: (await lookups.contestRanks(str(p.contestId))).map(r => r.userId),
			draft: contestDraft("contest.started", p, "you registered", `${str(p.title)} has started`)
		}
	],
	// Each participant hears their own final rank: one audience per rank.
	"contest.ended": async (p, lookups) => {
		const byRank = Map.groupBy(await lookups.contestRanks(str(p.contestId)), r => r.rank);
		return [...byRank].map(([rank, rows]) => ({
			recipientIds: rows.map(r => r.userId),
			draft: contestDraft(
				"contest.ended",
				p,
				"you took part",
				`${str(p.title)} has ended`,
				`You finished ${ordinal(rank)} of ${str(p.participantCount)}.`
			)
		}));
	}
};

/** A welcome is addressed to the one who registered: not news of their own action. */
const ABOUT_THE_ACTOR = new Set(["user.created"]);

/** The audiences of an event, without its actor. */
export async function audiencesOf(event: DomainEvent<object>, lookups: Lookups): Promise<Audience[]> {
	const rule = RULES[event.type];
	if (!rule) return [];
	const audiences = await rule(event.payload as Record<string, unknown>, lookups);
	const excluded = ABOUT_THE_ACTOR.has(event.type) ? null : event.actorId;
	return audiences
		.map(a => ({ ...a, recipientIds: [...new Set(a.recipientIds)].filter(id => id !== excluded) }))
		.filter(a => a.recipientIds.length > 0);
}
