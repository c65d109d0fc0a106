import type { Migration } from "../../../mixins/db/migrate";

export const groupsAndMemberships: Migration = {
	name: "0001-groups-and-memberships",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".groups (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				name varchar(80) NOT NULL,
				description varchar(2000) NOT NULL DEFAULT '',
				visibility varchar(8) NOT NULL CHECK (visibility IN ('public', 'private')),
				join_policy varchar(8) NOT NULL CHECK (join_policy IN ('open', 'request', 'invite')),
				member_count integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
				created_by uuid NOT NULL,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now()
			)`);
		// "Rust Learners" and "rust learners" are the same group.
		await query(`CREATE UNIQUE INDEX groups_name_key ON "${schema}".groups (lower(name))`);

		// One row per (group, user). clock_timestamp(): joins in one transaction still get an order.
		await query(`
			CREATE TABLE "${schema}".memberships (
				group_id uuid NOT NULL REFERENCES "${schema}".groups (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				role varchar(8) NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
				joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
				PRIMARY KEY (group_id, user_id)
			)`);
		await query(`CREATE INDEX memberships_user_id_idx ON "${schema}".memberships (user_id)`);

		await query(`
			CREATE TABLE "${schema}".join_requests (
				group_id uuid NOT NULL REFERENCES "${schema}".groups (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
				PRIMARY KEY (group_id, user_id)
			)`);
		await query(`CREATE INDEX join_requests_user_id_idx ON "${schema}".join_requests (user_id)`);

		await query(`
			CREATE TABLE "${schema}".invitations (
				group_id uuid NOT NULL REFERENCES "${schema}".groups (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				invited_by uuid NOT NULL,
				created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
				PRIMARY KEY (group_id, user_id)
			)`);
		await query(`CREATE INDEX invitations_user_id_idx ON "${schema}".invitations (user_id)`);
	}
};
