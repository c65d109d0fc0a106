import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { eventually } from "../helpers/eventually";
import { assertError, groupsPlatform, type GroupsHarness, type TestUser, uniqueName } from "../helpers/groups";
import { TEST_SERVICES, unavailable } from "../helpers/services";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_KEYS = ["page", "pageSize", "rows", "total", "totalPages"];

type Role = "owner" | "admin" | "member";

/** Group actions over HTTP, as the given users; every setup step asserts its own success. */
function groupsClient(h: GroupsHarness) {
	const c = {
		async create(owner: TestUser, body: Record<string, unknown> = {}) {
			const res = await h.api("POST", "/api/groups", { token: owner.token, body: { name: uniqueName(), ...body } });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			return res.body;
		},
		get: (id: string, as?: TestUser) => h.api("GET", `/api/groups/${id}`, { token: as?.token }),
		join: (id: string, as: TestUser) => h.api("POST", `/api/groups/${id}/join`, { token: as.token }),
		leave: (id: string, as: TestUser) => h.api("POST", `/api/groups/${id}/leave`, { token: as.token }),
		patch: (id: string, as: TestUser, body: Record<string, unknown>) => h.api("PATCH", `/api/groups/${id}`, { token: as.token, body }),
		setRole: (id: string, as: TestUser, target: TestUser, role: Role) =>
			h.api("PATCH", `/api/groups/${id}/members/${target.id}`, { token: as.token, body: { role } }),
		remove: (id: string, as: TestUser, target: TestUser) =>
			h.api("DELETE", `/api/groups/${id}/members/${target.id}`, { token: as.token }),
		invite: (id: string, as: TestUser, target: { id: string }) =>
			h.api("POST", `/api/groups/${id}/invitations`, { token: as.token, body: { userId: target.id } }),
		members: (id: string, as?: TestUser) => h.api("GET", `/api/groups/${id}/members?pageSize=100`, { token: as?.token }),
		invitations: (id: string, as: TestUser) => h.api("GET", `/api/groups/${id}/invitations?pageSize=100`, { token: as.token }),
		requests: (id: string, as: TestUser) => h.api("GET", `/api/groups/${id}/requests?pageSize=100`, { token: as.token }),
		decide: (id: string, as: TestUser, target: TestUser, decision: "approve" | "reject") =>
			h.api("POST", `/api/groups/${id}/requests/${target.id}/${decision}`, { token: as.token }),
		myInvitations: (as: TestUser) => h.api("GET", "/api/groups/invitations?pageSize=100", { token: as.token }),
		search: (q: string, as?: TestUser, extra = "") =>
			h.api("GET", `/api/groups?q=${encodeURIComponent(q)}&pageSize=100${extra}`, { token: as?.token }),

		/** The group as `as` reads it, asserting 200. */
		async read(id: string, as?: TestUser) {
			const res = await c.get(id, as);
			assert.equal(res.status, 200, JSON.stringify(res.body));
			return res.body;
		},

		/** The rows of a 200 page. */
		async rows(pending: Promise<{ status: number; body: any }>) {
			const res = await pending;
			assert.equal(res.status, 200, JSON.stringify(res.body));
			return res.body.rows as any[];
		},

		/**
		 * A fresh group: created public and open, `admins` then `members` join and admins are promoted,
		 * then it gets the wanted visibility and join policy.
		 */
		async groupWith(
			owner: TestUser,
			options: {
				name?: string;
				visibility?: "public" | "private";
				joinPolicy?: "open" | "request" | "invite";
				admins?: TestUser[];
				members?: TestUser[];
			} = {}
		) {
			const group = await c.create(owner, options.name ? { name: options.name } : {});
			for (const user of [...(options.admins ?? []), ...(options.members ?? [])]) {
				const joined = await c.join(group.id, user);
				assert.equal(joined.status, 200, JSON.stringify(joined.body));
			}
			for (const admin of options.admins ?? []) {
				const promoted = await c.setRole(group.id, owner, admin, "admin");
				assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
			}
			const change: Record<string, string> = {};
			if (options.visibility && options.visibility !== "public") change.visibility = options.visibility;
			if (options.joinPolicy && options.joinPolicy !== "open") change.joinPolicy = options.joinPolicy;
			if (Object.keys(change).length) {
				const patched = await c.patch(group.id, owner, change);
				assert.equal(patched.status, 200, JSON.stringify(patched.body));
			}
			return c.read(group.id, owner);
		},

		/** Everything an owner can see of a group: "nothing changed" compares two of these. */
		async state(id: string, owner: TestUser) {
			const [group, members, invitations, requests] = await Promise.all([
				c.read(id, owner),
				c.rows(c.members(id, owner)),
				c.rows(c.invitations(id, owner)),
				c.rows(c.requests(id, owner))
			]);
			return { group, members, invitations, requests };
		}
	};
	return c;
}

const userIds = (rows: { userId: string }[]) => rows.map(r => r.userId).sort();
const sorted = (ids: string[]) => [...ids].sort();

/** Reads see every write at once, whatever the cacher: run with Memory and with Redis. */
function cachingTests(h: GroupsHarness, people: () => { alice: TestUser; bob: TestUser; carol: TestUser }) {
	const g = groupsClient(h);

	it("when a member leaves a private group then their next read of it is 404 at once", async () => {
		const { alice, bob } = people();
		const group = await g.groupWith(alice, { visibility: "private", members: [bob] });
		assert.equal((await g.read(group.id, bob)).myRole, "member");
		assert.equal((await g.members(group.id, bob)).status, 200);
		assert.equal((await g.leave(group.id, bob)).status, 204);
		assertError(await g.get(group.id, bob), 404, "NOT_FOUND");
		assertError(await g.members(group.id, bob), 404);
	});

	it("when a role changes then the member's next read shows the new myRole at once", async () => {
		const { alice, bob } = people();
		const group = await g.groupWith(alice, { members: [bob] });
		assert.equal((await g.read(group.id, bob)).myRole, "member");
		assert.equal((await g.setRole(group.id, alice, bob, "admin")).status, 200);
		assert.equal((await g.read(group.id, bob)).myRole, "admin");
		assert.equal((await g.setRole(group.id, alice, bob, "owner")).status, 200);
		const read = await g.read(group.id, bob);
		assert.equal(read.myRole, "owner");
		assert.deepEqual(sorted(read.ownerIds), sorted([alice.id, bob.id]));
	});

	it("when someone joins or the group is edited then other callers' next reads and lists show it at once", async () => {
		const { alice, bob, carol } = people();
		const group = await g.create(alice);
		assert.equal((await g.read(group.id)).memberCount, 1);
		assert.equal((await g.read(group.id, carol)).memberCount, 1);
		assert.equal((await g.join(group.id, bob)).status, 200);
		assert.equal((await g.read(group.id)).memberCount, 2);
		assert.equal((await g.read(group.id, carol)).memberCount, 2);
		assert.deepEqual(userIds(await g.rows(g.members(group.id))), sorted([alice.id, bob.id]));

		const description = `edited ${randomBytes(4).toString("hex")}`;
		assert.equal((await g.patch(group.id, alice, { description })).status, 200);
		assert.equal((await g.read(group.id)).description, description);
		const listed = await g.rows(g.search(group.name));
		assert.equal(listed.find(r => r.id === group.id)?.description, description);
	});

	it("when a member is removed or the group deleted then the next read says so at once", async () => {
		const { alice, bob, carol } = people();
		const group = await g.groupWith(alice, { visibility: "private", members: [bob, carol] });
		assert.equal((await g.read(group.id, bob)).memberCount, 3);
		assert.equal((await g.remove(group.id, alice, bob)).status, 204);
		assertError(await g.get(group.id, bob), 404);
		assert.equal((await g.read(group.id, carol)).memberCount, 2);
		assert.equal((await h.api("DELETE", `/api/groups/${group.id}`, { token: alice.token })).status, 204);
		assertError(await g.get(group.id, carol), 404);
		assertError(await g.get(group.id, alice), 404);
	});
}

