/**
 * What a role in a group allows: the table `groups.can` answers from and every service decides
 * with. Data, not code: change a cell here and every service follows.
 */

export const VISIBILITIES = ["public", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** Highest first: each role may do everything the ones below it may. */
export const GROUP_ROLES = ["owner", "admin", "member"] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];
export const PERMISSIONS = ["view", "post", "moderate", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * | permission | public group           | private group   | what it allows                                      |
 * |------------|------------------------|-----------------|-----------------------------------------------------|
 * | view       | anyone, even anonymous | members         | read the group, its members, posts                  |
 * | post       | members                | members         | post, comment, react in the group; its contests     |
 * | moderate   | admins, owners         | admins, owners  | moderate posts; manage requests, invitations,       |
 * |            |                        |                 | members (not admins or owners); edit the group;     |
 * |            |                        |                 | organise its contests                               |
 * | admin      | owners                 | owners          | change roles, add owners, delete the group          |
 *
 * Outsiders get 404 for anything of a private group, never 403: its existence is not theirs to know.
 */
export const PERMISSION_MATRIX: Readonly<Record<Permission, { public: readonly GroupRole[] | "anyone"; private: readonly GroupRole[] }>> = {
	view: { public: "anyone", private: ["owner", "admin", "member"] },
	post: { public: ["owner", "admin", "member"], private: ["owner", "admin", "member"] },
	moderate: { public: ["owner", "admin"], private: ["owner", "admin"] },
	admin: { public: ["owner"], private: ["owner"] }
};

/** The caller's standing in a group, as `groups.membership` answers it (role null: not a member). */
export interface GroupStanding {
	visibility: Visibility;
	role: GroupRole | null;
}

export function allows(permission: Permission, visibility: Visibility, role: GroupRole | null): boolean {
	const allowed = PERMISSION_MATRIX[permission][visibility];
	return allowed === "anyone" || (role !== null && allowed.includes(role));
}
