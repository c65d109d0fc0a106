import type { Permission } from "./group-permissions";

/** How the caller stands to the thing acted on, as the serving service finds it. */
export const RELATIONS = ["author", "postAuthor", "organiser", "participant", "invitee", "teamMember"] as const;
export type Relation = (typeof RELATIONS)[number];
/** The state of the thing, where who may act depends on it. */
export const STATES = ["draft", "published"] as const;
export type State = (typeof STATES)[number];

/**
 * One condition of a grant:
 * - `anyone`, `signedIn`, `platformAdmin`: who the caller is;
 * - a relation (`author`: of the thing itself, a post or a comment; `postAuthor`: of the post a
 *   comment is on; `teamMember`: of a contest's team, or of the team being registered) or a state of the thing;
 * - `group:<permission>`: the thing is in a group, and the caller's role there has the permission;
 * - `ifGroup:<permission>`: if the thing is in a group, the caller's role there has the permission
 *   (a thing in no group passes). A deleted group grants nothing.
 */
export type Condition = "anyone" | "signedIn" | "platformAdmin" | Relation | State | `group:${Permission}` | `ifGroup:${Permission}`;

/** Every domain action the table decides. */
export const DOMAIN_ACTIONS = [
	"group.create",
	"group.view",
	"group.readContent",
	"group.edit",
	"group.delete",
	"group.join",
	"group.leave",
	"group.declineInvitation",
	"group.readPending",
	"group.invite",
	"group.revokeInvitation",
	"group.decideRequest",
	"group.removeMember",
	"group.changeRole",
	"post.read",
	"post.create",
	"post.edit",
	"post.publish",
	"post.delete",
	"post.comment",
	"post.react",
	"comment.edit",
	"comment.delete",
	"contest.view",
	"contest.create",
	"contest.edit",
	"contest.register",
	"contest.readProblems",
	"contest.submit",
	"contest.readLiveBoard",
	"contest.archive",
	"contest.rate",
	"contest.registerTeam",
	"contest.withdrawTeam",
	"contest.submitForTeam",
	"problem.read",
	"problem.edit",
	"problem.submit",
	"submission.read"
] as const;
export type DomainAction = (typeof DOMAIN_ACTIONS)[number];

export interface Rule {
	/** Who may: the caller needs every condition of any one grant. */
	anyOf: readonly (readonly Condition[])[];
	/**
	 * What a refused caller is told: `hidden` (404, the thing's existence is not theirs to know), or
	 * by default 401 when anonymous, else 404 if they may not `seenThrough` the thing, else 403.
	 */
	refusal?: "hidden";
	/** The action that decides whether a refused caller may know the thing exists. */
	seenThrough?: DomainAction;
}

/**
 * Who may do what to groups, posts, comments and contests: the one table every service decides
 * with, on the node that serves the action, at every change (a post's edit as well as its
 * creation). A member who leaves or is removed loses at once whatever `group:`/`ifGroup:` grants:
 * services ask `groups.membership` on each call, and it is never cached past a membership change.
 * The state a change needs besides (a post published, a contest running) stays with the service.
 */
