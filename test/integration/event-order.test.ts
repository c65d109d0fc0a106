/**
 * Events of one aggregate applied out of order (replicas, retries): the consumers whose effect
 * depends on order apply only the latest (`latestWins` in the inbox, by the producer's outbox
 * sequence). One process on the real PostgreSQL: the real producers stamp the sequences; the
 * tests then hand the consumers' inboxes events of their own, in the wrong order.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ServiceBroker } from "moleculer";
import { createEvent, type DomainEvent } from "../../lib/events/envelope";
import { registerMany, type TestUser } from "../helpers/accounts";
import { query } from "../helpers/contests";
import { scratchDatabase } from "../helpers/database";
import { eventually } from "../helpers/eventually";
import { uniqueName } from "../helpers/groups";
import { type Platform, startPlatform } from "../helpers/platform";

const DELIVERY_MS = 20_000;

interface Inbox {
	deliver(event: DomainEvent<unknown>): Promise<void>;
}

const inboxOf = (broker: ServiceBroker, service: string) => (broker.getLocalService(service) as unknown as { inbox: Inbox }).inbox;

function superseded(broker: ServiceBroker, service: string): number {
	const metric = broker.metrics.getMetric("codelearn.events.superseded.total");
	assert.ok(metric, "the superseded counter is registered");
	return (metric.get({ service })?.value as number | undefined) ?? 0;
}

describe("events of one aggregate delivered out of order", () => {
	const dbs = {
		users: scratchDatabase("codelearn_test_users"),
		groups: scratchDatabase("codelearn_test_groups"),
		posts: scratchDatabase("codelearn_test_posts"),
		rankings: scratchDatabase("codelearn_test_rankings")
	};
	let platform: Platform;
	let owner: TestUser;
	let member: TestUser;
	let groupId: string;
	/** Above any sequence the real producers stamped in this run. */
	let next = 1_000_000;

	/** A groups event about the group, with the sequence given. */
	const groupsEvent = (type: string, payload: object, sequence: number): DomainEvent<unknown> => ({
		...createEvent("groups", { type, aggregateId: groupId, actorId: owner.id, payload }),
		sequence
	});

	before(async () => {
		platform = await startPlatform({
			SERVICES: "gateway,users,groups,posts,rankings",
			USERS_DATABASE_URL: dbs.users.url,
			GROUPS_DATABASE_URL: dbs.groups.url,
			POSTS_DATABASE_URL: dbs.posts.url,
			RANKINGS_DATABASE_URL: dbs.rankings.url,
			RATE_LIMIT_MAX: "1000000",
			METRICS_ENABLED: "true",
			METRICS_PORT: "0"
		});
		[owner, member] = await registerMany(platform.api, 2, "order");
		const group = await platform.api("POST", "/api/groups", {
			token: owner.token,
			body: { name: uniqueName("order"), description: "In order.", visibility: "public", joinPolicy: "open" }
		});
		assert.equal(group.status, 201, JSON.stringify(group.body));
		groupId = group.body.id;
		assert.equal((await platform.api("POST", `/api/groups/${groupId}/join`, { token: member.token })).status, 200);
	});

	after(async () => {
		await platform?.stop();
		await Promise.all(Object.values(dbs).map(db => db.drop()));
	});

	it("when the real producers relay events then each carries its outbox sequence, recorded as the latest of its key", async () => {
		const rows = await eventually(
			"the member's join recorded by rankings",
			() =>
				query<{ key: string; sequence: string }>(
					dbs.rankings.url,
					`SELECT key, sequence FROM rankings.latest_applied ORDER BY key`
				),
			found => found.some(r => r.key === `groups/member:${groupId}:${member.id}`),
			DELIVERY_MS
		);
		const [joined] = await query<{ seq: string }>(
			dbs.groups.url,
			`SELECT seq FROM groups.outbox WHERE type = 'group.member.joined' AND aggregate_id = $1`,
			[groupId]
		);
		assert.equal(rows.find(r => r.key === `groups/member:${groupId}:${member.id}`)?.sequence, joined.seq);
		assert.ok(
			rows.some(r => r.key === `users/user:${owner.id}`),
			"user.created keyed by user"
		);
	});

	it("when a group's visibility changes arrive newest first then its posts follow the newest", async () => {
		const created = await platform.api("POST", "/api/posts", {
			token: owner.token,
			body: { title: "Ordered notes", content: "About order.", category: "algorithms", tags: [], groupId, status: "published" }
		});
		assert.equal(created.status, 201, JSON.stringify(created.body));
		const groupPrivate = async () =>
			(
				await query<{ group_private: boolean }>(dbs.posts.url, `SELECT group_private FROM posts.posts WHERE id = $1`, [
					created.body.id
				])
			)[0].group_private;
		const updated = (visibility: string, sequence: number) =>
			groupsEvent("group.updated", { groupId, name: "g", visibility, changed: ["description"] }, sequence);
		const inbox = inboxOf(platform.broker, "posts");
		const skippedBefore = superseded(platform.broker, "posts");

		const older = next++;
		const newer = next++;
		await inbox.deliver(updated("private", newer));
		assert.equal(await groupPrivate(), true, "the state each event carries applies, whatever it says changed");
		await inbox.deliver(updated("public", older));
		assert.equal(await groupPrivate(), true, "the older event is skipped");
		assert.equal(superseded(platform.broker, "posts") - skippedBefore, 1);

		await inbox.deliver(updated("public", next++));
		assert.equal(await groupPrivate(), false, "a newer one applies");
		const [retries] = await query(dbs.posts.url, `SELECT count(*)::int AS n FROM posts.event_retries`);
		assert.equal(retries.n, 0, "nothing failed");
	});

	it("when a member's leave arrives before their earlier join then they stay off the group's board", async () => {
		const board = async () => {
			const res = await platform.api("GET", `/api/groups/${groupId}/leaderboard?pageSize=100`);
			assert.equal(res.status, 200, JSON.stringify(res.body));
			return (res.body.rows as { user: { id: string; username: string } }[]).map(r => r.user);
		};
		await eventually("both on the group's board", board, users => users.length === 2, DELIVERY_MS);
		const inbox = inboxOf(platform.broker, "rankings");
		const membership = { groupId, userId: member.id };
		const joinedAt = next++;
		const leftAt = next++;
		await inbox.deliver(groupsEvent("group.member.left", { ...membership, name: "g", visibility: "public", reason: "left" }, leftAt));
		await inbox.deliver(
			groupsEvent("group.member.joined", { ...membership, name: "g", visibility: "public", role: "member" }, joinedAt)
		);
		assert.deepEqual(
			(await board()).map(u => u.id),
			[owner.id],
			"the join, older, is skipped"
		);
		await inbox.deliver(groupsEvent("group.member.joined", { ...membership, name: "g", visibility: "public", role: "member" }, next++));
		assert.equal((await board()).length, 2, "a newer join applies");
	});

	it("when a user's renames arrive newest first then the boards show the newest name", async () => {
		const inbox = inboxOf(platform.broker, "rankings");
		const renamed = (username: string, sequence: number) => ({
			...createEvent("users", {
				type: "user.updated",
				aggregateId: member.id,
				actorId: member.id,
				payload: { userId: member.id, username, changed: ["username"] }
			}),
			sequence
		});
		const older = next++;
		await inbox.deliver(renamed("newest_name", next++));
		await inbox.deliver(renamed("older_name", older));
		const res = await platform.api("GET", `/api/groups/${groupId}/leaderboard?pageSize=100`);
		assert.equal(res.status, 200);
		assert.equal(res.body.rows.find((r: { user: { id: string } }) => r.user.id === member.id)?.user.username, "newest_name");
	});
});
