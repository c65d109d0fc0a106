import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
	type Condition,
	decide,
	dependsOn,
	DOMAIN_ACTIONS,
	type DomainAction,
	type Facts,
	GROUP_ROLES,
	PERMISSIONS,
	RELATIONS,
	type Refusal,
	RULES,
	STATES
} from "../../lib/authorization";

const user = { id: "u", role: "user" } as const;
const admin = { id: "a", role: "admin" } as const;
const pub = (role: "owner" | "admin" | "member" | null) => ({ visibility: "public", role }) as const;
const priv = (role: "owner" | "admin" | "member" | null) => ({ visibility: "private", role }) as const;

const outcome = (action: DomainAction, facts: Facts): "allowed" | Refusal => {
	const d = decide(action, facts);
	return d.allowed ? "allowed" : d.refusal;
};

/** [action, who and what, facts, expected]: the cases the issue names, and the table's corners. */
const CASES: [DomainAction, string, Facts, "allowed" | Refusal][] = [
	[
		"post.publish",
		"the author of a draft in a private group they were removed from",
		{ caller: user, relations: ["author"], state: "draft", group: priv(null) },
		"forbidden"
	],
	[
		"post.publish",
		"the author of a draft in a public group they left",
		{ caller: user, relations: ["author"], state: "draft", group: pub(null) },
		"forbidden"
	],
	[
		"post.publish",
		"the author of a draft in a group they are in",
		{ caller: user, relations: ["author"], state: "draft", group: priv("member") },
		"allowed"
	],
	["post.publish", "a platform admin, of another user's draft", { caller: admin, state: "draft", group: null }, "hidden"],
	[
		"post.edit",
		"the author of a published post in a private group they left",
		{ caller: user, relations: ["author"], state: "published", group: priv(null) },
		"hidden"
	],
	[
		"post.edit",
		"the author of a published post in a public group they left",
		{ caller: user, relations: ["author"], state: "published", group: pub(null) },
		"forbidden"
	],
	["post.edit", "a platform admin, of a published post", { caller: admin, state: "published", group: null }, "allowed"],
	["post.edit", "another user, of a published post in no group", { caller: user, state: "published", group: null }, "forbidden"],
	["post.comment", "a non-member, on a public group's post", { caller: user, state: "published", group: pub(null) }, "forbidden"],
	["post.comment", "a non-member, on a private group's post", { caller: user, state: "published", group: priv(null) }, "hidden"],
	["post.comment", "anonymous, on a post in no group", { caller: null, state: "published", group: null }, "unauthenticated"],
	["post.comment", "a member, on their group's post", { caller: user, state: "published", group: pub("member") }, "allowed"],
	["post.react", "a non-member, on a public group's post", { caller: user, state: "published", group: pub(null) }, "forbidden"],
	["post.react", "any signed-in user, on a post in no group", { caller: user, state: "published", group: null }, "allowed"],
	["post.read", "anonymous, a published post of a public group", { caller: null, state: "published", group: pub(null) }, "allowed"],
	["post.read", "another user, a draft", { caller: user, state: "draft", group: null }, "hidden"],
	[
		"post.read",
		"its author, a draft in a group they left",
		{ caller: user, relations: ["author"], state: "draft", group: priv(null) },
		"allowed"
	],
	["post.read", "a member, a post of a deleted group", { caller: user, state: "published", group: "gone" }, "hidden"],
	["post.delete", "a group admin, a member's published post", { caller: user, state: "published", group: pub("admin") }, "allowed"],
	["post.delete", "a group admin, a member's draft", { caller: user, state: "draft", group: pub("admin") }, "hidden"],
	["post.delete", "a plain member, another's post", { caller: user, state: "published", group: pub("member") }, "forbidden"],
	["post.delete", "another user, a post in no group", { caller: user, state: "published", group: null }, "forbidden"],
	[
		"comment.edit",
		"its author, after leaving the post's public group",
		{ caller: user, relations: ["author"], state: "published", group: pub(null) },
		"forbidden"
	],
	["comment.delete", "the post's author", { caller: user, relations: ["postAuthor"], state: "published", group: null }, "allowed"],
	["comment.delete", "another user", { caller: user, state: "published", group: null }, "forbidden"],
	["group.view", "an invitee of a private group", { caller: user, relations: ["invitee"], group: priv(null) }, "allowed"],
	["group.readContent", "an invitee of a private group", { caller: user, relations: ["invitee"], group: priv(null) }, "hidden"],
	["group.edit", "a plain member", { caller: user, group: pub("member") }, "forbidden"],
	["group.edit", "an outsider of a private group", { caller: user, group: priv(null) }, "hidden"],
	["group.changeRole", "a group admin", { caller: user, group: priv("admin") }, "forbidden"],
	["group.changeRole", "a group owner", { caller: user, group: priv("owner") }, "allowed"],
	["group.invite", "a group admin", { caller: user, group: priv("admin") }, "allowed"],
	["group.delete", "a platform admin outside the group", { caller: admin, group: pub(null) }, "forbidden"],
	[
		"contest.submit",
		"a participant who left the contest's group",
		{ caller: user, relations: ["participant"], group: pub(null) },
		"hidden"
	],
	["contest.submit", "a member who did not register", { caller: user, group: pub("member") }, "forbidden"],
	["contest.submit", "a registered member", { caller: user, relations: ["participant"], group: pub("member") }, "allowed"],
	["contest.submit", "a participant of a contest in no group", { caller: user, relations: ["participant"], group: null }, "allowed"],
	["contest.readLiveBoard", "a participant during a freeze", { caller: user, relations: ["participant"], group: null }, "forbidden"],
	["contest.readLiveBoard", "anonymous during a freeze", { caller: null, group: null }, "unauthenticated"],
	["contest.readLiveBoard", "the organiser", { caller: user, relations: ["organiser"], group: null }, "allowed"],
	[
		"contest.readLiveBoard",
		"the organiser, demoted to member of the contest's group",
		{ caller: user, relations: ["organiser"], group: pub("member") },
		"forbidden"
	],
	[
		"contest.edit",
		"the organiser, who left the contest's group",
		{ caller: user, relations: ["organiser"], group: pub(null) },
		"forbidden"
	],
	["contest.edit", "a group admin who is not the organiser", { caller: user, group: pub("admin") }, "forbidden"],
	["contest.view", "the organiser, after the group was deleted", { caller: user, relations: ["organiser"], group: "gone" }, "allowed"],
	["contest.view", "a non-member, a public group's contest", { caller: user, group: pub(null) }, "hidden"],
	["contest.create", "a plain member, in their group", { caller: user, group: pub("member") }, "forbidden"],
	["contest.create", "a non-member, in a public group", { caller: user, group: pub(null) }, "hidden"],
	["contest.register", "a member of the contest's group", { caller: user, group: priv("member") }, "allowed"],
	["contest.archive", "the organiser of a contest in no group", { caller: user, relations: ["organiser"], group: null }, "allowed"],
	["contest.archive", "a participant", { caller: user, relations: ["participant"], group: null }, "forbidden"],
	["contest.archive", "anonymous", { caller: null, group: null }, "unauthenticated"],
	[
		"contest.archive",
		"the organiser, demoted to member of the contest's private group",
		{ caller: user, relations: ["organiser"], group: priv("member") },
		"forbidden"
	],
	["contest.archive", "a platform admin who is not the organiser", { caller: admin, group: null }, "forbidden"],
	["contest.rate", "a platform admin", { caller: admin, group: null }, "allowed"],
	["contest.rate", "an organiser who is not an admin", { caller: user, relations: ["organiser"], group: null }, "forbidden"],
	["contest.rate", "anonymous", { caller: null, group: null }, "unauthenticated"],
	// Team rules decide on the team's group.
	[
		"contest.registerTeam",
		"a member of the group in the team",
		{ caller: user, relations: ["teamMember"], group: pub("member") },
		"allowed"
	],
	["contest.registerTeam", "a member of the group not in the team", { caller: user, group: pub("member") }, "forbidden"],
	["contest.registerTeam", "the group's admin, not in the team", { caller: user, group: priv("admin") }, "allowed"],
	[
		"contest.registerTeam",
		"a team member outside the private group",
		{ caller: user, relations: ["teamMember"], group: priv(null) },
		"hidden"
	],
	["contest.withdrawTeam", "a team member who left the group", { caller: user, relations: ["teamMember"], group: pub(null) }, "allowed"],
	["contest.withdrawTeam", "a member of the group not in the team", { caller: user, group: pub("member") }, "forbidden"],
	[
		"contest.submitForTeam",
		"a team member still in the group",
		{ caller: user, relations: ["teamMember"], group: pub("member") },
		"allowed"
	],
	[
		"contest.submitForTeam",
		"a team member who left the group",
		{ caller: user, relations: ["teamMember"], group: pub(null) },
		"forbidden"
	]
];

