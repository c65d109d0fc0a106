/**
 * The notifications service through the gateway, behaviour first: who hears of which event (and
 * never of their own action), the inbox and its unread count, preferences and group mutes,
 * redelivery, the Server-Sent Events stream, and, in a cluster over NATS and RabbitMQ, delivery
 * across gateways, a node that was down, and a 1,000-member fan-out. What the tests observe: the
 * API, the SSE stream and the notifications database (rows created after a mark, once every event
 * so far has been handled).
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { after, before, describe, it } from "node:test";
import amqp from "amqplib";
import type { ServiceBroker } from "moleculer";
import { AmqpTransport } from "../../lib/events/amqp-transport";
import { createEvent, type DomainEvent } from "../../lib/events/envelope";
import { queueName } from "../../lib/events/topology";
import { EVENT_TOPOLOGY } from "../../services/contracts";
import { NOTIFICATION_TYPES } from "../../services/notifications/notifications.types";
import { deleteEventTopology } from "../helpers/amqp";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import {
	addressed,
	assertError,
	NOTIFICATION_KEYS,
	NotificationsDb,
	notificationsPlatform,
	ok,
	registerMany,
	socialClient,
	SseStream,
	type TestUser
} from "../helpers/notifications";
import { type Platform, startPlatform } from "../helpers/platform";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_KEYS = ["page", "pageSize", "rows", "total", "totalPages"];
const DEFAULT_PREFERENCES = Object.fromEntries(NOTIFICATION_TYPES.map(type => [type, { inApp: true }]));
/** From the write's request to the frame on another gateway's stream (issue 7). */
const CROSS_GATEWAY_DEADLINE_MS = 1000;
/** From the post's 201 to the 999th notification row (issue 7). */
const FAN_OUT_DEADLINE_MS = 2000;

