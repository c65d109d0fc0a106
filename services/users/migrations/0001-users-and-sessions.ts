import type { Migration } from "../../../mixins/db/migrate";

export const usersAndSessions: Migration = {
	name: "0001-users-and-sessions",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".users (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				username varchar(32) NOT NULL,
				email varchar(254) NOT NULL,
				display_name varchar(80) NOT NULL,
				bio varchar(1000) NOT NULL DEFAULT '',
				avatar_url varchar(2048),
				password_hash text NOT NULL,
				role varchar(16) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
				preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now()
			)`);
		// Case-insensitive uniqueness: "Alice" and "alice" are the same account.
		await query(`CREATE UNIQUE INDEX users_username_key ON "${schema}".users (lower(username))`);
		await query(`CREATE UNIQUE INDEX users_email_key ON "${schema}".users (lower(email))`);

		// A session is one login; its refresh tokens rotate, and reuse of a spent one revokes it.
		await query(`
			CREATE TABLE "${schema}".sessions (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				user_id uuid NOT NULL REFERENCES "${schema}".users (id) ON DELETE CASCADE,
				created_at timestamptz NOT NULL DEFAULT now(),
				expires_at timestamptz NOT NULL,
				revoked_at timestamptz,
				revoked_reason varchar(32)
			)`);
		await query(`CREATE INDEX sessions_user_id_idx ON "${schema}".sessions (user_id)`);

		await query(`
			CREATE TABLE "${schema}".refresh_tokens (
				token_hash char(64) PRIMARY KEY,
				session_id uuid NOT NULL REFERENCES "${schema}".sessions (id) ON DELETE CASCADE,
				created_at timestamptz NOT NULL DEFAULT now(),
				used_at timestamptz
			)`);
		await query(`CREATE INDEX refresh_tokens_session_id_idx ON "${schema}".refresh_tokens (session_id)`);
	}
};
