import type { Migration } from "../../../mixins/db/migrate";

export const notificationsAndPreferences: Migration = {
	name: "0001-notifications-and-preferences",
	async up({ context: { query, schema } }) {
		// `seq` orders a user's stream (SSE resume); clients only ever see the uuid.
		await query(`
			CREATE TABLE "${schema}".notifications (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				seq bigserial NOT NULL,
				recipient_id uuid NOT NULL,
				event_id uuid NOT NULL,
				type varchar(64) NOT NULL,
				reason varchar(200) NOT NULL,
				actor_id uuid,
				subject_kind varchar(16) NOT NULL,
				subject_id uuid NOT NULL,
				group_id uuid,
				title varchar(300) NOT NULL,
				body varchar(500) NOT NULL,
				link varchar(300) NOT NULL,
				read_at timestamptz,
				created_at timestamptz NOT NULL DEFAULT now()
			)`);
		// A redelivered event finds its notifications there already.
		await query(`CREATE UNIQUE INDEX notifications_once_key ON "${schema}".notifications (recipient_id, event_id, type)`);
		await query(`CREATE INDEX notifications_inbox_idx ON "${schema}".notifications (recipient_id, seq DESC)`);
		await query(`CREATE INDEX notifications_unread_idx ON "${schema}".notifications (recipient_id) WHERE read_at IS NULL`);

		await query(`
			CREATE TABLE "${schema}".preferences (
				user_id uuid NOT NULL,
				type varchar(64) NOT NULL,
				in_app boolean NOT NULL,
				PRIMARY KEY (user_id, type)
			)`);
		await query(`
			CREATE TABLE "${schema}".group_mutes (
				user_id uuid NOT NULL,
				group_id uuid NOT NULL,
				created_at timestamptz NOT NULL DEFAULT now(),
				PRIMARY KEY (user_id, group_id)
			)`);
	}
};