/** `[recipientId, type]` pairs, sorted as `addressed()` sorts them. */
function pairs(...list: [TestUser, string][]): [string, string][] {
	return list.map(([user, type]) => [user.id, type] as [string, string]).sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

interface StreamsOwner {
	streams: { openCount: number };
}

describe(
	"notifications through the gateway, in one process, on the real PostgreSQL and Redis",
	{ skip: unavailable("postgres", "redis") },
	() => {
		const h = notificationsPlatform();
		const n = socialClient(() => h.api);
		let unused: TestUser[] = [];

		/** Users nobody else in this file has touched, so that each test reads only its own notifications. */
		function take(count: number): TestUser[] {
			assert.ok(unused.length >= count, `not enough registered users left (${unused.length} < ${count})`);
			return unused.splice(0, count);
		}

		const openStreams = () => (h.platform.broker.getLocalService("gateway") as unknown as StreamsOwner).streams.openCount;
		const streamUrl = (query = "") => `${h.platform.baseUrl}/api/notifications/stream${query}`;
		const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

		before(async () => {
			await h.start();
			unused = await h.registerMany(66, "ntf");
			await h.settled();
		});

		after(() => h.stop());

		describe("recipient rules", () => {
			it("when someone registers then they, and only they, get one welcome notification (user.created: the one notification of one's own action)", async () => {
				const [user] = take(1);
				const rows = await h.db.rows(`type = 'user.created' AND subject_id = $1`, [user.id]);
				assert.deepEqual(addressed(rows), pairs([user, "user.created"]));
				const inbox = await n.inbox(user);
				assert.equal(inbox.length, 1, JSON.stringify(inbox));
				const [welcome] = inbox;
				assert.deepEqual(Object.keys(welcome).sort(), NOTIFICATION_KEYS);
				assert.equal(welcome.id, rows[0].id);
				assert.match(welcome.id, UUID);
				assert.match(welcome.createdAt, ISO);
				assert.deepEqual(
					{
						type: welcome.type,
						actorId: welcome.actorId,
						subject: welcome.subject,
						groupId: welcome.groupId,
						link: welcome.link,
						read: welcome.read
					},
					{
						type: "user.created",
						actorId: user.id,
						subject: { kind: "user", id: user.id },
						groupId: null,
						link: "/",
						read: false
					}
				);
				assert.ok(welcome.title.length > 0 && welcome.reason.length > 0, "a title and a reason");
			});

			it("when an admin invites a user then the invitee alone is told, with a link to the group", async () => {
				const [owner, invitee] = take(2);
				const group = await n.group(owner, { joinPolicy: "invite" });
				const rows = await h.created(async () =>
					ok(
						await h.api("POST", `/api/groups/${group.id}/invitations`, { token: owner.token, body: { userId: invitee.id } }),
						201
					)
				);
				assert.deepEqual(addressed(rows), pairs([invitee, "group.invitation.created"]));
				const [view] = await n.inbox(invitee, "pageSize=1");
				assert.equal(view.id, rows[0].id);
				assert.deepEqual(
					{ actorId: view.actorId, subject: view.subject, groupId: view.groupId, link: view.link },
					{ actorId: owner.id, subject: { kind: "group", id: group.id }, groupId: group.id, link: `/groups/${group.id}` }
				);
				assert.ok(view.title.includes(group.name), `the title names the group: ${view.title}`);
			});

			it("when a user asks to join then the owners and admins are told; on approval the requester is told and the other moderators hear of the new member; on rejection the requester is told", async () => {
				const [owner, admin, accepted, declined] = take(4);
				const group = await n.group(owner, { admins: [admin], joinPolicy: "request" });
				const join = async (user: TestUser) =>
					assert.equal((await h.api("POST", `/api/groups/${group.id}/join`, { token: user.token })).status, 202);

				let rows = await h.created(() => join(accepted));
				assert.deepEqual(addressed(rows), pairs([owner, "group.request.created"], [admin, "group.request.created"]));
				assert.ok(rows.every(r => r.actorId === accepted.id && r.subjectId === group.id));

				rows = await h.created(async () =>
					ok(await h.api("POST", `/api/groups/${group.id}/requests/${accepted.id}/approve`, { token: admin.token }))
				);
				// The admin who approved is the actor of both events: told of neither.
				assert.deepEqual(addressed(rows), pairs([accepted, "group.request.approved"], [owner, "group.member.joined"]));

				await h.created(() => join(declined));
				rows = await h.created(async () =>
					assert.equal(
						(await h.api("POST", `/api/groups/${group.id}/requests/${declined.id}/reject`, { token: owner.token })).status,
						204
					)
				);
				assert.deepEqual(addressed(rows), pairs([declined, "group.request.rejected"]));
			});

			it("when a member joins or leaves an open group then its owners and admins are told, not the member nor plain members", async () => {
				const [owner, admin, plain, joiner] = take(4);
				const group = await n.group(owner, { members: [plain], admins: [admin] });
				let rows = await h.created(async () => ok(await h.api("POST", `/api/groups/${group.id}/join`, { token: joiner.token })));
				assert.deepEqual(addressed(rows), pairs([owner, "group.member.joined"], [admin, "group.member.joined"]));
				assert.ok(rows.every(r => r.actorId === joiner.id && r.groupId === group.id));

				rows = await h.created(async () =>
					assert.equal((await h.api("POST", `/api/groups/${group.id}/leave`, { token: joiner.token })).status, 204)
				);
				assert.deepEqual(addressed(rows), pairs([owner, "group.member.left"], [admin, "group.member.left"]));
			});

			it("when an admin removes a member then the removed member alone is told", async () => {
				const [owner, admin, member] = take(3);
				const group = await n.group(owner, { members: [member], admins: [admin] });
				const rows = await h.created(async () =>
					assert.equal(
						(await h.api("DELETE", `/api/groups/${group.id}/members/${member.id}`, { token: admin.token })).status,
						204
					)
				);
				assert.deepEqual(addressed(rows), pairs([member, "group.member.removed"]));
				assert.equal(rows[0].actorId, admin.id);
			});

			it("when an owner changes a member's role then that member alone is told, with the new role", async () => {
				const [owner, member] = take(2);
				const group = await n.group(owner, { members: [member] });
				const setRole = async (role: string) =>
					ok(await h.api("PATCH", `/api/groups/${group.id}/members/${member.id}`, { token: owner.token, body: { role } }));

				let rows = await h.created(() => setRole("admin"));
				assert.deepEqual(addressed(rows), pairs([member, "group.member.role_changed"]));
				let [view] = await n.inbox(member, "pageSize=1");
				assert.match(view.title, /an admin/);

				rows = await h.created(() => setRole("member"));
				assert.deepEqual(addressed(rows), pairs([member, "group.member.role_changed"]));
				[view] = await n.inbox(member, "pageSize=1");
				assert.match(view.title, /a member/);
			});

			it("when an owner deletes a group then every former member but the owner is told", async () => {
				const [owner, admin, member] = take(3);
				const group = await n.group(owner, { members: [member], admins: [admin] });
				const rows = await h.created(async () =>
					assert.equal((await h.api("DELETE", `/api/groups/${group.id}`, { token: owner.token })).status, 204)
				);
				assert.deepEqual(addressed(rows), pairs([admin, "group.deleted"], [member, "group.deleted"]));
				const [view] = await n.inbox(member, "pageSize=1");
				assert.equal(view.link, "/groups");
			});

			it("when a member publishes a post in a group then every other member is told (one notification each, not the author, not outsiders); a post outside any group tells nobody", async () => {
				const [owner, first, second, author, outsider] = take(5);
				const group = await n.group(owner, { members: [first, second, author] });
				let post: { id: string; slug: string; title: string } | undefined;
				let rows = await h.created(async () => (post = await n.post(author, { groupId: group.id })));
				assert.deepEqual(addressed(rows), pairs([owner, "post.published"], [first, "post.published"], [second, "post.published"]));
				assert.ok(
					rows.every(
						r => r.actorId === author.id && r.subjectKind === "post" && r.subjectId === post!.id && r.groupId === group.id
					)
				);
				const [view] = await n.inbox(first, "pageSize=1");
				assert.deepEqual({ link: view.link, body: view.body }, { link: `/posts/${post!.slug}`, body: post!.title });
				assert.deepEqual(
					(await n.inbox(outsider)).map(v => v.type),
					["user.created"],
					"the outsider has only a welcome"
				);

				rows = await h.created(() => n.post(author));
				assert.deepEqual(rows, [], "a post outside any group tells nobody");
			});

			it("when a draft is created in a group then nobody is told (post.created alone), and when it is published then the other members are", async () => {
				const [owner, member, author] = take(3);
				const group = await n.group(owner, { members: [member, author] });
				let draft: { id: string } | undefined;
				let rows = await h.created(async () => (draft = await n.post(author, { groupId: group.id, status: "draft" })));
				assert.deepEqual(rows, []);
				rows = await h.created(async () =>
					ok(await h.api("PATCH", `/api/posts/${draft!.id}`, { token: author.token, body: { status: "published" } }))
				);
				assert.deepEqual(addressed(rows), pairs([owner, "post.published"], [member, "post.published"]));
			});

			it("when someone comments then the post's author is told; a reply also tells the parent comment's author; nobody is told of their own comment", async () => {
				const [author, commenter, replier] = take(3);
				const post = await n.post(author);
				let top: { id: string } | undefined;
				let rows = await h.created(async () => (top = await n.comment(post.id, commenter)));
				assert.deepEqual(addressed(rows), pairs([author, "post.commented"]));
				assert.equal(rows[0].actorId, commenter.id);

				let reply: { id: string } | undefined;
				rows = await h.created(async () => (reply = await n.comment(post.id, replier, top!.id)));
				assert.deepEqual(addressed(rows), pairs([author, "post.commented"], [commenter, "post.commented"]));
				const [toAuthor] = await n.inbox(author, "pageSize=1");
				const [toParent] = await n.inbox(commenter, "pageSize=1");
				assert.notEqual(toAuthor.reason, toParent.reason, "each is told why: their post, or their comment replied to");

				rows = await h.created(() => n.comment(post.id, author, reply!.id));
				assert.deepEqual(
					addressed(rows),
					pairs([replier, "post.commented"]),
					"the author replying is the actor: only the parent's author hears"
				);

				rows = await h.created(() => n.comment(post.id, commenter, top!.id));
				assert.deepEqual(
					addressed(rows),
					pairs([author, "post.commented"]),
					"a reply to one's own comment tells only the post's author"
				);

				rows = await h.created(() => n.comment(post.id, author));
				assert.deepEqual(rows, [], "the author commenting on their own post tells nobody");
			});

			it("when someone reacts to a post then its author is told; the author's own reaction and an unreaction tell nobody", async () => {
				const [author, fan] = take(2);
				const post = await n.post(author);
				let rows = await h.created(() => n.react(post.id, fan));
				assert.deepEqual(addressed(rows), pairs([author, "post.reacted"]));
				assert.deepEqual({ actorId: rows[0].actorId, subjectId: rows[0].subjectId }, { actorId: fan.id, subjectId: post.id });

				rows = await h.created(() => n.react(post.id, author));
				assert.deepEqual(rows, []);
				rows = await h.created(async () => ok(await h.api("DELETE", `/api/posts/${post.id}/reactions/like`, { token: fan.token })));
				assert.deepEqual(rows, []);
			});

			it("when a user deletes their account then their notifications, preferences and mutes are deleted, and nobody else's", async () => {
				const [owner, leaving, staying] = take(3);
				const group = await n.group(owner, { members: [leaving, staying] });
				// Settled before the mute: a mute stored first would silence the post's notification.
				await h.created(() => n.post(owner, { groupId: group.id }));
				ok(await n.setPreferences(leaving, { "post.reacted": { inApp: false } }));
				assert.equal((await n.mute(leaving, group.id)).status, 204);
				await h.settled();
				const footprint = await h.db.footprint(leaving.id);
				assert.ok(
					footprint.notifications >= 2 && footprint.preferences === 1 && footprint.mutes === 1,
					`the leaving user has rows to delete: ${JSON.stringify(footprint)}`
				);
				const staysBefore = await h.db.footprint(staying.id);
				assert.ok(staysBefore.notifications >= 2);

				assert.equal((await h.api("DELETE", "/api/users/me", { token: leaving.token })).status, 204);
				await h.settled();
				assert.deepEqual(await h.db.footprint(leaving.id), { notifications: 0, preferences: 0, mutes: 0 });
				assert.deepEqual(await h.db.footprint(staying.id), staysBefore);
			});
		});

		describe("the inbox", () => {
			it("when a user lists notifications then they get their own, newest first, paginated; ?unread=true leaves out the read; a page size over 100 is 422", async () => {
				const [reader, commenter] = take(2);
				const post = await n.post(reader);
				for (let i = 0; i < 4; i++) await n.comment(post.id, commenter);
				await h.settled();

				const all = ok(await n.list(reader, "pageSize=100"));
				assert.deepEqual(Object.keys(all).sort(), PAGE_KEYS);
				assert.deepEqual(
					{ total: all.total, page: all.page, pageSize: all.pageSize, totalPages: all.totalPages },
					{ total: 5, page: 1, pageSize: 100, totalPages: 1 }
				);
				assert.deepEqual(
					all.rows.map((r: any) => r.type),
					["post.commented", "post.commented", "post.commented", "post.commented", "user.created"]
				);
				const stored = await h.db.rows(`recipient_id = $1`, [reader.id]);
				assert.deepEqual(
					all.rows.map((r: any) => r.id),
					stored.map(r => r.id).reverse(),
					"newest first"
				);
				for (const row of all.rows) assert.deepEqual(Object.keys(row).sort(), NOTIFICATION_KEYS);

				const pages = [];
				for (let page = 1; page <= 3; page++) {
					const body = ok(await n.list(reader, `pageSize=2&page=${page}`));
					assert.deepEqual(
						{ total: body.total, page: body.page, pageSize: body.pageSize, totalPages: body.totalPages },
						{ total: 5, page, pageSize: 2, totalPages: 3 }
					);
					pages.push(...body.rows);
				}
				assert.deepEqual(pages, all.rows, "the pages, in order, are the whole list");
				assert.deepEqual(ok(await n.list(reader, "pageSize=2&page=4")).rows, []);

				ok(await n.markRead(reader, all.rows[1].id));
				const unread = ok(await n.list(reader, "unread=true&pageSize=100"));
				assert.equal(unread.total, 4);
				assert.deepEqual(
					unread.rows.map((r: any) => r.id),
					all.rows.filter((_: unknown, i: number) => i !== 1).map((r: any) => r.id)
				);

				for (const query of ["pageSize=101", "pageSize=0", "page=0", "unread=maybe"]) {
					assertError(await n.list(reader, query), 422, "VALIDATION_ERROR");
				}
			});

			it("when notifications arrive or are read then the (cached) unread count changes at once", async () => {
				const [reader, commenter] = take(2);
				const post = await n.post(reader);
				await h.settled();
				assert.equal(await n.unreadCount(reader), 1, "the welcome");
				assert.equal(await n.unreadCount(reader), 1, "cached now");

				await n.comment(post.id, commenter);
				await n.comment(post.id, commenter);
				await h.settled();
				assert.equal(await n.unreadCount(reader), 3, "right after the new notifications");

				const [newest] = await n.inbox(reader);
				ok(await n.markRead(reader, newest.id));
				assert.equal(await n.unreadCount(reader), 2, "right after one was read");

				assert.deepEqual(ok(await n.readAll(reader)), { updated: 2 });
				assert.equal(await n.unreadCount(reader), 0, "right after all were read");
				assertError(await h.api("GET", "/api/notifications/unread-count"), 401);
			});

			it("when a user marks someone else's notification, or an unknown one, read then 404 and the owner's stays unread; their own becomes read", async () => {
				const [owner, other] = take(2);
				const [welcome] = await n.inbox(owner);
				assert.equal(welcome.read, false);

				assertError(await n.markRead(other, welcome.id), 404, "NOT_FOUND");
				assertError(await n.markRead(other, randomUUID()), 404, "NOT_FOUND");
				assertError(await n.markRead(other, "not-a-uuid"), 422, "VALIDATION_ERROR");
				assertError(await h.api("POST", `/api/notifications/${welcome.id}/read`), 401);
				assert.deepEqual(await n.inbox(owner), [welcome], "the owner's notification is still unread");
				assert.equal(await n.unreadCount(owner), 1);
				assert.ok(!(await n.inbox(other)).some(v => v.id === welcome.id), "nobody lists someone else's notifications");

				const read = ok(await n.markRead(owner, welcome.id));
				assert.deepEqual(read, { ...welcome, read: true });
				assert.deepEqual(ok(await n.markRead(owner, welcome.id)), read, "marking again changes nothing");
				assert.deepEqual(await n.inbox(owner), [read]);
				assert.equal(await n.unreadCount(owner), 0);
				assert.equal(await n.unreadCount(other), 1, "the other user's own notification is untouched");
			});

			it("when a user marks all read before a time then those created at or before it are read and newer ones stay unread", async () => {
				const [reader, commenter] = take(2);
				const post = await n.post(reader);
				await n.comment(post.id, commenter);
				await n.comment(post.id, commenter);
				await h.settled();
				const [cutoff] = await n.inbox(reader, "pageSize=1");
				await n.comment(post.id, commenter);
				await h.settled();
				const [newer] = await n.inbox(reader, "pageSize=1");
				assert.ok(newer.createdAt > cutoff.createdAt, `the newer one is later: ${newer.createdAt} > ${cutoff.createdAt}`);

				assertError(await n.readAll(reader, { before: "not a date" }), 422, "VALIDATION_ERROR");
				assertError(await n.readAll(reader, { before: cutoff.createdAt, extra: true }), 422, "VALIDATION_ERROR");
				assert.equal(await n.unreadCount(reader), 4, "a rejected read-all changed nothing");

				// `before` is the cut-off notification's own time: it is included.
				assert.deepEqual(ok(await n.readAll(reader, { before: cutoff.createdAt })), { updated: 3 });
				const inbox = await n.inbox(reader);
				assert.deepEqual(
					inbox.map(v => [v.id, v.read]),
					inbox.map(v => [v.id, v.id !== newer.id])
				);
				assert.equal(await n.unreadCount(reader), 1);

				assert.deepEqual(ok(await n.readAll(reader)), { updated: 1 }, "without `before`: everything up to now");
				assert.deepEqual(ok(await n.readAll(reader)), { updated: 0 });
			});
		});

		describe("preferences and group mutes", () => {
			it("when a user reads preferences then every notification type is listed, on by default", async () => {
				const [user] = take(1);
				assert.deepEqual(ok(await n.preferences(user)), DEFAULT_PREFERENCES);
				assertError(await h.api("GET", "/api/notifications/preferences"), 401);
			});

			it("when a user changes preferences then only the listed types change; an unknown type or a non-boolean is 422 and changes nothing", async () => {
				const [user] = take(1);
				const off = { ...DEFAULT_PREFERENCES, "post.reacted": { inApp: false }, "group.member.joined": { inApp: false } };
				assert.deepEqual(
					ok(await n.setPreferences(user, { "post.reacted": { inApp: false }, "group.member.joined": { inApp: false } })),
					off
				);
				assert.deepEqual(ok(await n.preferences(user)), off);

				const back = { ...off, "post.reacted": { inApp: true } };
				assert.deepEqual(ok(await n.setPreferences(user, { "post.reacted": { inApp: true } })), back);

				for (const body of [
					{ "post.deleted": { inApp: false } },
					{ "post.commented": { inApp: "no" } },
					{ "post.commented": { inApp: 0 } },
					{ "post.commented": {} },
					{ "post.commented": { inApp: false, email: true } },
					{ "post.commented": false },
					{ "post.commented": { inApp: false }, "not.a.type": { inApp: false } }
				]) {
					assertError(await n.setPreferences(user, body), 422, "VALIDATION_ERROR");
				}
				assert.deepEqual(ok(await n.preferences(user)), back, "the rejected changes changed nothing");
			});

			it("when a type is turned off then that user gets nothing of it while other types still arrive; turned on again, it arrives again", async () => {
				const [author, fan] = take(2);
				const post = await n.post(author);
				ok(await n.setPreferences(author, { "post.reacted": { inApp: false } }));
				let rows = await h.created(async () => {
					await n.react(post.id, fan);
					await n.comment(post.id, fan);
				});
				assert.deepEqual(addressed(rows), pairs([author, "post.commented"]));

				ok(await n.setPreferences(author, { "post.reacted": { inApp: true } }));
				rows = await h.created(() => n.react(post.id, fan, "helpful"));
				assert.deepEqual(addressed(rows), pairs([author, "post.reacted"]));
			});

			it("when a user mutes a group then nothing of that group reaches them (other members still hear) until they unmute it", async () => {
				const [owner, muter, other, author] = take(4);
				const group = await n.group(owner, { members: [muter, other, author] });
				assert.deepEqual(ok(await n.mutes(muter)), { groupIds: [] });

				const muted = await n.mute(muter, group.id);
				assert.equal(muted.status, 204, JSON.stringify(muted.body));
				assert.equal((await n.mute(muter, group.id)).status, 204, "muting again is fine");
				assert.deepEqual(ok(await n.mutes(muter)), { groupIds: [group.id] });
				assert.deepEqual(ok(await n.mutes(other)), { groupIds: [] }, "a mute is the muter's own");

				let rows = await h.created(() => n.post(author, { groupId: group.id }));
				assert.deepEqual(addressed(rows), pairs([owner, "post.published"], [other, "post.published"]));

				assert.equal((await n.unmute(muter, group.id)).status, 204);
				assert.deepEqual(ok(await n.mutes(muter)), { groupIds: [] });
				rows = await h.created(() => n.post(author, { groupId: group.id }));
				assert.deepEqual(addressed(rows), pairs([owner, "post.published"], [other, "post.published"], [muter, "post.published"]));
			});

			it("when a mute names no group id then 422 and the mutes stay as they were", async () => {
				const [user, owner] = take(2);
				const group = await n.group(owner);
				assert.equal((await n.mute(user, group.id)).status, 204);
				assertError(await n.mute(user, "not-a-uuid"), 422, "VALIDATION_ERROR");
				assertError(await n.unmute(user, "not-a-uuid"), 422, "VALIDATION_ERROR");
				assertError(await h.api("PUT", `/api/notifications/mutes/groups/${group.id}`), 401);
				assert.deepEqual(ok(await n.mutes(user)), { groupIds: [group.id] });
			});
		});

		describe("redelivery", () => {
			it("when the same event is delivered twice, even at once, then one notification; past the inbox, the (recipient, event, type) key still makes it one", async () => {
				const [author, fan] = take(2);
				const post = await n.post(author);
				await h.settled();
				const event = createEvent("posts", {
					type: "post.reacted",
					aggregateId: post.id,
					actorId: fan.id,
					payload: {
						postId: post.id,
						slug: post.slug,
						title: post.title,
						authorId: author.id,
						groupId: null,
						userId: fan.id,
						kind: "like"
					}
				});
				const inbox = (
					h.platform.broker.getLocalService("notifications") as unknown as { inbox: { deliver(e: DomainEvent): Promise<void> } }
				).inbox;
				await Promise.all([inbox.deliver(event), inbox.deliver(event)]);
				await inbox.deliver(event);
				const rows = await h.db.rows(`event_id = $1`, [event.id]);
				assert.deepEqual(addressed(rows), pairs([author, "post.reacted"]));

				// As if the inbox had lost its record of the event (a replay): the notification's own key holds.
				await h.db.pool.query(`DELETE FROM notifications.processed_events WHERE event_id = $1`, [event.id]);
				await inbox.deliver(event);
				assert.deepEqual(await h.db.rows(`event_id = $1`, [event.id]), rows);
				const { rows: retries } = await h.db.pool.query(
					`SELECT count(*)::int AS n FROM notifications.event_retries WHERE event_id = $1`,
					[event.id]
				);
				assert.equal(retries[0].n, 0, "the replay succeeded (created nothing), it is not waiting for a retry");
				assert.equal(await n.unreadCount(author), 2, "the welcome and one reaction");
			});
		});

		describe("the Server-Sent Events stream", () => {
			it("when the stream is asked for without credentials, with a bad token or ticket, or with an access token as a ticket then 401 JSON and nothing stays open", async () => {
				const [user] = take(1);
				const before = openStreams();
				for (const [query, headers] of [
					["", {}],
					["", { authorization: "Bearer not.a.token" }],
					["", { authorization: "Basic dXNlcjpwdw==" }],
					["?ticket=not.a.ticket", {}],
					[`?ticket=${user.token}`, {}]
				] as [string, Record<string, string>][]) {
					const res = await SseStream.open(streamUrl(query), headers);
					assert.ok(!(res instanceof SseStream), `${query} ${JSON.stringify(headers)}: not a stream`);
					assertError(res as { status: number; headers: Headers; body: any }, 401);
					assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
				}
				assert.equal(openStreams(), before);
			});

			it("when the session has ended (logout) then neither its access token nor a ticket issued before opens a stream", async () => {
				const [user] = take(1);
				const { ticket } = ok(await h.api("POST", "/api/notifications/stream-ticket", { token: user.token }));
				const before = openStreams();
				assert.equal((await h.api("POST", "/api/auth/logout", { token: user.token })).status, 204);
				for (const [query, headers] of [
					["", bearer(user)],
					[`?ticket=${encodeURIComponent(ticket)}`, {}]
				] as [string, Record<string, string>][]) {
					const res = await SseStream.open(streamUrl(query), headers);
					assert.ok(!(res instanceof SseStream), `${query || "Bearer"}: not a stream after logout`);
					assert.equal(res.status, 401, JSON.stringify(res.body));
				}
				assert.equal(openStreams(), before);
			});

			it("when a client streams with its Bearer token then each new notification arrives as id / event: notification / data (the inbox view, no recipientId), and closing frees the stream", async () => {
				const [reader, commenter] = take(2);
				const post = await n.post(reader);
				await h.settled();
				const before = openStreams();
				const stream = await SseStream.connect(streamUrl(), bearer(reader));
				try {
					assert.equal(openStreams(), before + 1);
					await n.comment(post.id, commenter);
					const frame = await stream.waitFor("the comment's notification", f => f.event === "notification", 5000);
					const [latest] = await n.inbox(reader, "pageSize=1");
					assert.equal(frame.id, latest.id);
					assert.deepEqual(JSON.parse(frame.data!), latest);
					assert.ok(!frame.data!.includes("recipientId"));
					assert.equal(stream.notifications().length, 1, "only the new notification, not the older welcome");
				} finally {
					await stream.close();
				}
				await eventually(
					"the gateway forgets the closed stream",
					async () => openStreams(),
					count => count === before,
					2000
				);
			});

			it("when a browser gets a stream ticket then ?ticket= opens the stream, and the ticket opens nothing else", async () => {
				const [reader, commenter] = take(2);
				const post = await n.post(reader);
				await h.settled();
				assertError(await h.api("POST", "/api/notifications/stream-ticket"), 401);
				const issued = ok(await h.api("POST", "/api/notifications/stream-ticket", { token: reader.token }));
				assert.deepEqual(Object.keys(issued).sort(), ["expiresIn", "ticket"]);
				assert.equal(issued.expiresIn, 60);
				assertError(await h.api("GET", "/api/notifications", { token: issued.ticket }), 401);

				const stream = await SseStream.connect(streamUrl(`?ticket=${encodeURIComponent(issued.ticket)}`));
				try {
					await n.comment(post.id, commenter);
					const frame = await stream.waitFor("the comment's notification", f => f.event === "notification", 5000);
					const [latest] = await n.inbox(reader, "pageSize=1");
					assert.deepEqual(JSON.parse(frame.data!), latest);
				} finally {
					await stream.close();
				}
			});

			it("when a client reconnects with Last-Event-ID then exactly the notifications created after that id arrive, oldest first, then live ones", async () => {
				const [reader, commenter] = take(2);
				const post = await n.post(reader);
				await n.comment(post.id, commenter);
				await h.settled();
				const first = await SseStream.connect(streamUrl(), bearer(reader));
				let seen: string;
				try {
					await n.comment(post.id, commenter);
					seen = (await first.waitFor("a live notification", f => f.event === "notification", 5000)).id!;
				} finally {
					await first.close();
				}
				// Missed while disconnected.
				await n.comment(post.id, commenter);
				await n.comment(post.id, commenter);
				await h.settled();
				const missed = (await n.inbox(reader, "pageSize=2")).reverse().map(v => v.id);

				const second = await SseStream.connect(streamUrl(), { ...bearer(reader), "Last-Event-ID": seen });
				try {
					await second.waitForNotification(missed[1], 5000);
					await n.comment(post.id, commenter);
					await h.settled();
					const [live] = await n.inbox(reader, "pageSize=1");
					await second.waitForNotification(live.id, 5000);
					assert.deepEqual(
						second.notifications().map(f => f.id),
						[...missed, live.id],
						"the missed ones in order, then the live one; none from before"
					);
				} finally {
					await second.close();
				}
			});

			it("when a stream stays idle then a `: heartbeat` comment arrives within 15 s", async () => {
				const [reader] = take(1);
				const stream = await SseStream.connect(streamUrl(), bearer(reader));
				try {
					const started = performance.now();
					// The interval is the gateway's (15 s), not the connection's: the first beat comes within 15 s, plus timer drift on a loaded machine.
					const beat = await stream.waitFor("a heartbeat", f => f.comments.includes("heartbeat"), 17_000);
					assert.ok(beat.at - started <= 16_000, `within 15 s (${Math.round(beat.at - started)} ms)`);
					assert.equal(stream.notifications().length, 0);
				} finally {
					await stream.close();
				}
			});
		});
	}
);

/** The sum of a counter's values whose labels include `labels`; fails if it is not registered. */
function metric(broker: ServiceBroker, name: string, labels: Record<string, string> = {}): number {
	const registered = broker.metrics.getMetric(name) as unknown as {
		values: Map<string, { labels: Record<string, unknown>; value: number }>;
	} | null;
	assert.ok(registered, `metric ${name} is not registered on ${broker.nodeID}`);
	let sum = 0;
	for (const item of registered.values.values()) {
		if (Object.entries(labels).every(([k, v]) => item.labels[k] === v)) sum += item.value;
	}
	return sum;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

describe(
	"notifications in a cluster: two gateways, a core node and a notifications node, over NATS and RabbitMQ",
	{ skip: unavailable("postgres", "redis", "amqp", "nats") },
	() => {
		const namespace = `t${randomBytes(4).toString("hex")}`;
		const dbs = {
			users: scratchDatabase("codelearn_test_ntfc_users"),
			groups: scratchDatabase("codelearn_test_ntfc_groups"),
			posts: scratchDatabase("codelearn_test_ntfc_posts"),
			notifications: scratchDatabase("codelearn_test_ntfc_notifications")
		};
		const cluster = {
			NAMESPACE: namespace,
			TRANSPORTER: TEST_SERVICES.nats,
			EVENTS_AMQP_URL: TEST_SERVICES.amqp,
			CACHER: TEST_SERVICES.redis,
			USERS_DATABASE_URL: dbs.users.url,
			GROUPS_DATABASE_URL: dbs.groups.url,
			POSTS_DATABASE_URL: dbs.posts.url,
			NOTIFICATIONS_DATABASE_URL: dbs.notifications.url,
			RATE_LIMIT_MAX: "1000000",
			ACCESS_TOKEN_TTL_S: "3600",
			METRICS_ENABLED: "true",
			METRICS_PORT: "0",
			LOG_LEVEL: "error"
		};
		const running = new Set<Platform>();
		let nodes = 0;
		let gateway1: Platform;
		let gateway2: Platform;
		let core: Platform;
		let notifier: Platform;
		let db: NotificationsDb;
		const users: TestUser[] = [];

		const via = (gateway: () => Platform) => socialClient(() => gateway().api);
		const n1 = via(() => gateway1);
		const n2 = via(() => gateway2);
		const streamUrl = (gateway: Platform) => `${gateway.baseUrl}/api/notifications/stream`;
		const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

		async function start(services: string): Promise<Platform> {
			const platform = await startPlatform({
				...cluster,
				SERVICES: services,
				NODE_ID: `${namespace}-${services.replace(/,/g, "+")}-${++nodes}`
			});
			running.add(platform);
			return platform;
		}

		async function stop(platform: Platform): Promise<void> {
			running.delete(platform);
			await platform.stop();
		}

		/** Both gateways know the notifications node, and it knows both gateways (for its broadcasts). */
		async function clusterFormed() {
			for (const gateway of [gateway1, gateway2])
				await gateway.broker.waitForServices(["users", "groups", "posts", "notifications"], 20_000);
			await eventually(
				"the notifications node sees both gateways",
				async () =>
					(notifier.broker.registry.getServiceList({ onlyAvailable: true }) as { name: string; nodeID: string }[]).filter(
						s => s.name === "gateway"
					).length,
				count => count === 2,
				20_000
			);
		}

		/** Messages ready in the notifications service's durable queue. */
		async function queued(): Promise<number> {
			const connection = await amqp.connect(TEST_SERVICES.amqp);
			try {
				const channel = await connection.createChannel();
				return (await channel.checkQueue(queueName(namespace, "notifications"))).messageCount;
			} finally {
				await connection.close();
			}
		}

		function take(count: number): TestUser[] {
			assert.ok(users.length >= count, `not enough registered users left (${users.length} < ${count})`);
			return users.splice(0, count);
		}

		before(async () => {
			gateway1 = await start("gateway");
			gateway2 = await start("gateway");
			core = await start("users,groups,posts");
			notifier = await start("notifications");
			await clusterFormed();
			db = new NotificationsDb(dbs.notifications.url);
			// Through both gateways: each registers half.
			users.push(...(await registerMany(gateway1.api, 6, "ntfc")), ...(await registerMany(gateway2.api, 6, "ntfc")));
			// Every welcome is in before any test reads an inbox or a stream.
			await eventually(
				"every user's welcome",
				() => db.count(`type = 'user.created' AND recipient_id = ANY($1::uuid[])`, [users.map(u => u.id)]),
				c => c === users.length,
				30_000
			);
		});

		after(async () => {
			await Promise.all([...running].map(p => p.stop()));
			await db?.close();
			await Promise.all([...Object.values(dbs).map(d => d.drop()), deleteEventTopology(namespace)]);
		});

		it("when a write goes through gateway 2 then a client streaming from gateway 1 gets its notification within 1 s", async t => {
			const [reader, writer] = take(2);
			const post = await n2.post(reader);
			const stream = await SseStream.connect(streamUrl(gateway1), bearer(reader));
			const latencies: { delivery: number; write: number }[] = [];
			try {
				for (let i = 1; i <= 5; i++) {
					const sent = performance.now();
					await n2.comment(post.id, writer);
					const answered = performance.now();
					await stream.waitFor(`notification ${i} on gateway 1`, () => stream.notifications().length >= i, 5000);
					const arrived = stream.notifications()[i - 1].at;
					latencies.push({ delivery: arrived - sent, write: answered - sent });
				}
			} finally {
				await stream.close();
			}
			// From the write's request (its own 201 may come back after the frame: the write still clears caches).
			const delivery = latencies.map(l => Math.round(l.delivery));
			const writes = latencies.map(l => Math.round(l.write));
			t.diagnostic(
				`cross-gateway SSE latency (ms) from the write's request to the frame: ${delivery.join(", ")} (median ${median(delivery)}); the write's own round trip: ${writes.join(", ")}`
			);
			assert.ok(
				delivery.every(ms => ms <= CROSS_GATEWAY_DEADLINE_MS),
				`every notification within ${CROSS_GATEWAY_DEADLINE_MS} ms: ${delivery.join(", ")}`
			);
			const inbox = await n2.inbox(reader, "pageSize=5");
			assert.deepEqual(
				stream.notifications().map(f => f.data),
				inbox.reverse(),
				"the frames are the inbox's notifications, in order"
			);
		});

		it("when a client reconnects to the other gateway with Last-Event-ID then it gets exactly what it missed, then live ones", async () => {
			const [reader, writer] = take(2);
			const post = await n1.post(reader);
			const first = await SseStream.connect(streamUrl(gateway1), bearer(reader));
			let seen: string;
			try {
				await n2.comment(post.id, writer);
				seen = (await first.waitFor("a live notification on gateway 1", f => f.event === "notification", 5000)).id!;
			} finally {
				await first.close();
			}
			await n2.comment(post.id, writer);
			await n1.comment(post.id, writer);
			const missed = (
				await eventually(
					"the two missed notifications",
					() => n2.inbox(reader, "pageSize=3"),
					rows => rows.length === 3 && rows[2].id === seen,
					10_000
				)
			)
				.slice(0, 2)
				.reverse()
				.map(v => v.id);

			const second = await SseStream.connect(streamUrl(gateway2), { ...bearer(reader), "Last-Event-ID": seen });
			try {
				await second.waitForNotification(missed[1], 5000);
				await n1.comment(post.id, writer);
				await second.waitFor("a live notification on gateway 2", () => second.notifications().length >= 3, 5000);
				const [newest] = await n1.inbox(reader, "pageSize=1");
				assert.deepEqual(
					second.notifications().map(f => f.id),
					[...missed, newest.id]
				);
			} finally {
				await second.close();
			}
		});

		it("when the same envelope is published twice through RabbitMQ then one notification", async () => {
			const [author, fan] = take(2);
			const post = await n1.post(author);
			const duplicatesBefore = metric(notifier.broker, "codelearn.events.duplicates.total", { service: "notifications" });
			const event = createEvent("posts", {
				type: "post.reacted",
				aggregateId: post.id,
				actorId: fan.id,
				payload: {
					postId: post.id,
					slug: post.slug,
					title: post.title,
					authorId: author.id,
					groupId: null,
					userId: fan.id,
					kind: "insightful"
				}
			});
			const transport = new AmqpTransport(TEST_SERVICES.amqp, namespace, core.broker.getLogger("test"), EVENT_TOPOLOGY);
			try {
				await transport.publish([event]);
				await transport.publish([event]);
			} finally {
				await transport.close();
			}
			await eventually(
				"the second delivery was skipped",
				async () => metric(notifier.broker, "codelearn.events.duplicates.total", { service: "notifications" }) - duplicatesBefore,
				d => d === 1,
				10_000
			);
			assert.deepEqual(addressed(await db.rows(`event_id = $1`, [event.id])), [[author.id, "post.reacted"]]);
		});

		it("when the notifications node is down while 100 comments are written then they wait in its queue, and after it starts again all 100 notifications exist, once each", async () => {
			const [author, ...commenters] = take(4);
			const post = await n2.post(author);
			const ofThePost = [`type = 'post.commented' AND subject_id = $1 AND recipient_id = $2`, [post.id, author.id]] as const;
			await stop(notifier);
			const waitingBefore = await queued();

			let next = 0;
			await Promise.all(
				commenters.map(async (commenter, i) => {
					const client = i % 2 ? n1 : n2;
					while (next < 100) {
						next++;
						await client.comment(post.id, commenter);
					}
				})
			);
			assert.equal(next, 100);
			await eventually("the 100 events wait in the notifications queue", queued, q => q - waitingBefore >= 100, 20_000);
			assert.equal(await db.count(...ofThePost), 0, "nothing consumed them while the node was down");

			notifier = await start("notifications");
			await clusterFormed();
			await eventually(
				"all 100 notifications",
				() => db.count(...ofThePost),
				c => c === 100,
				30_000
			);
			const { rows } = await db.pool.query(
				`SELECT count(DISTINCT event_id)::int AS n FROM notifications.notifications WHERE ${ofThePost[0]}`,
				[...ofThePost[1]]
			);
			assert.equal(rows[0].n, 100, "one notification per comment");
			await eventually("the queue drains", queued, q => q === 0, 20_000);
			const inbox = ok(await n1.list(author, "pageSize=1"));
			assert.equal(inbox.total, 101, "the welcome and the 100 comments");
			assert.equal(await n2.unreadCount(author), 101);
		});

		it("when a member publishes a post in a 1,000-member group then 999 notifications exist within 2 s of the 201", async t => {
			const [owner, author] = take(2);
			const group = await n2.group(owner, { members: [author] });
			const joiners = Array.from({ length: 998 }, () => ({ id: randomUUID(), role: "user", sessionId: randomUUID() }));
			// Joins of one group run one at a time (the group row is locked): small batches, a generous deadline.
			for (let i = 0; i < joiners.length; i += 10) {
				await Promise.all(
					joiners
						.slice(i, i + 10)
						.map(user => core.broker.call("groups.join", { id: group.id }, { meta: { user }, timeout: 30_000 }))
				);
			}
			const members = (await core.broker.call("groups.memberIds", { groupId: group.id })) as string[];
			assert.equal(members.length, 1000);
			// The owner hears of every join: once all 999 are in, nothing queues before the post.
			await eventually(
				"the owner's 999 join notifications",
				() => db.count(`type = 'group.member.joined' AND group_id = $1 AND recipient_id = $2`, [group.id, owner.id]),
				c => c === 999,
				60_000,
				200
			);

			const res = await gateway2.api("POST", "/api/posts", {
				token: author.token,
				body: {
					title: `Fan-out ${randomBytes(4).toString("hex")}`,
					content: "To everyone.",
					category: "algorithms",
					status: "published",
					groupId: group.id
				}
			});
			const created = performance.now();
			const post = ok(res, 201);
			const ofThePost = `type = 'post.published' AND subject_id = $1`;
			await eventually(
				"999 notifications of the post",
				() => db.count(ofThePost, [post.id]),
				c => c >= 999,
				30_000,
				10
			);
			const elapsed = Math.round(performance.now() - created);
			t.diagnostic(`fan-out: 999 notifications ${elapsed} ms after the post's 201`);
			assert.ok(elapsed < FAN_OUT_DEADLINE_MS, `999 notifications within ${FAN_OUT_DEADLINE_MS} ms (took ${elapsed} ms)`);

			const recipients = (await db.rows(ofThePost, [post.id])).map(r => r.recipientId).sort();
			assert.deepEqual(recipients, members.filter(id => id !== author.id).sort(), "every member but the author, once");
		});
	}
);