export const RULES: Readonly<Record<DomainAction, Rule>> = {
	"group.create": { anyOf: [["signedIn"]] },
	/** The group itself; a pending invitation shows its invitee a private group. */
	"group.view": { anyOf: [["group:view"], ["invitee"]], refusal: "hidden" },
	/** What is in it: its members, its posts' feed. */
	"group.readContent": { anyOf: [["group:view"]], refusal: "hidden" },
	"group.edit": { anyOf: [["group:moderate"]], seenThrough: "group.view" },
	"group.delete": { anyOf: [["group:admin"]], seenThrough: "group.view" },
	/** Membership itself (the join policy, already a member: the service's state checks). */
	"group.join": {
		anyOf: [
			["signedIn", "group:view"],
			["signedIn", "invitee"]
		],
		refusal: "hidden"
	},
	"group.leave": {
		anyOf: [
			["signedIn", "group:view"],
			["signedIn", "invitee"]
		],
		refusal: "hidden"
	},
	"group.declineInvitation": {
		anyOf: [
			["signedIn", "invitee"],
			["signedIn", "group:view"]
		],
		refusal: "hidden"
	},
	/** Pending invitations and requests: listing and deciding them. */
	"group.readPending": { anyOf: [["group:moderate"]], seenThrough: "group.view" },
	"group.invite": { anyOf: [["group:moderate"]], seenThrough: "group.view" },
	"group.revokeInvitation": { anyOf: [["group:moderate"]], seenThrough: "group.view" },
	"group.decideRequest": { anyOf: [["group:moderate"]], seenThrough: "group.view" },
	/** Admins remove plain members only: the service compares the two roles. */
	"group.removeMember": { anyOf: [["group:moderate"]], seenThrough: "group.view" },
	"group.changeRole": { anyOf: [["group:admin"]], seenThrough: "group.view" },

	/** Drafts to their author alone; published posts to whoever may view their group. */
	"post.read": {
		anyOf: [
			["published", "ifGroup:view"],
			["draft", "author"]
		],
		refusal: "hidden"
	},
	"post.create": { anyOf: [["signedIn", "ifGroup:post"]], seenThrough: "group.view" },
	"post.edit": {
		anyOf: [
			["author", "ifGroup:post"],
			["published", "platformAdmin"]
		],
		seenThrough: "post.read"
	},
	/** A draft becomes public (and its group is told): its author, still allowed to post there. */
	"post.publish": { anyOf: [["author", "ifGroup:post"]], seenThrough: "post.read" },
	"post.delete": {
		anyOf: [
			["draft", "author"],
			["published", "author", "ifGroup:view"],
			["published", "group:moderate"],
			["published", "platformAdmin"]
		],
		seenThrough: "post.read"
	},
	"post.comment": { anyOf: [["signedIn", "ifGroup:post"]], seenThrough: "post.read" },
	/** Adding and taking back a reaction alike. */
	"post.react": { anyOf: [["signedIn", "ifGroup:post"]], seenThrough: "post.read" },
	/** `author`: of the comment. */
	"comment.edit": { anyOf: [["author", "ifGroup:post"]], seenThrough: "post.read" },
	"comment.delete": {
		anyOf: [["author", "ifGroup:view"], ["postAuthor", "ifGroup:view"], ["group:moderate"], ["platformAdmin"]],
		seenThrough: "post.read"
	},

	/** A group's contests are its members'; their organiser always sees what they organised. */
	"contest.view": { anyOf: [["ifGroup:post"], ["organiser"]], refusal: "hidden" },
	"contest.create": { anyOf: [["signedIn", "ifGroup:moderate"]], seenThrough: "contest.view" },
	/** Schedule, problems, deletion: the organiser, still moderating the contest's group. */
	"contest.edit": { anyOf: [["organiser", "ifGroup:moderate"]], seenThrough: "contest.view" },
	"contest.register": { anyOf: [["signedIn", "ifGroup:post"]], seenThrough: "contest.view" },
	"contest.readProblems": { anyOf: [["organiser"], ["participant", "ifGroup:post"]], seenThrough: "contest.view" },
	/** A participant who left the contest's group submits no more. */
	"contest.submit": { anyOf: [["participant", "ifGroup:post"]], seenThrough: "contest.view" },
	/** The live standings during a freeze: everyone else sees the board as it was at the freeze. */
	"contest.readLiveBoard": { anyOf: [["organiser", "ifGroup:moderate"]], seenThrough: "contest.view" },
	/** Its code problems into the practice archive, public from then on: the organiser, still moderating its group. */
	"contest.archive": { anyOf: [["organiser", "ifGroup:moderate"]], seenThrough: "contest.view" },
	/** Making a contest rated (or not): it moves ratings platform-wide, so only platform admins (no farming with fake accounts). */
	"contest.rate": { anyOf: [["platformAdmin"]] },
	/**
	 * Team contests, decided on the team's group (besides `contest.register` on the contest's):
	 * a team of a group's members is registered by one of them, or by the group's moderators.
	 */
	"contest.registerTeam": {
		anyOf: [["teamMember", "group:post"], ["group:moderate"]],
		seenThrough: "group.view"
	},
	/** Before the start, any one of its members (still in its group or not) or its group's moderators withdraw it. */
	"contest.withdrawTeam": { anyOf: [["teamMember"], ["group:moderate"]] },
	/** A member who left the team's group submits for the team no more (besides `contest.submit`). */
	"contest.submitForTeam": { anyOf: [["teamMember", "group:post"]] },

	/** The practice archive's problems are in no group (`ifGroup:` passes): published ones are everyone's, drafts their author's. */
	"problem.read": {
		anyOf: [
			["published", "ifGroup:view"],
			["draft", "author"]
		],
		refusal: "hidden"
	},
	/** Tests, publication: the author alone. */
	"problem.edit": { anyOf: [["author"]], seenThrough: "problem.read" },
	/** Anyone signed in, on a published problem; its author also on the draft, to try its tests. */
	"problem.submit": { anyOf: [["signedIn", "published", "ifGroup:view"], ["author"]], seenThrough: "problem.read" },
	/** `author`: of the submission. Its source and results are theirs (and the platform's admins'). */
	"submission.read": { anyOf: [["author"], ["platformAdmin"]], refusal: "hidden" }
};