describe("groups API through the gateway, on the real PostgreSQL", { skip: unavailable("postgres") }, () => {
	const h = groupsPlatform();
	const g = groupsClient(h);
	let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, erin: TestUser, frank: TestUser;
	/** Twenty users for the join race. */
	let crowd: TestUser[];
	/** Users whose accounts the lifecycle tests delete. */
	let doomed: TestUser[];
	let siteAdmin: TestUser;

	before(async () => {
		await h.start();
		[alice, bob, carol, dave, erin, frank] = await h.registerMany(6, "grp");
		crowd = await h.registerMany(20, "crowd");
		doomed = await h.registerMany(4, "doomed");
		siteAdmin = await h.registerAdmin();
	});

	after(() => h.stop());

	describe("creating", () => {
		it("when a signed-in user creates a group then 201 with Location, the owner role, one member and the defaults", async () => {
			const name = uniqueName("create");
			const res = await h.api("POST", "/api/groups", { token: alice.token, body: { name } });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			const group = res.body;
			assert.match(group.id, UUID);
			assert.equal(res.headers.get("location"), `/api/groups/${group.id}`);
			assert.equal(group.name, name);
			assert.equal(group.description, "");
			assert.equal(group.visibility, "public");
			assert.equal(group.joinPolicy, "open");
			assert.equal(group.myRole, "owner");
			assert.equal(group.memberCount, 1);
			assert.deepEqual(group.ownerIds, [alice.id]);
			assert.match(group.createdAt, ISO);
			assert.match(group.updatedAt, ISO);

			const anonymous = await g.read(group.id);
			assert.deepEqual(anonymous, { ...group, myRole: null });
			const members = await g.rows(g.members(group.id));
			assert.deepEqual(
				members.map(m => [m.userId, m.role]),
				[[alice.id, "owner"]]
			);
			assert.match(members[0].joinedAt, ISO);
		});

		it("when visibility, join policy and description are given then they are stored", async () => {
			const body = { name: uniqueName("full"), description: "We read SICP together.", visibility: "private", joinPolicy: "request" };
			const group = await g.create(alice, body);
			assert.deepEqual(
				{ name: group.name, description: group.description, visibility: group.visibility, joinPolicy: group.joinPolicy },
				body
			);
			assert.deepEqual((await g.read(group.id, alice)).joinPolicy, "request");
		});

		it("when the name is taken in another case then 409 GROUP_NAME_TAKEN and there is still one such group", async () => {
			const first = await g.create(alice);
			assertError(
				await h.api("POST", "/api/groups", { token: bob.token, body: { name: first.name.toUpperCase() } }),
				409,
				"GROUP_NAME_TAKEN"
			);
			const found = await g.rows(g.search(first.name, bob));
			assert.deepEqual(
				found.map(r => r.id),
				[first.id]
			);
			assert.deepEqual(found[0].ownerIds, [alice.id]);
		});

		it("when unknown fields such as ownerId, memberCount, role or id are sent then 422 and nothing is stored", async () => {
			const name = uniqueName("smuggle");
			for (const extra of [{ ownerId: bob.id }, { memberCount: 99 }, { role: "owner" }, { id: randomUUID() }]) {
				assertError(await h.api("POST", "/api/groups", { token: alice.token, body: { name, ...extra } }), 422, "VALIDATION_ERROR");
			}
			assert.equal((await h.api("GET", `/api/groups?q=${encodeURIComponent(name)}`, { token: alice.token })).body.total, 0);
			// The name was never taken: a clean request gets it, with the server's owner and count.
			const group = await g.create(alice, { name });
			assert.deepEqual(group.ownerIds, [alice.id]);
			assert.equal(group.memberCount, 1);
		});

		it("when the name is too short or too long, the description too long or an enum unknown then 422 naming the field", async () => {
			const name = uniqueName("invalid");
			const cases: [Record<string, unknown>, string][] = [
				[{ name: "ab" }, "name"],
				[{ name: "x".repeat(81) }, "name"],
				[{ name, description: "d".repeat(2001) }, "description"],
				[{ name, visibility: "secret" }, "visibility"],
				[{ name, joinPolicy: "anyone" }, "joinPolicy"]
			];
			for (const [body, field] of cases) {
				const res = await h.api("POST", "/api/groups", { token: alice.token, body });
				assertError(res, 422, "VALIDATION_ERROR");
				assert.ok(
					res.body.data.some((d: any) => d.field === field),
					`${field} named in ${JSON.stringify(res.body.data)}`
				);
			}
			assert.equal((await g.search(name, alice)).body.total, 0);
		});

		it("when no token is sent then 401 and nothing is stored", async () => {
			const name = uniqueName("anon");
			assertError(await h.api("POST", "/api/groups", { body: { name } }), 401);
			assertError(await h.api("POST", "/api/groups", { token: "garbage", body: { name } }), 401);
			assert.equal((await g.search(name)).body.total, 0);
		});
	});

	describe("reading and listing", () => {
		it("when anonymous lists groups then only public ones appear; members also see their private groups", async () => {
			const marker = uniqueName("list");
			const open = await g.create(alice, { name: `${marker} public` });
			const hidden = await g.create(alice, { name: `${marker} private`, visibility: "private" });
			assert.equal((await g.join(open.id, bob)).status, 200);

			const anonymous = await g.search(marker);
			assert.equal(anonymous.status, 200);
			assert.deepEqual(Object.keys(anonymous.body).sort(), PAGE_KEYS);
			assert.deepEqual(
				anonymous.body.rows.map((r: any) => r.id),
				[open.id]
			);
			assert.equal(anonymous.body.total, 1);
			assert.equal(anonymous.body.rows[0].myRole, null);

			assert.deepEqual(
				(await g.rows(g.search(marker, bob))).map(r => r.id),
				[open.id]
			);
			const own = await g.rows(g.search(marker, alice));
			assert.deepEqual(sorted(own.map(r => r.id)), sorted([open.id, hidden.id]));
			assert.ok(own.every(r => r.myRole === "owner"));
		});

		it("when ?q= is given then it matches the name or the description in any case", async () => {
			const marker = `zq${randomBytes(5).toString("hex")}`;
			const byName = await g.create(alice, { name: `${marker.toUpperCase()} by name` });
			const byDescription = await g.create(alice, { description: `All about ${marker.toUpperCase()} and more` });
			await g.create(alice, { description: "unrelated" });
			const found = await g.rows(g.search(marker.toLowerCase()));
			assert.deepEqual(sorted(found.map(r => r.id)), sorted([byName.id, byDescription.id]));
		});

		it("when ?mine=true then only the caller's groups, private ones included; without a token 401", async () => {
			const marker = uniqueName("mine");
			const joined = await g.create(alice, { name: `${marker} joined` });
			const hiddenJoined = await g.groupWith(alice, { name: `${marker} hidden`, visibility: "private", members: [bob] });
			await g.create(alice, { name: `${marker} not joined` });
			assert.equal((await g.join(joined.id, bob)).status, 200);

			const mine = await g.rows(g.search(marker, bob, "&mine=true"));
			assert.deepEqual(sorted(mine.map(r => r.id)), sorted([joined.id, hiddenJoined.id]));
			assert.ok(mine.every(r => r.myRole === "member"));
			assertError(await h.api("GET", "/api/groups?mine=true"), 401);
		});

		it("when pageSize is over 100 or page below 1 then 422", async () => {
			for (const query of ["pageSize=101", "pageSize=0", "page=0", "page=abc"]) {
				assertError(await h.api("GET", `/api/groups?${query}`), 422, "VALIDATION_ERROR");
			}
			const page = await h.api("GET", "/api/groups?pageSize=100&page=1");
			assert.equal(page.status, 200);
			assert.equal(page.body.pageSize, 100);
		});

		it("when a private group is read by an outsider or anonymously then 404 NOT_FOUND; members get it with their role", async () => {
			const group = await g.groupWith(alice, { visibility: "private", admins: [bob], members: [carol] });
			assertError(await g.get(group.id), 404, "NOT_FOUND");
			assertError(await g.get(group.id, dave), 404, "NOT_FOUND");
			assert.equal((await g.read(group.id, alice)).myRole, "owner");
			assert.equal((await g.read(group.id, bob)).myRole, "admin");
			const asMember = await g.read(group.id, carol);
			assert.equal(asMember.myRole, "member");
			assert.equal(asMember.memberCount, 3);
			assert.equal(asMember.visibility, "private");
		});

		it("when a public group is read by a non-member then 200 with myRole null", async () => {
			const group = await g.create(alice);
			assert.equal((await g.read(group.id, dave)).myRole, null);
			assert.equal((await g.read(group.id)).myRole, null);
		});

		it("when the id is malformed then 422; an unknown id is 404", async () => {
			assertError(await g.get("not-a-uuid", alice), 422, "VALIDATION_ERROR");
			assertError(await g.get(randomUUID(), alice), 404, "NOT_FOUND");
			assertError(await g.members("12345"), 422);
		});

		it("when a user holds a pending invitation to a private group then they can read it and see the invitation", async () => {
			const group = await g.groupWith(alice, { visibility: "private", joinPolicy: "invite" });
			assertError(await g.get(group.id, erin), 404);
			assert.equal((await g.invite(group.id, alice, erin)).status, 201);
			const read = await g.read(group.id, erin);
			assert.equal(read.myRole, null);
			assert.equal(read.name, group.name);
			const mine = (await g.rows(g.myInvitations(erin))).find(r => r.group.id === group.id);
			assert.ok(mine, "the invitation is in the invitee's list");
			assert.equal(mine.invitedBy, alice.id);
			assert.match(mine.createdAt, ISO);
			assert.equal(mine.group.name, group.name);
			assertError(await h.api("GET", "/api/groups/invitations"), 401);
		});
	});

	describe("updating and deleting", () => {
		it("when an owner or an admin patches the group then 200 and the next read shows it", async () => {
			const group = await g.groupWith(alice, { admins: [bob] });
			const name = uniqueName("renamed");
			const byOwner = await g.patch(group.id, alice, { name, description: "new words" });
			assert.equal(byOwner.status, 200, JSON.stringify(byOwner.body));
			assert.equal(byOwner.body.name, name);
			assert.equal(byOwner.body.myRole, "owner");
			const byAdmin = await g.patch(group.id, bob, { joinPolicy: "request", visibility: "private" });
			assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
			const read = await g.read(group.id, alice);
			assert.deepEqual(
				{
					name: read.name,
					description: read.description,
					joinPolicy: read.joinPolicy,
					visibility: read.visibility,
					memberCount: read.memberCount
				},
				{ name, description: "new words", joinPolicy: "request", visibility: "private", memberCount: 2 }
			);
			assert.ok(read.updatedAt >= group.updatedAt);
			assertError(await g.get(group.id, carol), 404);
		});

		it("when a plain member or an outsider of a public group patches then 403 FORBIDDEN and nothing changes", async () => {
			const group = await g.groupWith(alice, { members: [carol] });
			const before = await g.state(group.id, alice);
			assertError(await g.patch(group.id, carol, { name: uniqueName("nope") }), 403, "FORBIDDEN");
			assertError(await g.patch(group.id, dave, { description: "nope" }), 403, "FORBIDDEN");
			assertError(await h.api("PATCH", `/api/groups/${group.id}`, { body: { description: "nope" } }), 401);
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when an outsider patches a private group then 404 and nothing changes", async () => {
			const group = await g.groupWith(alice, { visibility: "private" });
			const before = await g.state(group.id, alice);
			assertError(await g.patch(group.id, dave, { description: "nope" }), 404, "NOT_FOUND");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when ownerId or memberCount are sent in a patch then 422 and nothing changes", async () => {
			const group = await g.create(alice);
			const before = await g.state(group.id, alice);
			for (const body of [{ ownerId: bob.id }, { memberCount: 50 }, { description: "ok", ownerIds: [bob.id] }]) {
				assertError(await g.patch(group.id, alice, body), 422, "VALIDATION_ERROR");
			}
			assertError(await g.patch(group.id, alice, { visibility: "hidden" }), 422);
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when a group is renamed to another group's name in any case then 409 GROUP_NAME_TAKEN and nothing changes", async () => {
			const taken = await g.create(alice);
			const group = await g.create(alice);
			const before = await g.state(group.id, alice);
			assertError(await g.patch(group.id, alice, { name: taken.name.toLowerCase() }), 409, "GROUP_NAME_TAKEN");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when the owner deletes the group then 204 and it is 404 everywhere afterwards", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			const res = await h.api("DELETE", `/api/groups/${group.id}`, { token: alice.token });
			assert.equal(res.status, 204);
			assertError(await g.get(group.id, alice), 404, "NOT_FOUND");
			assertError(await g.get(group.id), 404);
			assertError(await g.members(group.id, bob), 404);
			assertError(await g.join(group.id, carol), 404);
			assert.equal((await g.search(group.name, alice)).body.total, 0);
		});

		it("when an admin, a member or an outsider deletes the group then 403 and the group remains", async () => {
			const group = await g.groupWith(alice, { admins: [bob], members: [carol] });
			const before = await g.state(group.id, alice);
			for (const user of [bob, carol, dave]) {
				assertError(await h.api("DELETE", `/api/groups/${group.id}`, { token: user.token }), 403, "FORBIDDEN");
			}
			assertError(await h.api("DELETE", `/api/groups/${group.id}`), 401);
			assert.deepEqual(await g.state(group.id, alice), before);
		});
	});

	describe("joining and leaving", () => {
		it("when a user joins an open group then 200 member with the membership and the count rises", async () => {
			const group = await g.create(alice);
			const res = await g.join(group.id, bob);
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.equal(res.body.status, "member");
			assert.deepEqual(Object.keys(res.body.membership).sort(), ["joinedAt", "role", "userId"]);
			assert.equal(res.body.membership.userId, bob.id);
			assert.equal(res.body.membership.role, "member");
			assert.match(res.body.membership.joinedAt, ISO);
			const read = await g.read(group.id, bob);
			assert.equal(read.memberCount, 2);
			assert.equal(read.myRole, "member");
			assert.deepEqual(userIds(await g.rows(g.members(group.id))), sorted([alice.id, bob.id]));
		});

		it("when a user joins a request-policy group then 202 requested and they are not a member yet", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request" });
			const res = await g.join(group.id, bob);
			assert.equal(res.status, 202, JSON.stringify(res.body));
			assert.equal(res.body.status, "requested");
			assert.equal(res.body.request.userId, bob.id);
			assert.match(res.body.request.createdAt, ISO);
			const state = await g.state(group.id, alice);
			assert.equal(state.group.memberCount, 1);
			assert.deepEqual(userIds(state.members), [alice.id]);
			assert.deepEqual(userIds(state.requests), [bob.id]);
			assert.equal((await g.read(group.id, bob)).myRole, null);
		});

		it("when a user joins an invite-only group uninvited then 403 NOT_INVITED and nothing changes", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "invite" });
			const before = await g.state(group.id, alice);
			assertError(await g.join(group.id, bob), 403, "NOT_INVITED");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when an invited user joins an invite-only group then 200 member and the invitation is consumed", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "invite" });
			assert.equal((await g.invite(group.id, alice, bob)).status, 201);
			const res = await g.join(group.id, bob);
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.equal(res.body.status, "member");
			const state = await g.state(group.id, alice);
			assert.equal(state.group.memberCount, 2);
			assert.deepEqual(state.invitations, []);
			assert.ok(!(await g.rows(g.myInvitations(bob))).some(r => r.group.id === group.id));
			// Leaving and coming back needs a new invitation: the old one is gone.
			assert.equal((await g.leave(group.id, bob)).status, 204);
			assertError(await g.join(group.id, bob), 403, "NOT_INVITED");
		});

		it("when an invited user joins a private request-policy group then they are a member at once", async () => {
			const group = await g.groupWith(alice, { visibility: "private", joinPolicy: "request" });
			assert.equal((await g.invite(group.id, alice, bob)).status, 201);
			const res = await g.join(group.id, bob);
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.equal(res.body.status, "member");
			const state = await g.state(group.id, alice);
			assert.equal(state.group.memberCount, 2);
			assert.deepEqual(state.requests, []);
			assert.deepEqual(state.invitations, []);
		});

		it("when a member joins again then 409 ALREADY_MEMBER and nothing changes", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			const before = await g.state(group.id, alice);
			assertError(await g.join(group.id, bob), 409, "ALREADY_MEMBER");
			assertError(await g.join(group.id, alice), 409, "ALREADY_MEMBER");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when a request is already pending then 409 REQUEST_PENDING and there is one request", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request" });
			assert.equal((await g.join(group.id, bob)).status, 202);
			const before = await g.state(group.id, alice);
			assertError(await g.join(group.id, bob), 409, "REQUEST_PENDING");
			assert.deepEqual(await g.state(group.id, alice), before);
			assert.equal(before.requests.length, 1);
		});

		it("when an outsider joins a private group then 404 and nothing changes; without a token 401", async () => {
			const group = await g.groupWith(alice, { visibility: "private" });
			const before = await g.state(group.id, alice);
			assertError(await g.join(group.id, dave), 404, "NOT_FOUND");
			assertError(await h.api("POST", `/api/groups/${group.id}/join`), 401);
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when a member leaves then 204, the count drops and they are not listed", async () => {
			const group = await g.groupWith(alice, { members: [bob, carol] });
			assert.equal((await g.leave(group.id, bob)).status, 204);
			const state = await g.state(group.id, alice);
			assert.equal(state.group.memberCount, 2);
			assert.deepEqual(userIds(state.members), sorted([alice.id, carol.id]));
			assert.equal((await g.read(group.id, bob)).myRole, null);
		});

		it("when a non-member leaves then 409 NOT_A_MEMBER; for a private group 404; nothing changes", async () => {
			const open = await g.create(alice);
			const hidden = await g.groupWith(alice, { visibility: "private" });
			const before = [await g.state(open.id, alice), await g.state(hidden.id, alice)];
			assertError(await g.leave(open.id, dave), 409, "NOT_A_MEMBER");
			assertError(await g.leave(hidden.id, dave), 404, "NOT_FOUND");
			assert.deepEqual([await g.state(open.id, alice), await g.state(hidden.id, alice)], before);
		});

		it("when the last owner leaves then 409 LAST_OWNER; once there is a second owner they may", async () => {
			const group = await g.groupWith(alice, { admins: [bob] });
			const before = await g.state(group.id, alice);
			assertError(await g.leave(group.id, alice), 409, "LAST_OWNER");
			assert.deepEqual(await g.state(group.id, alice), before);
			assert.equal((await g.setRole(group.id, alice, bob, "owner")).status, 200);
			assert.equal((await g.leave(group.id, alice)).status, 204);
			const read = await g.read(group.id, bob);
			assert.deepEqual(read.ownerIds, [bob.id]);
			assert.equal(read.memberCount, 1);
		});
	});

	describe("members and roles", () => {
		it("when members are listed then owners come first, then admins, then members, each with userId, role and joinedAt", async () => {
			const group = await g.create(alice);
			for (const user of [carol, dave, bob, erin]) assert.equal((await g.join(group.id, user)).status, 200);
			assert.equal((await g.setRole(group.id, alice, erin, "admin")).status, 200);
			assert.equal((await g.setRole(group.id, alice, bob, "owner")).status, 200);
			const res = await g.members(group.id);
			assert.equal(res.status, 200);
			assert.deepEqual(Object.keys(res.body).sort(), PAGE_KEYS);
			assert.equal(res.body.total, 5);
			const rows = res.body.rows as any[];
			assert.deepEqual(
				rows.map(r => r.role),
				["owner", "owner", "admin", "member", "member"]
			);
			assert.deepEqual(sorted(rows.slice(0, 2).map(r => r.userId)), sorted([alice.id, bob.id]));
			assert.equal(rows[2].userId, erin.id);
			assert.deepEqual(sorted(rows.slice(3).map(r => r.userId)), sorted([carol.id, dave.id]));
			for (const row of rows) {
				assert.deepEqual(Object.keys(row).sort(), ["joinedAt", "role", "userId"]);
				assert.match(row.joinedAt, ISO);
			}
		});

		it("when a private group's members are listed by an outsider or anonymously then 404; by a member 200", async () => {
			const group = await g.groupWith(alice, { visibility: "private", members: [bob] });
			assertError(await g.members(group.id, dave), 404, "NOT_FOUND");
			assertError(await g.members(group.id), 404, "NOT_FOUND");
			assert.deepEqual(userIds(await g.rows(g.members(group.id, bob))), sorted([alice.id, bob.id]));
		});

		it("when the owner promotes a member to admin then 200 with the membership and the group shows it", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			const res = await g.setRole(group.id, alice, bob, "admin");
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.equal(res.body.userId, bob.id);
			assert.equal(res.body.role, "admin");
			assert.match(res.body.joinedAt, ISO);
			assert.equal((await g.read(group.id, bob)).myRole, "admin");
			assert.equal((await g.rows(g.members(group.id))).find(r => r.userId === bob.id)?.role, "admin");
		});

		it("when an admin or a member changes a role then 403 and nothing changes", async () => {
			const group = await g.groupWith(alice, { admins: [bob], members: [carol, dave] });
			const before = await g.state(group.id, alice);
			assertError(await g.setRole(group.id, bob, carol, "admin"), 403, "FORBIDDEN");
			assertError(await g.setRole(group.id, bob, carol, "owner"), 403, "FORBIDDEN");
			assertError(await g.setRole(group.id, bob, bob, "owner"), 403, "FORBIDDEN");
			assertError(await g.setRole(group.id, bob, alice, "member"), 403, "FORBIDDEN");
			assertError(await g.setRole(group.id, carol, dave, "admin"), 403, "FORBIDDEN");
			assertError(await g.setRole(group.id, carol, carol, "owner"), 403, "FORBIDDEN");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when the owner adds a second owner then both are owners and either may step down, but not the last", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			assert.equal((await g.setRole(group.id, alice, bob, "owner")).status, 200);
			assert.deepEqual(sorted((await g.read(group.id)).ownerIds), sorted([alice.id, bob.id]));
			const stepDown = await g.setRole(group.id, alice, alice, "member");
			assert.equal(stepDown.status, 200, JSON.stringify(stepDown.body));
			assert.equal(stepDown.body.role, "member");
			const before = await g.state(group.id, bob);
			assert.deepEqual(before.group.ownerIds, [bob.id]);
			assertError(await g.setRole(group.id, bob, bob, "admin"), 409, "LAST_OWNER");
			assert.deepEqual(await g.state(group.id, bob), before);
		});

		it("when the only owner demotes themself then 409 LAST_OWNER and they stay owner", async () => {
			const group = await g.groupWith(alice, { admins: [bob] });
			const before = await g.state(group.id, alice);
			assertError(await g.setRole(group.id, alice, alice, "admin"), 409, "LAST_OWNER");
			assertError(await g.setRole(group.id, alice, alice, "member"), 409, "LAST_OWNER");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when the target is not a member then 404; an unknown role is 422; nothing changes", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			const before = await g.state(group.id, alice);
			assertError(await g.setRole(group.id, alice, dave, "admin"), 404);
			assertError(await g.setRole(group.id, alice, { id: randomUUID() } as TestUser, "admin"), 404);
			assertError(
				await h.api("PATCH", `/api/groups/${group.id}/members/${bob.id}`, { token: alice.token, body: { role: "superuser" } }),
				422
			);
			assertError(
				await h.api("PATCH", `/api/groups/${group.id}/members/${bob.id}`, {
					token: alice.token,
					body: { role: "admin", joinedAt: "2000-01-01T00:00:00Z" }
				}),
				422
			);
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when an owner removes a member or an admin then 204 and the count drops", async () => {
			const group = await g.groupWith(alice, { admins: [bob], members: [carol] });
			assert.equal((await g.remove(group.id, alice, carol)).status, 204);
			assert.equal((await g.remove(group.id, alice, bob)).status, 204);
			const state = await g.state(group.id, alice);
			assert.equal(state.group.memberCount, 1);
			assert.deepEqual(userIds(state.members), [alice.id]);
			assert.equal((await g.read(group.id, carol)).myRole, null);
		});

		it("when an admin removes a plain member then 204; an admin or an owner then 403 and nothing changes", async () => {
			const group = await g.groupWith(alice, { admins: [bob, erin], members: [carol] });
			assert.equal((await g.remove(group.id, bob, carol)).status, 204);
			assert.equal((await g.read(group.id, alice)).memberCount, 3);
			const before = await g.state(group.id, alice);
			assertError(await g.remove(group.id, bob, erin), 403, "FORBIDDEN");
			assertError(await g.remove(group.id, bob, alice), 403, "FORBIDDEN");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when a member removes someone then 403; removing the last owner is 409 LAST_OWNER; a non-member 404", async () => {
			const group = await g.groupWith(alice, { members: [carol, dave] });
			const before = await g.state(group.id, alice);
			assertError(await g.remove(group.id, carol, dave), 403, "FORBIDDEN");
			assertError(await g.remove(group.id, alice, alice), 409, "LAST_OWNER");
			assertError(await g.remove(group.id, alice, frank), 404);
			assert.deepEqual(await g.state(group.id, alice), before);
		});
	});

	describe("invitations", () => {
		it("when an admin invites a user then 201 with invitedBy, and the group's and the invitee's lists show it", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "invite", admins: [bob] });
			const res = await g.invite(group.id, bob, carol);
			assert.equal(res.status, 201, JSON.stringify(res.body));
			assert.equal(res.body.userId, carol.id);
			assert.equal(res.body.invitedBy, bob.id);
			assert.match(res.body.createdAt, ISO);
			const listed = await g.invitations(group.id, alice);
			assert.deepEqual(Object.keys(listed.body).sort(), PAGE_KEYS);
			assert.deepEqual(
				listed.body.rows.map((r: any) => [r.userId, r.invitedBy]),
				[[carol.id, bob.id]]
			);
			assert.deepEqual(userIds(await g.rows(g.invitations(group.id, bob))), [carol.id]);
			const mine = (await g.rows(g.myInvitations(carol))).find(r => r.group.id === group.id);
			assert.equal(mine?.invitedBy, bob.id);
			assert.equal(mine?.group.memberCount, 2);
			// An invitation is not a membership.
			assert.equal((await g.read(group.id, alice)).memberCount, 2);
		});

		it("when a member invites or lists invitations then 403 and no invitation exists", async () => {
			const group = await g.groupWith(alice, { members: [carol] });
			assertError(await g.invite(group.id, carol, dave), 403, "FORBIDDEN");
			assertError(await g.invitations(group.id, carol), 403, "FORBIDDEN");
			assertError(await g.invitations(group.id, dave), 403);
			assert.deepEqual(await g.rows(g.invitations(group.id, alice)), []);
			assert.ok(!(await g.rows(g.myInvitations(dave))).some(r => r.group.id === group.id));
		});

		it("when the user is unknown, already a member or already invited then 404 USER_NOT_FOUND, 409 ALREADY_MEMBER, 409 ALREADY_INVITED", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			assert.equal((await g.invite(group.id, alice, carol)).status, 201);
			const before = await g.state(group.id, alice);
			assertError(await g.invite(group.id, alice, { id: randomUUID() }), 404, "USER_NOT_FOUND");
			assertError(await g.invite(group.id, alice, bob), 409, "ALREADY_MEMBER");
			assertError(await g.invite(group.id, alice, carol), 409, "ALREADY_INVITED");
			assertError(await h.api("POST", `/api/groups/${group.id}/invitations`, { token: alice.token, body: { userId: "nope" } }), 422);
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when an admin revokes an invitation then 204 and the invitee can no longer join", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "invite", admins: [bob] });
			assert.equal((await g.invite(group.id, alice, carol)).status, 201);
			const res = await h.api("DELETE", `/api/groups/${group.id}/invitations/${carol.id}`, { token: bob.token });
			assert.equal(res.status, 204);
			assert.deepEqual(await g.rows(g.invitations(group.id, alice)), []);
			assertError(await g.join(group.id, carol), 403, "NOT_INVITED");
			assert.equal((await g.read(group.id, alice)).memberCount, 2);
		});

		it("when the invitee declines then 204 and it leaves their list; with none pending 404", async () => {
			const group = await g.groupWith(alice, { visibility: "private", joinPolicy: "invite" });
			assert.equal((await g.invite(group.id, alice, dave)).status, 201);
			const decline = () => h.api("DELETE", `/api/groups/${group.id}/invitations/${dave.id}`, { token: dave.token });
			assert.equal((await decline()).status, 204);
			assert.ok(!(await g.rows(g.myInvitations(dave))).some(r => r.group.id === group.id));
			assertError(await g.get(group.id, dave), 404);
			assertError(await decline(), 404);
			assertError(await h.api("DELETE", `/api/groups/${group.id}/invitations/${erin.id}`, { token: alice.token }), 404);
		});

		it("when a plain member deletes someone else's invitation then 403 and it stays", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "invite", members: [frank] });
			assert.equal((await g.invite(group.id, alice, dave)).status, 201);
			const before = await g.state(group.id, alice);
			assertError(await h.api("DELETE", `/api/groups/${group.id}/invitations/${dave.id}`, { token: frank.token }), 403, "FORBIDDEN");
			assert.deepEqual(await g.state(group.id, alice), before);
		});
	});

	describe("join requests", () => {
		it("when an admin approves a request then 200 member and the user is a member", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request", admins: [bob] });
			assert.equal((await g.join(group.id, carol)).status, 202);
			const listed = await g.requests(group.id, bob);
			assert.deepEqual(Object.keys(listed.body).sort(), PAGE_KEYS);
			assert.deepEqual(userIds(listed.body.rows), [carol.id]);
			assert.match(listed.body.rows[0].createdAt, ISO);
			const res = await g.decide(group.id, bob, carol, "approve");
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.deepEqual({ userId: res.body.userId, role: res.body.role }, { userId: carol.id, role: "member" });
			assert.match(res.body.joinedAt, ISO);
			const state = await g.state(group.id, alice);
			assert.equal(state.group.memberCount, 3);
			assert.deepEqual(state.requests, []);
			assert.equal((await g.read(group.id, carol)).myRole, "member");
		});

		it("when an admin rejects a request then 204, no membership, and the user may request again", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request", admins: [bob] });
			assert.equal((await g.join(group.id, carol)).status, 202);
			assert.equal((await g.decide(group.id, bob, carol, "reject")).status, 204);
			const state = await g.state(group.id, alice);
			assert.deepEqual(state.requests, []);
			assert.equal(state.group.memberCount, 2);
			assert.equal((await g.join(group.id, carol)).status, 202);
			assert.deepEqual(userIds(await g.rows(g.requests(group.id, alice))), [carol.id]);
		});

		it("when there is no pending request then approve and reject are 404 REQUEST_NOT_FOUND and nothing changes", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request" });
			const before = await g.state(group.id, alice);
			assertError(await g.decide(group.id, alice, carol, "approve"), 404, "REQUEST_NOT_FOUND");
			assertError(await g.decide(group.id, alice, carol, "reject"), 404, "REQUEST_NOT_FOUND");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when a member lists or decides requests then 403 and nothing changes", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request", members: [dave] });
			assert.equal((await g.join(group.id, carol)).status, 202);
			const before = await g.state(group.id, alice);
			assertError(await g.requests(group.id, dave), 403, "FORBIDDEN");
			assertError(await g.decide(group.id, dave, carol, "approve"), 403, "FORBIDDEN");
			assertError(await g.decide(group.id, dave, carol, "reject"), 403, "FORBIDDEN");
			assert.deepEqual(await g.state(group.id, alice), before);
		});

		it("when a requester became a member through an invitation then approving is 409 ALREADY_MEMBER and adds no membership", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request" });
			assert.equal((await g.join(group.id, carol)).status, 202);
			assert.equal((await g.invite(group.id, alice, carol)).status, 201);
			assert.equal((await g.join(group.id, carol)).status, 200);
			const before = await g.state(group.id, alice);
			assertError(await g.decide(group.id, alice, carol, "approve"), 409, "ALREADY_MEMBER");
			assert.deepEqual(await g.state(group.id, alice), before);
			assert.deepEqual(userIds(before.members), sorted([alice.id, carol.id]));
			assert.equal(before.group.memberCount, 2);
		});
	});

	describe("group posts", () => {
		it("when the posts of a group are read then an empty page; of a private group 404 to outsiders", async () => {
			const open = await g.create(alice);
			const res = await h.api("GET", `/api/groups/${open.id}/posts`);
			assert.equal(res.status, 200);
			assert.deepEqual(res.body, { rows: [], total: 0, page: 1, pageSize: 20, totalPages: 0 });
			const hidden = await g.groupWith(alice, { visibility: "private", members: [bob] });
			assertError(await h.api("GET", `/api/groups/${hidden.id}/posts`), 404);
			assertError(await h.api("GET", `/api/groups/${hidden.id}/posts`, { token: dave.token }), 404);
			assert.equal((await h.api("GET", `/api/groups/${hidden.id}/posts`, { token: bob.token })).status, 200);
		});
	});

	describe("races", () => {
		it("when 20 users join one open group at once then all get 200 and it has 21 members", async () => {
			const group = await g.create(alice);
			const results = await Promise.all(crowd.map(user => g.join(group.id, user)));
			assert.deepEqual(
				results.map(r => r.status),
				crowd.map(() => 200),
				JSON.stringify(results.filter(r => r.status !== 200).map(r => r.body))
			);
			const page = await g.members(group.id);
			assert.equal(page.body.total, 21);
			assert.deepEqual(userIds(page.body.rows), sorted([alice.id, ...crowd.map(u => u.id)]));
			assert.equal((await g.read(group.id)).memberCount, 21);
		});

		it("when an invited user posts join twice at once then one 200, one 409 and one membership", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "invite" });
			assert.equal((await g.invite(group.id, alice, bob)).status, 201);
			const results = await Promise.all([g.join(group.id, bob), g.join(group.id, bob)]);
			assert.deepEqual(results.map(r => r.status).sort(), [200, 409], JSON.stringify(results.map(r => r.body)));
			assertError(
				results.find(r => r.status === 409)!,
				409,
				"ALREADY_MEMBER"
			);
			const state = await g.state(group.id, alice);
			assert.deepEqual(userIds(state.members), sorted([alice.id, bob.id]));
			assert.equal(state.group.memberCount, 2);
			assert.deepEqual(state.invitations, []);
		});

		it("when two admins approve the same request at once then one 200, one 409 or 404, and one membership", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request", admins: [bob, carol] });
			assert.equal((await g.join(group.id, erin)).status, 202);
			const results = await Promise.all([g.decide(group.id, bob, erin, "approve"), g.decide(group.id, carol, erin, "approve")]);
			const statuses = results.map(r => r.status).sort();
			assert.equal(statuses[0], 200, JSON.stringify(results.map(r => r.body)));
			assert.ok([404, 409].includes(statuses[1]), JSON.stringify(results.map(r => r.body)));
			assertError(
				results.find(r => r.status !== 200)!,
				statuses[1]
			);
			const state = await g.state(group.id, alice);
			assert.deepEqual(userIds(state.members), sorted([alice.id, bob.id, carol.id, erin.id]));
			assert.equal(state.group.memberCount, 4);
			assert.deepEqual(state.requests, []);
		});

		it("when two owners demote each other at once then exactly one succeeds and exactly one owner remains", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			assert.equal((await g.setRole(group.id, alice, bob, "owner")).status, 200);
			const [byAlice, byBob] = await Promise.all([
				g.setRole(group.id, alice, bob, "member"),
				g.setRole(group.id, bob, alice, "member")
			]);
			const wins = [byAlice, byBob].filter(r => r.status === 200);
			assert.equal(wins.length, 1, JSON.stringify([byAlice.body, byBob.body]));
			const loser = byAlice.status === 200 ? byBob : byAlice;
			assert.ok([403, 409].includes(loser.status), JSON.stringify(loser.body));
			assertError(loser, loser.status);
			const survivor = byAlice.status === 200 ? alice : bob;
			const members = await g.rows(g.members(group.id));
			assert.deepEqual(
				members.filter(r => r.role === "owner").map(r => r.userId),
				[survivor.id]
			);
			assert.deepEqual((await g.read(group.id)).ownerIds, [survivor.id]);
		});
	});

	describe("events in the audit trail", () => {
		it("when a group is created, updated and deleted then group.created, group.updated and group.deleted are recorded", async () => {
			const group = await g.groupWith(alice, { members: [bob] });
			assert.equal((await g.patch(group.id, alice, { description: "changed" })).status, 200);
			assert.equal((await h.api("DELETE", `/api/groups/${group.id}`, { token: alice.token })).status, 204);

			const [created] = await h.audited(siteAdmin, group.id, "group.created");
			assert.equal(created.aggregateId, group.id);
			assert.equal(created.actorId, alice.id);
			assert.equal(created.payload.groupId, group.id);
			assert.equal(created.payload.ownerId, alice.id);
			assert.equal(created.payload.name, group.name);

			const updated = await h.audited(siteAdmin, group.id, "group.updated", rows =>
				rows.some(r => r.payload.changed?.includes("description"))
			);
			assert.ok(updated.every(r => r.aggregateId === group.id && r.payload.groupId === group.id));

			const [deleted] = await h.audited(siteAdmin, group.id, "group.deleted");
			assert.equal(deleted.payload.groupId, group.id);
			assert.equal(deleted.payload.reason, "deleted");
			assert.deepEqual(sorted(deleted.payload.memberIds), sorted([alice.id, bob.id]));
		});

		it("when members join, change role, leave and are removed then the member events are recorded with the userId", async () => {
			const group = await g.create(alice);
			for (const user of [bob, carol, dave]) assert.equal((await g.join(group.id, user)).status, 200);
			assert.equal((await g.setRole(group.id, alice, carol, "admin")).status, 200);
			assert.equal((await g.leave(group.id, bob)).status, 204);
			assert.equal((await g.remove(group.id, carol, dave)).status, 204);

			const joined = await h.audited(siteAdmin, group.id, "group.member.joined", rows => rows.length >= 3);
			assert.deepEqual(sorted(joined.map(r => r.payload.userId)), sorted([bob.id, carol.id, dave.id]));
			assert.ok(joined.every(r => r.aggregateId === group.id && r.payload.groupId === group.id && r.payload.via === "open"));

			const [roleChanged] = await h.audited(siteAdmin, group.id, "group.member.role_changed");
			assert.deepEqual(
				{
					groupId: roleChanged.payload.groupId,
					userId: roleChanged.payload.userId,
					from: roleChanged.payload.from,
					to: roleChanged.payload.to,
					changedBy: roleChanged.payload.changedBy
				},
				{ groupId: group.id, userId: carol.id, from: "member", to: "admin", changedBy: alice.id }
			);

			const [left] = await h.audited(siteAdmin, group.id, "group.member.left");
			assert.deepEqual([left.payload.groupId, left.payload.userId, left.payload.reason], [group.id, bob.id, "left"]);

			const [removed] = await h.audited(siteAdmin, group.id, "group.member.removed");
			assert.deepEqual([removed.payload.groupId, removed.payload.userId, removed.payload.removedBy], [group.id, dave.id, carol.id]);
		});

		it("when invitations and requests happen then invitation.created and request.created, approved, rejected are recorded", async () => {
			const group = await g.groupWith(alice, { joinPolicy: "request" });
			assert.equal((await g.invite(group.id, alice, dave)).status, 201);
			assert.equal((await g.join(group.id, erin)).status, 202);
			assert.equal((await g.join(group.id, frank)).status, 202);
			assert.equal((await g.decide(group.id, alice, erin, "approve")).status, 200);
			assert.equal((await g.decide(group.id, alice, frank, "reject")).status, 204);

			const [invited] = await h.audited(siteAdmin, group.id, "group.invitation.created");
			assert.deepEqual(
				[invited.aggregateId, invited.payload.groupId, invited.payload.userId, invited.payload.invitedBy],
				[group.id, group.id, dave.id, alice.id]
			);

			const requested = await h.audited(siteAdmin, group.id, "group.request.created", rows => rows.length >= 2);
			assert.deepEqual(sorted(requested.map(r => r.payload.userId)), sorted([erin.id, frank.id]));
			assert.ok(requested.every(r => r.payload.groupId === group.id && r.payload.moderatorIds.includes(alice.id)));

			const [approved] = await h.audited(siteAdmin, group.id, "group.request.approved");
			assert.deepEqual(
				[approved.payload.groupId, approved.payload.userId, approved.payload.decidedBy],
				[group.id, erin.id, alice.id]
			);
			const [rejected] = await h.audited(siteAdmin, group.id, "group.request.rejected");
			assert.deepEqual(
				[rejected.payload.groupId, rejected.payload.userId, rejected.payload.decidedBy],
				[group.id, frank.id, alice.id]
			);
		});
	});

	describe("account deletion", () => {
		const deleteAccount = async (user: TestUser) =>
			assert.equal((await h.api("DELETE", "/api/users/me", { token: user.token })).status, 204);

		it("when a user deletes their account then their memberships, requests and invitations go and counts drop", async () => {
			const [leaver] = doomed;
			const joined = await g.groupWith(alice, { members: [leaver, bob] });
			const requested = await g.groupWith(alice, { joinPolicy: "request" });
			assert.equal((await g.join(requested.id, leaver)).status, 202);
			const invitedTo = await g.groupWith(alice, { visibility: "private", joinPolicy: "invite" });
			assert.equal((await g.invite(invitedTo.id, alice, leaver)).status, 201);

			await deleteAccount(leaver);
			await eventually(
				"the deleted user's membership, request and invitation are gone",
				async () => ({
					joined: await g.state(joined.id, alice),
					requested: await g.rows(g.requests(requested.id, alice)),
					invited: await g.rows(g.invitations(invitedTo.id, alice))
				}),
				s =>
					s.joined.group.memberCount === 2 &&
					!s.requested.length &&
					!s.invited.length &&
					!s.joined.members.some(m => m.userId === leaver.id),
				10_000
			);
			assert.deepEqual(userIds((await g.state(joined.id, alice)).members), sorted([alice.id, bob.id]));
		});

		it("when a group's only owner deletes their account then the longest-standing admin becomes owner", async () => {
			const owner = doomed[1];
			const group = await g.create(owner);
			// bob is the longest-standing member, carol the longest-standing admin.
			for (const user of [bob, carol, dave]) assert.equal((await g.join(group.id, user)).status, 200);
			for (const user of [carol, dave]) assert.equal((await g.setRole(group.id, owner, user, "admin")).status, 200);

			await deleteAccount(owner);
			const read = await eventually(
				"ownership passed on",
				() => g.read(group.id, carol),
				r => r.memberCount === 3 && r.ownerIds.length > 0 && !r.ownerIds.includes(owner.id),
				10_000
			);
			assert.deepEqual(read.ownerIds, [carol.id]);
			assert.equal(read.myRole, "owner");
			const roles = Object.fromEntries((await g.rows(g.members(group.id))).map(r => [r.userId, r.role]));
			assert.deepEqual(roles, { [carol.id]: "owner", [dave.id]: "admin", [bob.id]: "member" });
		});

		it("when a group's only owner with only plain members deletes their account then the longest-standing member becomes owner", async () => {
			const owner = doomed[2];
			const group = await g.create(owner);
			for (const user of [erin, bob]) assert.equal((await g.join(group.id, user)).status, 200);

			await deleteAccount(owner);
			const read = await eventually(
				"ownership passed on",
				() => g.read(group.id, erin),
				r => r.memberCount === 2 && r.ownerIds.length > 0 && !r.ownerIds.includes(owner.id),
				10_000
			);
			assert.deepEqual(read.ownerIds, [erin.id]);
			assert.equal(read.myRole, "owner");
			assert.equal((await g.read(group.id, bob)).myRole, "member");
		});

		it("when the last person in a group deletes their account then the group is deleted", async () => {
			const owner = doomed[3];
			const group = await g.create(owner);
			assert.equal((await g.read(group.id)).memberCount, 1);
			await deleteAccount(owner);
			await eventually(
				"the empty group is gone",
				() => g.get(group.id, alice),
				res => res.status === 404,
				10_000
			);
			assertError(await g.get(group.id), 404, "NOT_FOUND");
			assert.equal((await g.search(group.name)).body.total, 0);
		});
	});

	describe("caching (Memory cacher)", () => {
		cachingTests(h, () => ({ alice, bob, carol }));
	});
});

describe("groups API on the Redis cacher", { skip: unavailable("postgres", "redis") }, () => {
	const h = groupsPlatform({ CACHER: TEST_SERVICES.redis, NAMESPACE: `groups-${randomBytes(4).toString("hex")}` });
	let people: { alice: TestUser; bob: TestUser; carol: TestUser };

	before(async () => {
		await h.start();
		const [alice, bob, carol] = await h.registerMany(3, "redis");
		people = { alice, bob, carol };
	});

	after(() => h.stop());

	cachingTests(h, () => people);
});
