import type { Migration } from "../db/migrate";

/** The outbox of a producing service, in its own schema; add it to the service's migrations. */
export const createOutbox: Migration = {
	name: "0100-outbox",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".outbox (
				seq bigserial PRIMARY KEY,
				event_id uuid NOT NULL UNIQUE,
				type varchar(100) NOT NULL,
				aggregate_id varchar(100) NOT NULL,
				envelope jsonb NOT NULL,
				created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
				sent_at timestamptz
			)`);
		await query(`CREATE INDEX outbox_unsent_idx ON "${schema}".outbox (seq) WHERE sent_at IS NULL`);
		// Pruning of long-sent rows is an index range scan, not a full scan each sweep.
		await query(`CREATE INDEX outbox_sent_at_idx ON "${schema}".outbox (sent_at) WHERE sent_at IS NOT NULL`);
		// One relay at a time per service, so events leave in commit order whatever the replicas.
		await query(`
			CREATE TABLE "${schema}".outbox_relay_lease (
				id smallint PRIMARY KEY CHECK (id = 1),
				holder text,
				until timestamptz
			)`);
		await query(`INSERT INTO "${schema}".outbox_relay_lease (id) VALUES (1)`);
	}
};
