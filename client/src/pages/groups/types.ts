/** The groups API's shapes, as /api/openapi.json describes them. */

export const VISIBILITIES = ["public", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const JOIN_POLICIES = ["open", "request", "invite"] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
/** Highest first. */
export const ROLES = ["owner", "admin", "member"] as const;
export type Role = (typeof ROLES)[number];

export interface Group {
	id: string;
	name: string;
	description: string;
	visibility: Visibility;
	joinPolicy: JoinPolicy;
	ownerIds: string[];
	memberCount: number;
	/** The caller's role; null when they are not a member (or signed out). */
	myRole: Role | null;
	createdAt: string;
	updatedAt: string;
}

/** What a group's form edits: the fields POST /api/groups and PATCH /api/groups/:id take. */
export type GroupFields = Pick<Group, "name" | "description" | "visibility" | "joinPolicy">;

export interface Member {
	userId: string;
	role: Role;
	joinedAt: string;
}

/** A pending invitation or join request. */
export interface Pending {
	userId: string;
	createdAt: string;
	invitedBy?: string;
}

export interface MyInvitation {
	group: Group;
	invitedBy: string;
	createdAt: string;
}

export type JoinResult = { status: "member"; membership: Member } | { status: "requested"; request: Pending };

export const VISIBILITY_LABELS: Record<Visibility, string> = {
	public: "Public: anyone can read it",
	private: "Private: only members can read it"
};

export const JOIN_POLICY_LABELS: Record<JoinPolicy, string> = {
	open: "Open: anyone may join",
	request: "On request: an admin approves each request",
	invite: "By invitation only"
};