describe("authorization: the table of who may do what", () => {
	for (const [action, who, facts, expected] of CASES) {
		it(`when ${who} asks for ${action} then ${expected}`, () => {
			assert.equal(outcome(action, facts), expected);
		});
	}

	it("when the table is read then every action has a rule, every condition is known and every seenThrough leads to a rule without cycles", () => {
		assert.deepEqual(Object.keys(RULES).sort(), [...DOMAIN_ACTIONS].sort());
		const known = new Set<string>([
			"anyone",
			"signedIn",
			"platformAdmin",
			...RELATIONS,
			...STATES,
			...PERMISSIONS.flatMap(p => [`group:${p}`, `ifGroup:${p}`])
		]);
		for (const action of DOMAIN_ACTIONS) {
			const seen = new Set<string>();
			for (let at: DomainAction | undefined = action; at; at = RULES[at].seenThrough) {
				assert.ok(!seen.has(at), `${action}: seenThrough cycles at ${at}`);
				seen.add(at);
				for (const grant of RULES[at].anyOf) for (const c of grant) assert.ok(known.has(c), `${at}: unknown condition ${c}`);
			}
		}
	});

	it("when a caller without relations is not in a private group, or the group is gone, then nothing in it is allowed to them", () => {
		const escapes: string[] = [];
		for (const action of DOMAIN_ACTIONS.filter(a => a !== "group.create")) {
			for (const state of [...STATES, undefined]) {
				for (const group of [priv(null), "gone" as const]) {
					if (decide(action, { caller: user, state, group }).allowed) escapes.push(`${action} ${state} ${JSON.stringify(group)}`);
				}
			}
		}
		assert.deepEqual(escapes, []);
	});

	it("when every role of every group is tried then group: grants follow the permission matrix exactly", () => {
		for (const visibility of ["public", "private"] as const) {
			for (const role of [...GROUP_ROLES, null]) {
				const facts: Facts = { caller: user, group: { visibility, role } };
				assert.equal(decide("group.changeRole", facts).allowed, role === "owner");
				assert.equal(decide("group.invite", facts).allowed, role === "owner" || role === "admin");
				assert.equal(decide("post.comment", { ...facts, state: "published" }).allowed, role !== null);
				assert.equal(decide("group.readContent", facts).allowed, visibility === "public" || role !== null);
			}
		}
	});

	it("when a caller's group role rises then nothing allowed becomes refused (services may decide without the role first)", () => {
		const ladder = [null, "member", "admin", "owner"] as const;
		const relationSets = [[], ...RELATIONS.map(r => [r])];
		const drops: string[] = [];
		for (const action of DOMAIN_ACTIONS) {
			for (const caller of [user, admin]) {
				for (const relations of relationSets) {
					for (const state of [...STATES, undefined]) {
						for (const visibility of ["public", "private"] as const) {
							const allowed = ladder.map(
								role => decide(action, { caller, relations, state, group: { visibility, role } }).allowed
							);
							if (allowed.some((a, i) => a && !allowed[i + 1] && i + 1 < allowed.length))
								drops.push(`${action} ${relations} ${state} ${visibility}`);
						}
					}
				}
			}
		}
		assert.deepEqual(drops, []);
	});

	it("when anonymous asks then only reads of public things are allowed", () => {
		const allowed = DOMAIN_ACTIONS.filter(action =>
			[null, pub(null)].some(group => STATES.some(state => decide(action, { caller: null, group, state }).allowed))
		);
		assert.deepEqual(allowed.sort(), ["contest.view", "group.readContent", "group.view", "post.read", "problem.read"]);
	});

	it("when facts cost a query then dependsOn says which actions need them", () => {
		assert.equal(dependsOn("group.view", "invitee"), true);
		assert.equal(dependsOn("group.edit", "invitee" as Condition), true, "through group.view: a refusal must know whether to hide");
		assert.equal(dependsOn("group.readContent", "invitee"), false);
	});
});
