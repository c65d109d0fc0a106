import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allows, GROUP_ROLES, type GroupRole, type Permission, PERMISSIONS, VISIBILITIES, type Visibility } from "./group-permissions";

type Who = GroupRole | "outsider";

/** The README's table, cell by cell: who may, per permission and visibility. */
const MAY: Record<Permission, Record<Visibility, Who[]>> = {
	view: { public: ["owner", "admin", "member", "outsider"], private: ["owner", "admin", "member"] },
	post: { public: ["owner", "admin", "member"], private: ["owner", "admin", "member"] },
	moderate: { public: ["owner", "admin"], private: ["owner", "admin"] },
	admin: { public: ["owner"], private: ["owner"] }
};
const WHO: Who[] = ["owner", "admin", "member", "outsider"];

describe("group permissions", () => {
	for (const permission of PERMISSIONS) {
		for (const visibility of VISIBILITIES) {
			for (const who of WHO) {
				const expected = MAY[permission][visibility].includes(who);
				it(`when ${who === "outsider" ? "an outsider" : `a ${who}`} asks to ${permission} a ${visibility} group then the answer is ${expected ? "yes" : "no"}`, () => {
					assert.equal(allows(permission, visibility, who === "outsider" ? null : who), expected);
				});
			}
		}
	}

	it("when a lower role may do something then every higher role may too", () => {
		for (const permission of PERMISSIONS)
			for (const visibility of VISIBILITIES)
				for (let i = 1; i < GROUP_ROLES.length; i++)
					if (allows(permission, visibility, GROUP_ROLES[i]))
						assert.ok(allows(permission, visibility, GROUP_ROLES[i - 1]), `${GROUP_ROLES[i - 1]} ${permission} ${visibility}`);
	});
});
