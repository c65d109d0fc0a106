import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Audience, audiencesOf, type Lookups } from "./recipients";

type Event = Parameters<typeof audiencesOf>[0];

const eventOf = (type: string, payload: Record<string, unknown>, actorId: string | null = "actor"): Event =>
	({
		id: "e1",
		type,
		version: 1,
		producer: "test",
		occurredAt: "2026-03-01T10:00:00.000Z",
		aggregateId: "agg",
		actorId,
		payload
	}) as unknown as Event;

/** Lookups over fixed answers, recording what the rules asked. */
function lookupsOf(members: string[] = [], ranks: { userId: string; rank: number }[] = []) {
	const asked: unknown[][] = [];
	const lookups: Lookups = {
		async groupMembers(groupId, roles) {
			asked.push(["groupMembers", groupId, roles]);
			return members;
		},
		async contestRanks(contestId) {
			asked.push(["contestRanks", contestId]);
			return ranks;
		}
	};
	return { lookups, asked };
}

const who = (audiences: Audience[]) => audiences.map(a => [a.draft.title, a.recipientIds]);

describe("notification recipients", () => {
	it("when an event has no rule then nobody hears of it", async () => {
		assert.deepEqual(await audiencesOf(eventOf("post.viewed", { postId: "p" }), lookupsOf(["u1"]).lookups), []);
	});

	it("when a user registers then the welcome goes to them, although they are the actor", async () => {
		const audiences = await audiencesOf(eventOf("user.created", { userId: "u1", displayName: "Ada" }, "u1"), lookupsOf().lookups);
		assert.deepEqual(audiences, [
			{
				recipientIds: ["u1"],
				draft: {
					type: "user.created",
					reason: "you joined Code-Learn",
					subject: { kind: "user", id: "u1" },
					groupId: null,
					title: "Welcome to Code-Learn, Ada!",
					body: "Find a study group, write a post, or enter a contest.",
					link: "/"
				}
			}
		]);
	});

	it("when a member joins then the group's owners and admins hear of it, once each, without the actor", async () => {
		const { lookups, asked } = lookupsOf(["owner1", "actor", "admin1", "owner1"]);
		const audiences = await audiencesOf(eventOf("group.member.joined", { groupId: "g1", name: "Rustaceans" }), lookups);
		assert.deepEqual(asked, [["groupMembers", "g1", ["owner", "admin"]]]);
		assert.deepEqual(audiences, [
			{
				recipientIds: ["owner1", "admin1"],
				draft: {
					type: "group.member.joined",
					reason: "you moderate this group",
					subject: { kind: "group", id: "g1" },
					groupId: "g1",
					title: "A new member joined Rustaceans",
					body: "",
					link: "/groups/g1"
				}
			}
		]);
	});

	it("when the only recipient is the actor then no audience is left", async () => {
		const audiences = await audiencesOf(eventOf("group.member.joined", { groupId: "g1", name: "G" }), lookupsOf(["actor"]).lookups);
		assert.deepEqual(audiences, []);
	});

	it("when a join request arrives then the moderators named in the event hear of it, linked to the requests", async () => {
		const [audience] = await audiencesOf(
			eventOf("group.request.created", { groupId: "g1", name: "G", moderatorIds: ["m1", "m2"] }),
			lookupsOf().lookups
		);
		assert.deepEqual(
			[audience.recipientIds, audience.draft.title, audience.draft.link],
			[["m1", "m2"], "Someone asked to join G", "/groups/g1/requests"]
		);
	});

	it("when a role changes then the title says 'a member' or 'an <role>'", async () => {
		const title = async (to: string) =>
			(await audiencesOf(eventOf("group.member.role_changed", { groupId: "g", name: "G", userId: "u1", to }), lookupsOf().lookups))[0]
				.draft.title;
		assert.deepEqual(
			[await title("member"), await title("admin"), await title("owner")],
			["You are now a member of G", "You are now an admin of G", "You are now an owner of G"]
		);
	});

	it("when a reply is commented then the post's author and the replied-to comment's author each hear of it", async () => {
		const payload = { postId: "p1", slug: "hello", title: "Hello", groupId: null, authorId: "a1", parentAuthorId: "a2" };
		const audiences = await audiencesOf(eventOf("post.commented", payload), lookupsOf().lookups);
		assert.deepEqual(who(audiences), [
			["New comment on your post", ["a1"]],
			["New reply to your comment", ["a2"]]
		]);
		assert.deepEqual(audiences[1].draft, {
			type: "post.commented",
			reason: "you wrote the comment replied to",
			subject: { kind: "post", id: "p1" },
			groupId: null,
			title: "New reply to your comment",
			body: "Hello",
			link: "/posts/hello"
		});
	});

	it("when the replied-to comment is the post author's own then they hear of it once", async () => {
		const payload = { postId: "p1", slug: "s", title: "T", authorId: "a1", parentAuthorId: "a1" };
		assert.deepEqual(who(await audiencesOf(eventOf("post.commented", payload), lookupsOf().lookups)), [
			["New comment on your post", ["a1"]]
		]);
	});

	it("when authors comment on their own post then only the replied-to author hears of it", async () => {
		const payload = { postId: "p1", slug: "s", title: "T", authorId: "actor", parentAuthorId: "a2" };
		assert.deepEqual(who(await audiencesOf(eventOf("post.commented", payload), lookupsOf().lookups)), [
			["New reply to your comment", ["a2"]]
		]);
	});

	it("when a post is published outside a group then nobody is told; inside one, its members are", async () => {
		const { lookups, asked } = lookupsOf(["m1", "actor"]);
		assert.deepEqual(await audiencesOf(eventOf("post.published", { postId: "p", slug: "s", title: "T", groupId: null }), lookups), []);
		assert.deepEqual(asked, []);
		const audiences = await audiencesOf(eventOf("post.published", { postId: "p", slug: "s", title: "T", groupId: "g1" }), lookups);
		assert.deepEqual(asked, [["groupMembers", "g1", undefined]]);
		assert.deepEqual(who(audiences), [["New post in your group", ["m1"]]]);
	});

	it("when a contest ends then each rank's participants hear their own place, in ordinals", async () => {
		const ranks = [
			{ userId: "u1", rank: 1 },
			{ userId: "u2", rank: 1 },
			{ userId: "u3", rank: 3 },
			{ userId: "u4", rank: 11 },
			{ userId: "u5", rank: 22 },
			{ userId: "u6", rank: 112 },
			{ userId: "u7", rank: 121 }
		];
		const audiences = await audiencesOf(
			eventOf("contest.ended", { contestId: "c1", title: "Spring Cup", groupId: null, participantCount: 130 }, null),
			lookupsOf([], ranks).lookups
		);
		assert.deepEqual(
			audiences.map(a => [a.recipientIds, a.draft.body]),
			[
				[["u1", "u2"], "You finished 1st of 130."],
				[["u3"], "You finished 3rd of 130."],
				[["u4"], "You finished 11th of 130."],
				[["u5"], "You finished 22nd of 130."],
				[["u6"], "You finished 112th of 130."],
				[["u7"], "You finished 121st of 130."]
			]
		);
		assert.deepEqual(
			[audiences[0].draft.title, audiences[0].draft.link, audiences[0].draft.subject],
			["Spring Cup has ended", "/contests/c1", { kind: "contest", id: "c1" }]
		);
	});
});
