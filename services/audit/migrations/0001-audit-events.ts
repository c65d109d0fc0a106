import type { Migration } from "../../../mixins/db/migrate";

export const auditEvents: Migration = {
	name: "0001-audit-events",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".audit_events (
				event_id uuid PRIMARY KEY,
				type varchar(100) NOT NULL,
				producer varchar(50) NOT NULL,
				aggregate_id varchar(100) NOT NULL,
				actor_id uuid,
				occurred_at timestamptz NOT NULL,
				payload jsonb NOT NULL,
				recorded_at timestamptz NOT NULL DEFAULT now()
			)`);
		await query(`CREATE INDEX audit_events_occurred_idx ON "${schema}".audit_events (occurred_at DESC, event_id)`);
		await query(`CREATE INDEX audit_events_type_idx ON "${schema}".audit_events (type, occurred_at DESC)`);
		await query(`CREATE INDEX audit_events_aggregate_idx ON "${schema}".audit_events (aggregate_id, occurred_at DESC)`);
		await query(`CREATE INDEX audit_events_actor_idx ON "${schema}".audit_events (actor_id, occurred_at DESC)`);
		// Append-only in the database itself, whatever code runs against it.
		await query(`
			CREATE FUNCTION "${schema}".audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$`);
		await query(`
			CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "${schema}".audit_events
			FOR EACH ROW EXECUTE FUNCTION "${schema}".audit_events_append_only()`);
	}
};
